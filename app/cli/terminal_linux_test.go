package cli_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// openPTY returns a new pseudo-terminal: the side a person types into and
// the side a program reads as its terminal.
func openPTY(t *testing.T) (keyboard, term *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	pts, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pts.Close(); ptmx.Close() })
	return ptmx, pts
}

// syncBuffer is a bytes.Buffer safe for one writer and one poller.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until buf holds want n times.
func waitFor(t *testing.T, buf *syncBuffer, want string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(buf.String(), want) < n {
		if time.Now().After(deadline) {
			t.Fatalf("never saw %q; stderr so far:\n%s", want, buf.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestTerminal(t *testing.T) {
	t.Run("on a terminal add asks for the keys and never echoes them", func(t *testing.T) {
		f := newFixture(t)
		k := f.exchangeKey(krakentest.Key{Permissions: taxPerms})
		keyboard, term := openPTY(t)
		echoed := &syncBuffer{}
		go io.Copy(echoed, keyboard) // everything the terminal shows

		var out bytes.Buffer
		errw := &syncBuffer{}
		done := make(chan int, 1)
		go func() {
			done <- cli.Main([]string{"add", "--name", "koinly-tax", "--purpose", "tax"}, f.io(term, &out, errw))
		}()
		waitFor(t, errw, "API key (input hidden): ", 1)
		fmt.Fprintf(keyboard, "%s\n", k.APIKey)
		waitFor(t, errw, "Private key (input hidden): ", 1)
		fmt.Fprintf(keyboard, "  %s \n", k.PrivateKey) // spaces around a paste are fine
		if code := <-done; code != 0 {
			t.Fatalf("exit %d:\n%s%s", code, out.String(), errw.String())
		}
		if rec := f.record("koinly-tax"); !f.hasSecret(rec.ID) {
			t.Error("the secret was not kept")
		}
		fmt.Fprint(keyboard, "visible\n") // echo is back on: this shows
		waitFor(t, echoed, "visible", 1)
		if leaks := f.leaks(echoed.String() + errw.String() + out.String()); len(leaks) > 0 {
			t.Errorf("the terminal showed %v", leaks)
		}
	})

	t.Run("on a terminal remove asks before deleting", func(t *testing.T) {
		for _, answer := range []string{"no", "yes"} {
			f := newFixture(t)
			rec, _ := f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
			keyboard, term := openPTY(t)
			go io.Copy(io.Discard, keyboard)
			var out bytes.Buffer
			errw := &syncBuffer{}
			done := make(chan int, 1)
			go func() { done <- cli.Main([]string{"remove", "koinly-tax"}, f.io(term, &out, errw)) }()
			waitFor(t, errw, "Type yes to confirm: ", 1)
			fmt.Fprintln(keyboard, answer)
			if code := <-done; code != 0 {
				t.Fatalf("exit %d: %s%s", code, out.String(), errw.String())
			}
			_, err := f.data().ByID(rec.ID)
			if removed := err != nil; removed != (answer == "yes") || f.hasSecret(rec.ID) == removed {
				t.Errorf("answer %q: record removed %v, secret kept %v", answer, removed, f.hasSecret(rec.ID))
			}
			if !strings.Contains(errw.String(), "keeps working on Kraken") {
				t.Errorf("no warning that the key still works: %s", errw.String())
			}
		}
	})
}
