package keys_test

import (
	"errors"
	"testing"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

// TestService_StartsWithoutAppCode: "may start without the app code" is in
// effect only when SetStartsWithoutAppCode granted it: a flag typed into
// keys.json, a seal copied from another key, or a seal that cannot be
// checked counts as not granted.
func TestService_StartsWithoutAppCode(t *testing.T) {
	f := newFixture(t)
	bot, _ := f.add(t, "freqtrade-vps")
	tax, _ := f.add(t, "koinly-tax")
	if _, err := f.svc.SetStartsWithoutAppCode(bot.ID, true, "in a test"); err != nil {
		t.Fatal(err)
	}
	granted := f.record(t, bot.ID)
	if !f.svc.StartsWithoutAppCode(granted) {
		t.Fatal("a granted key does not start without the code")
	}

	typed := f.record(t, tax.ID)
	typed.StartsWithoutAppCode = true
	copied := typed
	copied.AppCodeSeal = granted.AppCodeSeal
	for name, r := range map[string]vault.Record{"typed into keys.json": typed, "a seal copied from another key": copied} {
		if f.svc.StartsWithoutAppCode(r) {
			t.Errorf("%s: starts without the code", name)
		}
	}

	f.secrets.SetError(&vault.KeyringError{Op: "get", Err: errors.New("locked")})
	if f.svc.StartsWithoutAppCode(granted) {
		t.Error("the keyring is locked, yet the seal counted")
	}
	f.secrets.SetError(nil)
	if err := f.secrets.Delete(keys.SealKeyID); err != nil {
		t.Fatal(err)
	}
	if f.svc.StartsWithoutAppCode(granted) {
		t.Error("the seal key is gone from the keyring, yet the seal counted")
	}

	// Granting again makes a new seal key and seals the key anew; turning
	// it off drops the seal.
	if _, err := f.svc.SetStartsWithoutAppCode(bot.ID, true, "in a test"); err != nil {
		t.Fatal(err)
	}
	if !f.svc.StartsWithoutAppCode(f.record(t, bot.ID)) {
		t.Error("granting again did not take effect")
	}
	if _, err := f.svc.SetStartsWithoutAppCode(bot.ID, false, "in a test"); err != nil {
		t.Fatal(err)
	}
	if r := f.record(t, bot.ID); r.AppCodeSeal != "" || f.svc.StartsWithoutAppCode(r) {
		t.Error("turning it off kept the seal")
	}
}
