package cli_test

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/guard"
)

func TestAppTwoFA_terminal(t *testing.T) {
	f := newFixture(t)
	f.add("freqtrade-vps", botPerms, "--purpose", "bot")
	c := &appClock{t: time.Now()}
	f.now = c.now

	// Enrol on a terminal: the QR code and the address are shown, a first
	// code confirms.
	keyboard, term := openPTY(t)
	echoed := &syncBuffer{}
	go io.Copy(echoed, keyboard)
	out, errw := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- cli.Main([]string{"2fa", "enable", "--account", "alice@laptop"}, f.io(term, out, errw))
	}()
	waitFor(t, errw, "(input hidden): ", 1)
	m := regexp.MustCompile(`otpauth://\S+`).FindString(out.String())
	u, err := url.Parse(m)
	if err != nil || u.Query().Get("secret") == "" {
		t.Fatalf("no otpauth address in %q", out.String())
	}
	if !bytes.Contains([]byte(out.String()), []byte("█")) {
		t.Error("no QR code drawn")
	}
	seed := u.Query().Get("secret")
	code, _ := totp.GenerateCode(seed, c.t)
	fmt.Fprintln(keyboard, code)
	if got := <-done; got != 0 {
		t.Fatalf("enable: exit %d\n%s%s", got, out.String(), errw.String())
	}
	if bytes.Contains([]byte(echoed.String()), []byte(code)) {
		t.Error("the terminal echoed the code")
	}
	if !guard.Open(f.dir, f.mem, nil).Enabled() {
		t.Fatal("app 2FA is off after enable")
	}

	// exec asks on the terminal; a typo may be corrected.
	c.t = c.t.Add(guard.Period)
	keyboard, term = openPTY(t)
	go io.Copy(io.Discard, keyboard)
	errw = &syncBuffer{}
	go func() {
		done <- cli.Main([]string{"exec", "freqtrade-vps", "--", "true"}, f.io(term, io.Discard, errw))
	}()
	waitFor(t, errw, "App 2FA code to hand \"freqtrade-vps\" to a program (input hidden): ", 1)
	fmt.Fprintln(keyboard, "12")
	waitFor(t, errw, "(input hidden): ", 2)
	code, _ = totp.GenerateCode(seed, c.t)
	fmt.Fprintln(keyboard, code)
	if got := <-done; got != 0 {
		t.Fatalf("exec: exit %d\n%s", got, errw.String())
	}
}
