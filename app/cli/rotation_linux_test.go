package cli_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/vault"
)

// TestRevoke_oldKeyStillInUseAsks: on a terminal, revoke warns about the
// old key of a rotation still in use and asks; anything but yes changes
// nothing, yes goes on to the exchange's confirmation.
func TestRevoke_oldKeyStillInUseAsks(t *testing.T) {
	for _, answer := range []string{"no", "yes"} {
		f, old, oldKey := stillInUse(t)
		if res := f.run("", "check", "bot-2026-06"); res.code != 3 {
			t.Fatalf("check: %v", res)
		}
		f.ex.DeleteKey(oldKey.APIKey) // deleted on the website already
		keyboard, term := openPTY(t)
		go io.Copy(io.Discard, keyboard)
		var out bytes.Buffer
		errw := &syncBuffer{}
		done := make(chan int, 1)
		go func() { done <- cli.Main([]string{"revoke", "bot-2026-06"}, f.io(term, &out, errw)) }()
		waitFor(t, errw, "Type yes to confirm: ", 1)
		fmt.Fprintln(keyboard, answer)
		if code := <-done; code != 0 {
			t.Fatalf("answer %q: exit %d: %s%s", answer, code, out.String(), errw.String())
		}
		if !strings.Contains(errw.String(), "was used after its replacement") {
			t.Errorf("answer %q: no warning: %s", answer, errw.String())
		}
		revoked := f.record(old.ID).Status == vault.StatusRevoked
		if revoked != (answer == "yes") {
			t.Errorf("answer %q: revoked %v:\n%s%s", answer, revoked, out.String(), errw.String())
		}
	}
}
