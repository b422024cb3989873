package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// Issue 20: "Checked 3 keys." with 4 keys; the key that needs a typed 2FA
// code was skipped silently.
func TestCheckAll_NamesTheKeysItLeftOut(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"koinly", "cointracker", "dashboard"} {
		f.addKey(name, []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
	}
	typed := f.addKey("bot-with-2fa", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
	if err := f.store.Update(func(d *vault.Data) error {
		r, err := d.ByID(typed.ID)
		if err != nil {
			return err
		}
		r.TwoFA = vault.TwoFATyped
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	f.open()

	test.Tap(f.mw.list.checkAll)
	f.wait()
	for _, got := range []string{f.mw.status.Text, f.mw.lastMessage} {
		for _, want := range []string{"Checked 3 keys.", "“bot-with-2fa”", "select it, press Check now and type the code"} {
			if !strings.Contains(got, want) {
				t.Errorf("%q does not say %q", got, want)
			}
		}
	}
}
