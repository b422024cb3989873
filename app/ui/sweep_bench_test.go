package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/internal/testfiles"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// BenchmarkFindCopies20 is Find copies with 20 keys in the real Secret
// Service (run it under .ci/session.sh) over 200 small files: wait-ms is
// what the person waits from the tap to the result, over-sweep-ms that
// minus the sweep's own time, which issue 20 wants at most 300 ms.
func BenchmarkFindCopies20(b *testing.B) {
	kr := &vault.Keyring{Service: "keywarden-bench-" + vault.NewID(), Timeout: 20 * time.Second}
	if _, err := kr.Get("probe-" + vault.NewID()); !errors.Is(err, vault.ErrSecretNotFound) {
		b.Fatalf("no usable Secret Service (run under .ci/session.sh): %v", err)
	}
	store, err := vault.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	home := b.TempDir()
	for i := range 20 {
		rec := vault.Record{ID: vault.NewID(), Name: fmt.Sprintf("key-%02d", i), Purpose: vault.PurposeCustom,
			TwoFA: vault.TwoFANone, Status: vault.StatusActive, Intended: []kraken.Permission{kraken.QueryFunds}}
		if err := store.Update(func(d *vault.Data) error { _, err := d.Add(rec); return err }); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = kr.Delete(rec.ID) })
		if err := kr.Set(rec.ID, vault.Secret{APIKey: "api-" + rec.ID + rec.ID, PrivateKey: "cHJpdmF0ZQ=="}); err != nil {
			b.Fatal(err)
		}
		for j := range 10 {
			testfiles.Write(b, home, filepath.Join(fmt.Sprint("d", i), fmt.Sprint("f", j, ".txt")), "nothing here\n", 0o600)
		}
	}
	posted := make(chan func(), 64)
	svc := keys.New(keys.Params{Store: store, Secrets: kr, Runner: &check.Runner{Secrets: kr}})
	env := Env{App: test.NewTempApp(b), Keys: svc, Do: func(f func()) { posted <- f }}
	mw := newMainWindow(env)
	mw.win.Resize(fyne.NewSize(900, 620))
	b.Cleanup(mw.win.Close)
	wait := func() {
		for mw.pending.Load() > 0 || len(posted) > 0 {
			select {
			case work := <-posted:
				work()
			case <-time.After(time.Millisecond):
			}
		}
	}
	wait()
	mw.showSweep()
	s := mw.sweeper
	s.roots = []string{home}
	var waited, swept time.Duration
	for b.Loop() {
		start := time.Now()
		test.Tap(s.run)
		wait()
		waited += time.Since(start)
		swept += s.took
		if s.rep == nil || s.looked != 20 {
			b.Fatalf("the sweep looked for %d keys: %s", s.looked, s.progress.Text)
		}
	}
	b.ReportMetric(waited.Seconds()*1000/float64(b.N), "wait-ms/op")
	b.ReportMetric((waited-swept).Seconds()*1000/float64(b.N), "over-sweep-ms/op")
}
