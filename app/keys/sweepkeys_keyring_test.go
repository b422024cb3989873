package keys_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// BenchmarkSweepKeys20 reads 20 stored keys from the real Secret Service
// (run under .ci/session.sh), as Find copies does before it sweeps: the
// wait the screen shows as "Reading your stored keys…" (issue 20 item 11).
func BenchmarkSweepKeys20(b *testing.B) {
	kr := &vault.Keyring{Service: "keywarden-bench-" + vault.NewID(), Timeout: 20 * time.Second}
	if _, err := kr.Get("probe-" + vault.NewID()); !errors.Is(err, vault.ErrSecretNotFound) {
		b.Fatalf("no usable Secret Service (run under .ci/session.sh): %v", err)
	}
	dir := b.TempDir()
	store, err := vault.Open(filepath.Join(dir, "store"))
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	err = store.Update(func(d *vault.Data) error {
		for i := range 20 {
			r := vault.Record{ID: vault.NewID(), Name: fmt.Sprintf("key-%02d", i), Purpose: vault.PurposeCustom,
				TwoFA: vault.TwoFANone, Status: vault.StatusActive, Intended: []kraken.Permission{kraken.QueryFunds}}
			if _, err := d.Add(r); err != nil {
				return err
			}
			ids = append(ids, r.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		for _, id := range ids {
			_ = kr.Delete(id)
		}
	})
	for i, id := range ids {
		if err := kr.Set(id, vault.Secret{APIKey: fmt.Sprintf("api-%02d-%s", i, id), PrivateKey: "cHJpdmF0ZQ=="}); err != nil {
			b.Fatal(err)
		}
	}
	svc := keys.New(keys.Params{Store: store, Secrets: kr, Settings: testSettings(store.Dir(), dir), Now: time.Now})
	b.ResetTimer()
	for b.Loop() {
		l, err := svc.SweepKeys()
		if err != nil || l.Looked != 20 || l.KeyringErr != nil {
			b.Fatalf("looked for %d of 20 (%v, %v)", l.Looked, err, l.KeyringErr)
		}
	}
}

// SweepKeys reads the real Secret Service in one batch (vault.ManyGetter)
// and tells a key whose secret is missing from the ones it looks for.
func TestSweepKeys_RealKeyring(t *testing.T) {
	kr := liveKeyring(t)
	dir := t.TempDir()
	store, err := vault.Open(filepath.Join(dir, "store"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	err = store.Update(func(d *vault.Data) error {
		for _, name := range []string{"kept-1", "kept-2", "lost"} {
			r := vault.Record{ID: vault.NewID(), Name: name, Purpose: vault.PurposeCustom,
				TwoFA: vault.TwoFANone, Status: vault.StatusActive, Intended: []kraken.Permission{kraken.QueryFunds}}
			if _, err := d.Add(r); err != nil {
				return err
			}
			ids = append(ids, r.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[:2] {
		if err := kr.Set(id, vault.Secret{APIKey: "api-" + id, PrivateKey: "cHJpdmF0ZQ=="}); err != nil {
			t.Fatal(err)
		}
	}
	svc := keys.New(keys.Params{Store: store, Secrets: kr, Settings: testSettings(store.Dir(), dir), Now: time.Now})
	l, err := svc.SweepKeys()
	if err != nil || l.KeyringErr != nil {
		t.Fatal(err, l.KeyringErr)
	}
	if l.Looked != 2 || len(l.Skipped) != 1 || l.Skipped[0].Name != "lost" || l.Skipped[0].Reason != "its secret is not in the system keyring" {
		t.Errorf("looked for %d, skipped %+v", l.Looked, l.Skipped)
	}
	for _, k := range l.Keys {
		if (k.APIKey == "api-"+k.ID) != (k.Name != "lost") {
			t.Errorf("%s: API key %q", k.Name, k.APIKey)
		}
	}
}
