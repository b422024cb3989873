//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cli_test

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/cli"
)

func TestExec_Signals(t *testing.T) {
	t.Run("a SIGTERM to keywarden reaches the program", func(t *testing.T) {
		f := newFixture(t)
		f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		args := child(t, f, "wait-term")
		pr, pw := io.Pipe()
		done := make(chan int, 1)
		go func() {
			var errw bytes.Buffer
			done <- cli.Main(append([]string{"exec", "freqtrade-vps"}, args...), f.io(strings.NewReader(""), pw, &errw))
			pw.Close()
		}()
		ready := bufio.NewReader(pr)
		if line, err := ready.ReadString('\n'); err != nil || line != "ready\n" {
			t.Fatalf("the program did not start: %q %v", line, err)
		}
		go io.Copy(io.Discard, ready)
		if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case code := <-done:
			if code != 42 {
				t.Errorf("exit %d, want 42 (the program's answer to SIGTERM)", code)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("the program never got the signal")
		}
	})
}
