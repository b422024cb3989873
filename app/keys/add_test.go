package keys_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func TestService_Add(t *testing.T) {
	ctx := context.Background()

	t.Run("a new key is saved complete, with its secret and its key print", func(t *testing.T) {
		f := newFixture(t)
		k, sec := f.exchangeKey(krakentest.Key{Name: "koinly"})
		rb := f.svc.Verify(ctx, sec, vault.TwoFANone, "")
		nk := newKey("koinly", sec)
		nk.Readback = &rb
		rec, err := f.svc.Add(ctx, nk)
		if err != nil {
			t.Fatal(err)
		}
		got := f.record(t, rec.ID)
		if got.Pending != nil {
			t.Errorf("the record is still pending: %+v", got.Pending)
		}
		if got.KeyPrint != vault.KeyPrintOf(k.APIKey) || got.KeyPrint == "" {
			t.Errorf("key print %q, want %q", got.KeyPrint, vault.KeyPrintOf(k.APIKey))
		}
		if got.KeyHint != k.APIKey[len(k.APIKey)-4:] {
			t.Errorf("key hint %q", got.KeyHint)
		}
		if got.Status != vault.StatusActive || !hasEvent(got, vault.EventAdded) {
			t.Errorf("status %q, history %+v; want active with an added event", got.Status, got.History)
		}
		if got.LastCheck == nil || got.LastCheck.Outcome != vault.OutcomeOK {
			t.Errorf("the verify step's answer was not kept: %+v", got.LastCheck)
		}
		if s, err := f.secrets.Get(rec.ID); err != nil || s != sec {
			t.Errorf("the keyring does not hold the key's secret: %v", err)
		}
		if f.changed == 0 {
			t.Error("the service did not say it saved a change")
		}
	})

	t.Run("a second add of the same API key, under another name, is refused and names the holder", func(t *testing.T) {
		f := newFixture(t)
		first, k := f.add(t, "tax import")
		before := f.keysFile(t)
		again := newKey("portfolio app", vault.Secret{APIKey: "  " + k.APIKey + "\n", PrivateKey: k.PrivateKey})
		_, err := f.svc.Add(ctx, again)
		var dup *keys.DuplicateKeyError
		if !errors.As(err, &dup) || !errors.Is(err, keys.ErrDuplicateKey) {
			t.Fatalf("got %v, want a *DuplicateKeyError", err)
		}
		if dup.Holder.ID != first.ID || dup.Replacing {
			t.Errorf("holder %s (replacing %v), want %s", dup.Holder.ID, dup.Replacing, first.ID)
		}
		msg := keys.UserMessage(err)
		for _, want := range []string{"“tax import”", first.ID, "Nothing was saved"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q does not say %q", msg, want)
			}
		}
		if strings.Contains(msg, k.APIKey) || strings.Contains(msg, k.PrivateKey) {
			t.Error("the message quotes the key")
		}
		if got := f.secrets.IDs(); !slices.Equal(got, []string{first.ID}) {
			t.Errorf("keyring holds %v, want only %s", got, first.ID)
		}
		if !slices.Equal(f.keysFile(t), before) {
			t.Error("keys.json changed")
		}
	})

	t.Run("the same API key is refused even when its holder is revoked", func(t *testing.T) {
		f := newFixture(t)
		first, k := f.add(t, "old bot")
		f.ex.DeleteKey(k.APIKey)
		if _, err := f.svc.Revoke(ctx, first.ID, "", false); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Add(ctx, newKey("new bot", vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey}))
		var dup *keys.DuplicateKeyError
		if !errors.As(err, &dup) || dup.Holder.ID != first.ID {
			t.Fatalf("got %v, want a *DuplicateKeyError naming %s", err, first.ID)
		}
		if msg := keys.UserMessage(err); !strings.Contains(msg, "revoked") {
			t.Errorf("message %q does not say the holder is revoked", msg)
		}
	})

	t.Run("a rotation whose new pair is the old pair is refused, and nothing is left", func(t *testing.T) {
		f := newFixture(t)
		old, k := f.add(t, "trading bot")
		before := f.keysFile(t)
		nk := newKey("trading bot 2", vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey})
		nk.Record.Replaces = old.ID
		_, err := f.svc.Add(ctx, nk)
		var dup *keys.DuplicateKeyError
		if !errors.As(err, &dup) {
			t.Fatalf("got %v, want a *DuplicateKeyError", err)
		}
		if !dup.Replacing || dup.Holder.ID != old.ID {
			t.Errorf("replacing %v, holder %s; want the key being replaced, %s", dup.Replacing, dup.Holder.ID, old.ID)
		}
		msg := keys.UserMessage(err)
		for _, want := range []string{"being replaced", "“trading bot”", "nothing was saved"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q does not say %q", msg, want)
			}
		}
		if got := f.records(t); len(got) != 1 {
			t.Errorf("%d records, want 1: %v", len(got), names(got))
		}
		if got := f.secrets.IDs(); !slices.Equal(got, []string{old.ID}) {
			t.Errorf("keyring holds %v, want only %s", got, old.ID)
		}
		if r := f.record(t, old.ID); r.ReplacedBy != "" || hasEvent(r, vault.EventRotated) {
			t.Errorf("the old key was linked anyway: replacedBy %q", r.ReplacedBy)
		}
		if !slices.Equal(f.keysFile(t), before) {
			t.Error("keys.json changed")
		}
	})

	t.Run("a record saved without a key print gets one from the keyring, so its key is still found", func(t *testing.T) {
		f := newFixture(t)
		k, sec := f.exchangeKey(krakentest.Key{})
		legacy := vault.Record{ID: vault.NewID(), Name: "from version 1", Purpose: vault.PurposeCustom,
			Status: vault.StatusActive, TwoFA: vault.TwoFANone, KeyHint: vault.KeyHintOf(k.APIKey), Created: f.now()}
		if err := f.store.Update(func(d *vault.Data) error { _, err := d.Add(legacy); return err }); err != nil {
			t.Fatal(err)
		}
		if err := f.secrets.Set(legacy.ID, sec); err != nil {
			t.Fatal(err)
		}
		// A revoked legacy key has no secret any more: it stays without a print.
		gone := vault.Record{ID: vault.NewID(), Name: "revoked long ago", Purpose: vault.PurposeCustom,
			Status: vault.StatusRevoked, TwoFA: vault.TwoFANone, Created: f.now()}
		if err := f.store.Update(func(d *vault.Data) error { _, err := d.Add(gone); return err }); err != nil {
			t.Fatal(err)
		}

		_, err := f.svc.Add(ctx, newKey("same key, new name", sec))
		var dup *keys.DuplicateKeyError
		if !errors.As(err, &dup) || dup.Holder.ID != legacy.ID {
			t.Fatalf("got %v, want a *DuplicateKeyError naming the legacy record", err)
		}
		if got, want := f.record(t, legacy.ID).KeyPrint, vault.KeyPrintOf(k.APIKey); got != want {
			t.Errorf("legacy key print %q, want %q", got, want)
		}
		if got := f.record(t, gone.ID).KeyPrint; got != "" {
			t.Errorf("the revoked record without secret got a print %q", got)
		}
		if n := len(f.records(t)); n != 2 {
			t.Errorf("%d records, want 2", n)
		}
	})

	t.Run("a keyring that refuses the secret leaves no record behind", func(t *testing.T) {
		f := newFixture(t)
		_, sec := f.exchangeKey(krakentest.Key{})
		f.secrets.SetError(lockedKeyring)
		_, err := f.svc.Add(ctx, newKey("locked out", sec))
		if !errors.Is(err, vault.ErrKeyringUnavailable) {
			t.Fatalf("got %v, want ErrKeyringUnavailable", err)
		}
		f.secrets.SetError(nil)
		if got := f.records(t); len(got) != 0 {
			t.Errorf("records left: %v", names(got))
		}
		if got := f.secrets.IDs(); len(got) != 0 {
			t.Errorf("secrets left: %v", got)
		}
	})

	t.Run("a rotation links both records, with an event on the old one", func(t *testing.T) {
		f := newFixture(t)
		old, _ := f.add(t, "bot")
		f.advance(time.Minute)
		rec := f.rotate(t, old, "bot 2")
		if rec.Replaces != old.ID {
			t.Errorf("new.Replaces = %q, want %q", rec.Replaces, old.ID)
		}
		o := f.record(t, old.ID)
		if o.ReplacedBy != rec.ID {
			t.Errorf("old.ReplacedBy = %q, want %q", o.ReplacedBy, rec.ID)
		}
		if n := countEvents(o, vault.EventRotated); n != 1 {
			t.Errorf("%d rotated events on the old key, want 1", n)
		}
		if o.Status != vault.StatusActive {
			t.Errorf("the old key is %s: it must keep working until revoked", o.Status)
		}
	})

	t.Run("a revoked key cannot be rotated", func(t *testing.T) {
		f := newFixture(t)
		old, _ := f.add(t, "bot")
		if _, err := f.svc.Revoke(ctx, old.ID, "", true); err != nil {
			t.Fatal(err)
		}
		_, sec := f.exchangeKey(krakentest.Key{})
		nk := newKey("bot 2", sec)
		nk.Record.Replaces = old.ID
		_, err := f.svc.Add(ctx, nk)
		if !errors.Is(err, keys.ErrNotAllowed) {
			t.Fatalf("got %v, want ErrNotAllowed", err)
		}
		if msg := keys.UserMessage(err); !strings.Contains(msg, "make a new key instead") {
			t.Errorf("message %q", msg)
		}
		if n := len(f.secrets.IDs()); n != 1 {
			t.Errorf("%d secrets, want 1", n)
		}
	})

	t.Run("a rotation of a key removed meanwhile saves nothing", func(t *testing.T) {
		f := newFixture(t)
		_, sec := f.exchangeKey(krakentest.Key{})
		nk := newKey("bot 2", sec)
		nk.Record.Replaces = vault.NewID()
		_, err := f.svc.Add(ctx, nk)
		if !errors.Is(err, keys.ErrChanged) {
			t.Fatalf("got %v, want ErrChanged", err)
		}
		if n := len(f.records(t)) + len(f.secrets.IDs()); n != 0 {
			t.Errorf("%d records and secrets left", n)
		}
	})

	t.Run("a key with a replacement already cannot be rotated again", func(t *testing.T) {
		f := newFixture(t)
		old, _ := f.add(t, "bot")
		f.rotate(t, old, "bot 2")
		_, sec := f.exchangeKey(krakentest.Key{})
		nk := newKey("bot 3", sec)
		nk.Record.Replaces = old.ID
		_, err := f.svc.Add(ctx, nk)
		if !errors.Is(err, keys.ErrNotAllowed) {
			t.Fatalf("got %v, want ErrNotAllowed", err)
		}
		if n := len(f.records(t)); n != 2 {
			t.Errorf("%d records, want 2", n)
		}
		if n := len(f.secrets.IDs()); n != 2 {
			t.Errorf("%d secrets, want 2", n)
		}
	})
}

