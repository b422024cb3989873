package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/demo"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// fixture is a window over a store, in-memory secrets and a simulated
// exchange.
type fixture struct {
	t       *testing.T
	app     fyne.App
	store   *vault.Store
	secrets *vault.Memory
	runner  *check.Runner
	ex      *krakentest.Exchange
	env     Env
	mw      *mainWindow
	// posted holds the window's UI work from its goroutines: wait runs it
	// on the test's goroutine, as the UI goroutine would.
	posted chan func()
}

// newDemoFixture opens the window over the demo's sample keys.
func newDemoFixture(t *testing.T) *fixture {
	t.Helper()
	d, err := demo.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	f := &fixture{t: t, app: test.NewTempApp(t), store: d.Store, secrets: d.Secrets, ex: d.Exchange, posted: make(chan func(), 64)}
	f.runner = d.Runner
	f.env = Env{App: f.app, Demo: true, Website: d.Website(), Do: f.post}
	return f.open()
}

// newFixture opens the window over an empty store and an empty exchange;
// add keys with addKey before open.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	store, err := vault.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ex := krakentest.New()
	t.Cleanup(ex.Close)
	f := &fixture{t: t, app: test.NewTempApp(t), store: store, secrets: vault.NewMemory(), ex: ex, posted: make(chan func(), 64)}
	f.runner = &check.Runner{Secrets: f.secrets, BaseURL: ex.URL()}
	f.env = Env{App: f.app, Do: f.post}
	return f
}

// addKey puts a key on the exchange and its record and secret in the vault.
func (f *fixture) addKey(name string, onExchange []kraken.Permission, intended ...kraken.Permission) vault.Record {
	f.t.Helper()
	k := f.ex.AddKey(krakentest.Key{Name: name, Permissions: onExchange})
	rec := vault.Record{ID: vault.NewID(), Name: name, Account: "me@example.com", Purpose: vault.PurposeCustom,
		UsedBy: []string{"Koinly"}, Intended: intended, TwoFA: vault.TwoFANone, Status: vault.StatusActive,
		KeyHint: vault.KeyHintOf(k.APIKey), Created: time.Now().Add(-24 * time.Hour)}
	if err := f.secrets.Set(rec.ID, vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey}); err != nil {
		f.t.Fatal(err)
	}
	if err := f.store.Update(func(d *vault.Data) error { _, err := d.Add(rec); return err }); err != nil {
		f.t.Fatal(err)
	}
	return rec
}

// open builds the window and waits for the key list.
func (f *fixture) open() *fixture {
	f.t.Helper()
	if f.env.Keys == nil {
		// The service over the fixture's parts, on the window's clock.
		f.env.Keys = keys.New(keys.Params{Store: f.store, Secrets: f.secrets, Runner: f.runner, Now: f.env.Now})
	}
	f.mw = newMainWindow(f.env)
	f.mw.win.Resize(fyne.NewSize(900, 620))
	f.t.Cleanup(f.mw.win.Close)
	f.wait()
	return f
}

// post queues UI work from the window's goroutines for wait to run.
func (f *fixture) post(work func()) { f.posted <- work }

// wait runs the window's posted UI work on the test's goroutine until its
// background work is done, as the UI goroutine would.
func (f *fixture) wait() {
	f.t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case work := <-f.posted:
			work()
			continue
		default:
		}
		// Both counts: the window's jobs, and any other work off the UI
		// goroutine (the app-2FA prompt's keyring question runs on the
		// window's runner without being a job).
		if f.mw.pending.Load() == 0 && f.mw.run.Pending() == 0 {
			return
		}
		select {
		case work := <-f.posted:
			work()
		case <-timeout:
			f.t.Fatal("background work did not finish in time")
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// stored returns the record with the given ID as the store has it.
func (f *fixture) stored(id string) vault.Record {
	f.t.Helper()
	d, err := f.store.Load()
	if err != nil {
		f.t.Fatal(err)
	}
	r, err := d.ByID(id)
	if err != nil {
		f.t.Fatal(err)
	}
	return *r
}

// byName returns the loaded record with the given name.
func (f *fixture) byName(name string) vault.Record {
	f.t.Helper()
	for _, r := range f.mw.records {
		if r.Name == name {
			return r
		}
	}
	f.t.Fatalf("no key named %q", name)
	return vault.Record{}
}

func names(recs []vault.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Name
	}
	return out
}

// hasLabel reports whether a label under o shows exactly text.
func hasLabel(o fyne.CanvasObject, text string) bool {
	for _, obj := range test.LaidOutObjects(o) {
		if l, ok := obj.(*widget.Label); ok && l.Text == text {
			return true
		}
	}
	return false
}

// toggle sets a check as a click would, then waits for the work it starts.
// It does not use SetChecked: the test driver runs fyne.Do at once on the
// background job's goroutine, and SetChecked's own refresh after the
// callback would then race with the job's result.
func (f *fixture) toggle(c *widget.Check, on bool) {
	f.t.Helper()
	c.Checked = on
	c.OnChanged(on)
	f.wait()
}
