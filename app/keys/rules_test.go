package keys_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// TestService_ExecSecret: the service itself refuses to hand a revoked or
// leaked key to a program, even while the keyring still holds its secret
// (a revocation Kraken did not confirm, a leak not yet revoked), and says
// why in words of its own; an active or parked key is handed out.
func TestService_ExecSecret(t *testing.T) {
	tests := []struct {
		name    string
		mark    func(t *testing.T, f *fixture, id string)
		wantWhy string // "" means handed out
	}{
		{"an active key is handed out", func(*testing.T, *fixture, string) {}, ""},
		{"a parked key is handed out", func(t *testing.T, f *fixture, id string) {
			if _, err := f.svc.Edit(id, keys.Edit{Name: "freqtrade-vps", Parked: true}); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"a leaked key is refused", func(t *testing.T, f *fixture, id string) {
			if _, err := f.svc.MarkCompromised(id, "found in a paste"); err != nil {
				t.Fatal(err)
			}
		}, "has leaked"},
		{"a key revoked without Kraken's confirmation is refused", func(t *testing.T, f *fixture, id string) {
			if _, err := f.svc.Revoke(context.Background(), id, "", true); err != nil {
				t.Fatal(err)
			}
		}, "is revoked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			rec, _ := f.add(t, "freqtrade-vps")
			tt.mark(t, f, rec.ID)
			if !f.hasSecret(t, rec.ID) {
				t.Fatal("the keyring lost the secret: the refusal would not be the service's")
			}
			sec, err := f.svc.ExecSecret(rec.ID)
			if tt.wantWhy == "" {
				if err != nil || sec.APIKey == "" {
					t.Fatalf("ExecSecret = %v, want the secret", err)
				}
				return
			}
			var not *keys.NotAllowedError
			if !errors.As(err, &not) || not.Action != keys.ActExec {
				t.Fatalf("ExecSecret err = %v, want a NotAllowedError for exec", err)
			}
			if sec != (vault.Secret{}) {
				t.Error("a refused key's secret was returned")
			}
			msg := keys.UserMessage(err)
			if !strings.Contains(msg, tt.wantWhy) || !strings.Contains(msg, "freqtrade-vps") {
				t.Errorf("UserMessage = %q, want the key's name and %q", msg, tt.wantWhy)
			}
			if ok, why := keys.Can(f.record(t, rec.ID), keys.ActExec); ok || why != not.Why {
				t.Errorf("Can = %v, %q; want the refusal with the same words", ok, why)
			}
		})
	}
}

