package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

func TestRevokeRunbook_confirm(t *testing.T) {
	t.Run("an invalid-key answer marks it revoked and deletes the secret", func(t *testing.T) {
		f := newFixture(t)
		rec := f.addKey("koinly-tax", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
		secret, _ := f.secrets.Get(rec.ID)
		f.open()
		f.mw.showDetail(rec.ID)
		test.Tap(f.mw.detail.revoke)
		if f.mw.revoke == nil {
			t.Fatal("no runbook")
		}
		f.ex.DeleteKey(secret.APIKey)
		f.ex.ResetCalls()
		test.Tap(f.mw.revoke.confirm)
		f.wait()

		got := f.stored(rec.ID)
		if got.Status != vault.StatusRevoked {
			t.Errorf("status %s, want revoked", got.Status)
		}
		if last := got.History[len(got.History)-1]; last.Kind != vault.EventRevoked {
			t.Errorf("last event %s, want revoked", last.Kind)
		}
		if _, err := f.secrets.Get(rec.ID); !errors.Is(err, vault.ErrSecretNotFound) {
			t.Errorf("secret: %v, want deleted", err)
		}
		if n := len(f.ex.Calls()); n != 1 {
			t.Errorf("%d calls to the exchange, want a single check", n)
		}
		if _, ok := f.mw.record(rec.ID); !ok {
			t.Error("the record is gone; it should stay as history")
		}
	})

	t.Run("a key that still works changes nothing", func(t *testing.T) {
		f := newFixture(t)
		rec := f.addKey("koinly-tax", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
		f.open()
		f.mw.showRevoke(rec.ID, false)
		rb := f.mw.revoke
		test.Tap(rb.confirm)
		f.wait()

		got := f.stored(rec.ID)
		if got.Status != vault.StatusActive || got.LastCheck != nil || len(got.History) != 0 {
			t.Errorf("record changed: status %s, check %v, history %v", got.Status, got.LastCheck, got.History)
		}
		if _, err := f.secrets.Get(rec.ID); err != nil {
			t.Errorf("secret: %v, want kept", err)
		}
		if !strings.Contains(rb.result.Text, "still accepts") || rb.result.Hidden {
			t.Errorf("explanation %q", rb.result.Text)
		}
		if rb.anyway.Hidden {
			t.Fatal("no way to record it revoked anyway")
		}

		test.Tap(rb.anyway)
		rb.anywayDialog.Confirm()
		f.wait()
		if got := f.stored(rec.ID); got.Status != vault.StatusRevoked {
			t.Errorf("after the extra confirmation: status %s", got.Status)
		}
		if _, err := f.secrets.Get(rec.ID); err != nil {
			t.Errorf("secret %v: recorded without confirmation, it should stay for a later check", err)
		}
	})
}

func TestRevokeRunbook_sameService(t *testing.T) {
	f := newFixture(t)
	a := f.addKey("koinly-tax", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
	b := f.addKey("koinly-ledger", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
	f.addKey("bot", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
	if err := f.store.Update(func(d *vault.Data) error {
		r, _ := d.ByID(b.ID)
		r.UsedBy = []string{" KOINLY", "Accountant"}
		r3, _ := d.ByName("bot")
		r3.UsedBy = []string{"freqtrade"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	f.open()
	f.mw.showRevoke(a.ID, false)
	if got := names(f.mw.revoke.related); !slices.Equal(got, []string{"koinly-ledger"}) {
		t.Errorf("same service: %v, want koinly-ledger", got)
	}
}

func TestCompromised(t *testing.T) {
	f := newDemoFixture(t)
	rec := f.byName("koinly-tax-import")
	f.mw.showDetail(rec.ID)
	test.Tap(f.mw.detail.compromised)
	f.mw.detail.confirm.Confirm()
	f.wait()
	if got := f.stored(rec.ID); got.Status != vault.StatusCompromised {
		t.Fatalf("status %s, want compromised", got.Status)
	}
	rb := f.mw.revoke
	if rb == nil || !rb.compromised || rb.leak == nil {
		t.Fatal("the compromised runbook is not shown")
	}
	f.toggle(rb.leak.ticks[2], true)

	// Kraken confirms the key is gone: revoked, and the leak steps stay.
	secret, _ := f.secrets.Get(rec.ID)
	f.ex.DeleteKey(secret.APIKey)
	test.Tap(rb.confirm)
	f.wait()
	if got := f.stored(rec.ID); got.Status != vault.StatusRevoked {
		t.Errorf("status %s, want revoked", got.Status)
	}
	if f.mw.revoke == nil || f.mw.revoke.leak == nil || !f.mw.revoke.leak.ticks[2].Checked {
		t.Error("the leak steps, or what was ticked, are gone after the revocation")
	}
}