func TestService_Add_Concurrent(t *testing.T) {
	t.Run("several windows adding the same key at once: one keeps it, the others are told who", func(t *testing.T) {
		f := newFixture(t)
		k, sec := f.exchangeKey(krakentest.Key{})
		const n = 6
		errs := make([]error, n)
		saved := make([]vault.Record, n)
		var wg sync.WaitGroup
		for i := range n {
			// Each "window" has a Store of its own on the same folder, as
			// another process would.
			store, err := vault.Open(f.store.Dir())
			if err != nil {
				t.Fatal(err)
			}
			svc := keys.New(keys.Params{Store: store, Secrets: f.secrets, Settings: testSettings(store.Dir(), f.dir)})
			wg.Go(func() { saved[i], errs[i] = svc.Add(context.Background(), newKey(seq("window", i), sec)) })
		}
		wg.Wait()
		var winner vault.Record
		for i, err := range errs {
			var dup *keys.DuplicateKeyError
			switch {
			case err == nil && winner.ID == "":
				winner = saved[i]
			case err == nil:
				t.Errorf("two windows saved the same key: %s and %s", winner.Name, saved[i].Name)
			case !errors.As(err, &dup):
				t.Errorf("window %d: %v", i, err)
			}
		}
		if winner.ID == "" {
			t.Fatal("no window saved the key")
		}
		for i, err := range errs {
			var dup *keys.DuplicateKeyError
			if errors.As(err, &dup) && dup.Holder.ID != winner.ID {
				t.Errorf("window %d was told %s holds the key, not %s", i, dup.Holder.ID, winner.ID)
			}
		}
		if got := ids(f.records(t)); !slices.Equal(got, []string{winner.ID}) {
			t.Errorf("records %v, want only %s", got, winner.ID)
		}
		if got := f.secrets.IDs(); !slices.Equal(got, []string{winner.ID}) {
			t.Errorf("secrets %v, want only %s", got, winner.ID)
		}
		if got := f.record(t, winner.ID).KeyPrint; got != vault.KeyPrintOf(k.APIKey) {
			t.Errorf("key print %q", got)
		}
	})
}