// TestService_SweepKeys: one list of the keys a sweep looks for, for the
// window and the command line alike. Revoked keys are left out; a key
// whose add or removal has not finished is looked for when its secret is
// there (the window left it out, so a copy of it was shown as a key not in
// Keywarden) and, when it is not, skipped as unfinished rather than as a
// missing secret (the command line's false alarm); a key whose secret is
// missing is named with that reason; a locked keyring is one error.
func TestService_SweepKeys(t *testing.T) {
	f := newFixture(t)
	f.add(t, "koinly-tax")
	revoked, _ := f.add(t, "old-bot")
	if _, err := f.svc.Revoke(context.Background(), revoked.ID, "", true); err != nil {
		t.Fatal(err)
	}
	halfSaved, _ := f.add(t, "half-saved") // killed after the secret was stored
	notYet, _ := f.add(t, "being-added")   // another process is storing it
	lost, _ := f.add(t, "secret-lost")     // its keyring entry was deleted
	for _, id := range []string{halfSaved.ID, notYet.ID} {
		if err := f.store.Update(func(d *vault.Data) error {
			r, err := d.ByID(id)
			if err != nil {
				return err
			}
			r.Pending = &vault.Pending{Op: vault.PendingAdd, Since: f.now()}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{notYet.ID, lost.ID} {
		if err := f.secrets.Delete(id); err != nil {
			t.Fatal(err)
		}
	}

	l, err := f.svc.SweepKeys()
	if err != nil {
		t.Fatal(err)
	}
	byValue := map[string]bool{}
	var listed []string
	for _, k := range l.Keys {
		listed = append(listed, k.Name)
		byValue[k.Name] = k.APIKey != "" && k.PrivateKey != ""
		if k.Hint == "" {
			t.Errorf("%q has no hint to be recognised by", k.Name)
		}
	}
	if want := []string{"koinly-tax", "half-saved", "being-added", "secret-lost"}; !slices.Equal(listed, want) {
		t.Errorf("looks for %v, want %v (revoked left out, unfinished kept)", listed, want)
	}
	for name, want := range map[string]bool{"koinly-tax": true, "half-saved": true, "being-added": false, "secret-lost": false} {
		if byValue[name] != want {
			t.Errorf("%q looked for by value: %v, want %v", name, byValue[name], want)
		}
	}
	if l.Looked != 2 || l.KeyringErr != nil {
		t.Errorf("looked for %d by value (keyring error %v), want 2 and none", l.Looked, l.KeyringErr)
	}
	reasons := map[string]string{}
	for _, s := range l.Skipped {
		reasons[s.Name] = s.Reason
	}
	if len(reasons) != 2 || !strings.Contains(reasons["being-added"], "not finished") ||
		!strings.Contains(reasons["secret-lost"], "not in the system keyring") {
		t.Errorf("skipped %v, want being-added as unfinished and secret-lost as missing", l.Skipped)
	}

	t.Run("a locked keyring is one error, and nothing is looked for by value", func(t *testing.T) {
		f.secrets.SetError(lockedKeyring)
		defer f.secrets.SetError(nil)
		l, err := f.svc.SweepKeys()
		if err != nil {
			t.Fatal(err)
		}
		if !errors.Is(l.KeyringErr, lockedKeyring) || l.Looked != 0 || len(l.Skipped) != 0 || len(l.Keys) != 4 {
			t.Errorf("got %d keys, %d by value, skipped %v, keyring error %v", len(l.Keys), l.Looked, l.Skipped, l.KeyringErr)
		}
	})
}

// TestCheckName: one duplicate-name rule for the command line's add, the
// sweep's import and the wizard, which agrees with what the save itself
// refuses: a name only a retired key has is free, the key being renamed
// does not clash with itself, case and outer spaces do not make a name new.
func TestCheckName(t *testing.T) {
	f := newFixture(t)
	tax, _ := f.add(t, "koinly-tax")
	old, _ := f.add(t, "old-bot")
	if _, err := f.svc.Revoke(context.Background(), old.ID, "", true); err != nil {
		t.Fatal(err)
	}
	recs := f.records(t)
	tests := []struct {
		name, except string
		want         error // nil, keys.ErrNoName or vault.ErrDuplicateName
	}{
		{"", "", keys.ErrNoName},
		{"   ", "", keys.ErrNoName},
		{"koinly-tax", "", vault.ErrDuplicateName},
		{"  Koinly-TAX ", "", vault.ErrDuplicateName},
		{"koinly-tax", tax.ID, nil},
		{"old-bot", "", nil},
		{"freqtrade-vps", "", nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q except %q", tt.name, tt.except), func(t *testing.T) {
			err := keys.CheckName(recs, tt.name, tt.except)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("CheckName = %v, want %v", err, tt.want)
			}
			var dup *vault.DuplicateNameError
			if errors.As(err, &dup) {
				if dup.OtherID != tax.ID {
					t.Errorf("names %s as the holder, want %s", dup.OtherID, tax.ID)
				}
				if msg := keys.UserMessage(err); !strings.Contains(msg, "already named “koinly-tax”") && !strings.Contains(msg, `already named "koinly-tax"`) {
					t.Errorf("UserMessage = %q, want it to name the other key", msg)
				}
			}
			if tt.except != "" || tt.want == keys.ErrNoName {
				return
			}
			// The save agrees: what the check lets through is saved, what
			// it refuses is refused for the same reason.
			_, sec := f.exchangeKey(krakentest.Key{Name: tt.name})
			_, addErr := f.svc.Add(context.Background(), newKey(tt.name, sec))
			if (err == nil) != (addErr == nil) || (err != nil && !errors.Is(addErr, vault.ErrDuplicateName)) {
				t.Errorf("CheckName says %v, the save says %v", err, addErr)
			}
		})
	}
}

// TestRecommendedExpiryDays: the 90/30/7-day expiry advice is the
// service's (it lived only in the wizard): the more a key can do, the
// shorter it lives, a risk not known gets the shortest, and the words name
// the very number recommended.
func TestRecommendedExpiryDays(t *testing.T) {
	tests := []struct {
		risk kraken.Risk
		want int
	}{
		{kraken.RiskRead, 90},
		{kraken.RiskTrade, 30},
		{kraken.RiskMoveOut, 7},
		{kraken.Risk(99), 7},
	}
	for _, tt := range tests {
		t.Run(tt.risk.String(), func(t *testing.T) {
			if got := keys.RecommendedExpiryDays(tt.risk); got != tt.want {
				t.Errorf("RecommendedExpiryDays = %d, want %d", got, tt.want)
			}
			if advice := keys.ExpiryAdvice(tt.risk); !strings.HasPrefix(advice, fmt.Sprintf("Recommended: %d days, because", tt.want)) {
				t.Errorf("ExpiryAdvice = %q, want it to recommend %d days", advice, tt.want)
			}
		})
	}
}

// TestTwoFAWords: one wording of a key's own 2FA for the window and the
// command line (they said "static password kept in the keyring" and "2FA
// password kept in the system keyring"), each kind its own words, and a
// kind this version does not know is never shown as "none".
func TestTwoFAWords(t *testing.T) {
	seen := map[string]vault.TwoFA{}
	for _, k := range []vault.TwoFA{vault.TwoFANone, vault.TwoFATyped, vault.TwoFASeed, vault.TwoFAPassword, "hardware-token"} {
		w := keys.TwoFAWords(k)
		if w == "" {
			t.Errorf("%q has no words", k)
		}
		if other, dup := seen[w]; dup {
			t.Errorf("%q and %q are both worded %q", k, other, w)
		}
		seen[w] = k
	}
	if got := keys.TwoFAWords("hardware-token"); got == "none" {
		t.Error("an unknown 2FA kind is shown as none")
	}
	if got := keys.TwoFAWords(vault.TwoFAPassword); !strings.Contains(got, "system keyring") {
		t.Errorf("password 2FA is worded %q, want where it is kept", got)
	}
}

// TestNewKeyOf: the wizard and the command line assemble a new key's
// record with one constructor, which tidies what the person typed as Edit
// does (the command line kept "Koinly, koinly" as two services), and the
// service saves it as it is, a rotation linked to the key it replaces.
func TestNewKeyOf(t *testing.T) {
	f := newFixture(t)
	old, _ := f.add(t, "koinly-tax")
	_, sec := f.exchangeKey(krakentest.Key{Name: "koinly-tax-2"})
	rb := f.svc.Verify(context.Background(), sec, vault.TwoFANone, "")
	d := keys.Draft{
		Name: "  koinly-tax-2 ", Account: " main ", UsedBy: []string{"Koinly", " koinly ", "", "CoinTracker"},
		Intended: []kraken.Permission{kraken.QueryLedger, kraken.QueryFunds, kraken.QueryLedger},
		Replaces: &old,
	}
	nk := keys.NewKeyOf(d, sec, &rb, "added from the command line")
	rec := nk.Record
	if rec.ID == "" || rec.ID == keys.NewKeyOf(d, sec, &rb, "").Record.ID {
		t.Errorf("ID %q: want a fresh one each time", rec.ID)
	}
	if rec.Name != "koinly-tax-2" || rec.Account != "main" {
		t.Errorf("name %q, account %q: want them trimmed", rec.Name, rec.Account)
	}
	if want := []string{"Koinly", "CoinTracker"}; !slices.Equal(rec.UsedBy, want) {
		t.Errorf("used by %q, want %q", rec.UsedBy, want)
	}
	if want := []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}; !slices.Equal(rec.Intended, want) {
		t.Errorf("intended %v, want %v (sorted, once each)", rec.Intended, want)
	}
	if rec.Status != vault.StatusActive || rec.TwoFA != vault.TwoFANone || rec.Purpose != vault.PurposeCustom {
		t.Errorf("status %q, 2FA %q, purpose %q: want active, none, custom", rec.Status, rec.TwoFA, rec.Purpose)
	}
	if rec.KeyHint != vault.KeyHintOf(sec.APIKey) || rec.Replaces != old.ID {
		t.Errorf("hint %q, replaces %q: want %q and %q", rec.KeyHint, rec.Replaces, vault.KeyHintOf(sec.APIKey), old.ID)
	}
	if nk.Note != "replaces “koinly-tax” added from the command line" || nk.Readback != &rb {
		t.Errorf("note %q: want the rotation named, then the face's note", nk.Note)
	}

	saved, err := f.svc.Add(context.Background(), nk)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(saved.UsedBy, rec.UsedBy) || saved.Name != rec.Name || f.record(t, old.ID).ReplacedBy != saved.ID {
		t.Errorf("saved %+v; the old key is replaced by %q", saved, f.record(t, old.ID).ReplacedBy)
	}
}