func TestService_Remove(t *testing.T) {
	t.Run("a removal deletes the secret and the record", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "tax")
		keep, _ := f.add(t, "dashboard")
		if err := f.svc.Remove(rec.ID); err != nil {
			t.Fatal(err)
		}
		if _, ok := f.lookup(t, rec.ID); ok {
			t.Error("the record is still there")
		}
		if got := f.secrets.IDs(); !slices.Equal(got, []string{keep.ID}) {
			t.Errorf("keyring holds %v, want only %s", got, keep.ID)
		}
	})

	t.Run("removing the replacement clears the old key's link", func(t *testing.T) {
		f := newFixture(t)
		old, _ := f.add(t, "bot")
		rec := f.rotate(t, old, "bot 2")
		if err := f.svc.Remove(rec.ID); err != nil {
			t.Fatal(err)
		}
		if got := f.record(t, old.ID).ReplacedBy; got != "" {
			t.Errorf("old.ReplacedBy = %q, pointing at nothing", got)
		}
		snap, err := f.svc.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if ok, why := keys.Can(f.record(t, old.ID), keys.ActRotate); !ok {
			t.Errorf("the old key cannot be rotated again: %s", why)
		}
		if snap.NeedsAttention(old.ID) {
			t.Errorf("the old key still needs attention: %+v", snap.Findings(old.ID))
		}
	})

	t.Run("removing the old key clears the new key's link", func(t *testing.T) {
		f := newFixture(t)
		old, _ := f.add(t, "bot")
		rec := f.rotate(t, old, "bot 2")
		if err := f.svc.Remove(old.ID); err != nil {
			t.Fatal(err)
		}
		if got := f.record(t, rec.ID).Replaces; got != "" {
			t.Errorf("new.Replaces = %q, pointing at nothing", got)
		}
	})

	t.Run("a secret missing already does not stop the removal", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "tax")
		if err := f.secrets.Delete(rec.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Remove(rec.ID); err != nil {
			t.Fatalf("Remove: %v", err)
		}
		if _, ok := f.lookup(t, rec.ID); ok {
			t.Error("the record is still there")
		}
	})

	t.Run("a keyring that cannot be reached leaves everything as it was", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "tax")
		f.secrets.SetError(lockedKeyring)
		err := f.svc.Remove(rec.ID)
		f.secrets.SetError(nil)
		if !errors.Is(err, vault.ErrKeyringUnavailable) {
			t.Fatalf("got %v, want ErrKeyringUnavailable", err)
		}
		got := f.record(t, rec.ID)
		if got.Pending != nil {
			t.Errorf("the record was left pending: %+v", got.Pending)
		}
		if !f.hasSecret(t, rec.ID) {
			t.Error("the secret is gone")
		}
		if msg := keys.UserMessage(err); !strings.Contains(msg, "Unlock") {
			t.Errorf("message %q does not say to unlock the keyring", msg)
		}
	})

	t.Run("an unknown ID is not found", func(t *testing.T) {
		f := newFixture(t)
		if err := f.svc.Remove(vault.NewID()); !errors.Is(err, vault.ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound", err)
		}
	})
}