// TestService_CheckNamed: checking the keys a person named is the
// service's (it was written in the command line): a key named twice is
// checked once, a key that cannot be checked and a key whose typed 2FA
// code was not given are skipped with why, the code is asked only for a
// key then checked, a key removed meanwhile is counted, not an error.
func TestService_CheckNamed(t *testing.T) {
	f := newFixture(t)
	tax, _ := f.add(t, "koinly-tax")
	old, _ := f.add(t, "old-bot")
	if _, err := f.svc.Revoke(context.Background(), old.ID, "", true); err != nil {
		t.Fatal(err)
	}
	typed := f.addTyped(t, "typed-bot", "hunter2")
	bare := f.addTyped(t, "typed-no-code", "s3cret")
	gone, _ := f.add(t, "gone-soon")
	if err := f.svc.Remove(gone.ID); err != nil {
		t.Fatal(err)
	}
	f.ex.ResetCalls()
	var asked []string
	codes := func(r vault.Record) string {
		asked = append(asked, r.Name)
		if r.ID == typed.ID {
			return "hunter2"
		}
		return ""
	}

	rep, err := f.svc.CheckNamed(context.Background(), []string{tax.ID, old.ID, typed.ID, tax.ID, bare.ID, gone.ID}, codes)
	if err != nil {
		t.Fatal(err)
	}
	var checked []string
	for _, res := range rep.Results {
		checked = append(checked, res.Record.Name)
		if res.Readback.Outcome != vault.OutcomeOK || res.Record.LastCheck == nil {
			t.Errorf("%q: outcome %q (%s), last check %v: want saved OK", res.Record.Name, res.Readback.Outcome, res.Readback.Problem, res.Record.LastCheck)
		}
	}
	if want := []string{"koinly-tax", "typed-bot"}; !slices.Equal(checked, want) {
		t.Errorf("checked %v, want %v", checked, want)
	}
	if n := len(f.ex.Calls()); n != 2 {
		t.Errorf("%d calls to the exchange, want 2 (a key named twice is checked once)", n)
	}
	why := map[string]string{}
	for _, sk := range rep.Skipped {
		why[sk.Record.Name] = sk.Reason
	}
	if _, can := keys.Can(f.record(t, old.ID), keys.ActCheck); len(why) != 2 || why["old-bot"] != can || !strings.Contains(why["typed-no-code"], "typed") {
		t.Errorf("skipped %v: want old-bot with Can's words and typed-no-code for its code", why)
	}
	if want := []string{"typed-bot", "typed-no-code"}; !slices.Equal(asked, want) {
		t.Errorf("codes asked for %v, want %v (only for keys with a typed code that can be checked)", asked, want)
	}
	if rep.Gone != 1 {
		t.Errorf("gone %d, want 1", rep.Gone)
	}

	t.Run("a locked keyring ends the run with its own error", func(t *testing.T) {
		f.secrets.SetError(lockedKeyring)
		defer f.secrets.SetError(nil)
		rep, err := f.svc.CheckNamed(context.Background(), []string{tax.ID}, nil)
		if !errors.Is(err, vault.ErrKeyringUnavailable) || len(rep.Results)+len(rep.Skipped) != 0 {
			t.Errorf("got %+v, %v; want the keyring's error and nothing else", rep, err)
		}
	})
}
