package keys_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// fixture is a Service over a store in a temporary folder, secrets in
// memory and a simulated exchange, with a clock the test moves.
type fixture struct {
	dir     string
	store   *vault.Store
	secrets *vault.Memory
	ex      *krakentest.Exchange
	svc     *keys.Service
	changed int // how many times the service said it saved a change

	mu    sync.Mutex
	clock time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	store, err := vault.Open(filepath.Join(dir, "store"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{dir: dir, store: store, secrets: vault.NewMemory(), ex: krakentest.New(),
		clock: time.Now().UTC().Truncate(time.Second)}
	t.Cleanup(f.ex.Close)
	f.svc = keys.New(keys.Params{
		Store:    store,
		Secrets:  f.secrets,
		Runner:   &check.Runner{Secrets: f.secrets, BaseURL: f.ex.URL()},
		Settings: testSettings(store.Dir(), dir),
		Now:      f.now,
		Changed:  func() { f.mu.Lock(); f.changed++; f.mu.Unlock() },
	})
	return f
}

// testSettings returns the settings file in dir whose legacy preferences
// are looked for in tmp, never in the person's own config folder.
func testSettings(dir, tmp string) *keys.SettingsFile {
	sf := keys.OpenSettings(dir)
	sf.LegacyPath = filepath.Join(tmp, "no-legacy-preferences.json")
	return sf
}

func (f *fixture) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clock
}

// advance moves the service's clock.
func (f *fixture) advance(d time.Duration) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = f.clock.Add(d)
	return f.clock
}

// exchangeKey creates a key on the simulated exchange, as its owner would
// on the website, and returns it with its secret.
func (f *fixture) exchangeKey(k krakentest.Key) (krakentest.Key, vault.Secret) {
	if k.Permissions == nil {
		k.Permissions = []kraken.Permission{kraken.QueryFunds}
	}
	k = f.ex.AddKey(k)
	return k, vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey, OTPSeed: k.OTPSecret, OTPPassword: k.OTPPassword}
}

// newKey is what the wizard hands the service for a key named name.
func newKey(name string, sec vault.Secret) keys.NewKey {
	return keys.NewKey{
		Record: vault.Record{Name: name, Purpose: vault.PurposeCustom, TwoFA: vault.TwoFANone,
			Intended: []kraken.Permission{kraken.QueryFunds}},
		Secret: sec,
	}
}

// add creates a key on the exchange and saves it through the service.
func (f *fixture) add(t *testing.T, name string) (vault.Record, krakentest.Key) {
	t.Helper()
	k, sec := f.exchangeKey(krakentest.Key{Name: name})
	rec, err := f.svc.Add(context.Background(), newKey(name, sec))
	if err != nil {
		t.Fatalf("Add %q: %v", name, err)
	}
	return rec, k
}

// rotate saves a new key on the exchange as the replacement of old.
func (f *fixture) rotate(t *testing.T, old vault.Record, name string) vault.Record {
	t.Helper()
	_, sec := f.exchangeKey(krakentest.Key{Name: name})
	nk := newKey(name, sec)
	nk.Record.Replaces = old.ID
	rec, err := f.svc.Add(context.Background(), nk)
	if err != nil {
		t.Fatalf("rotate %q to %q: %v", old.Name, name, err)
	}
	return rec
}

// record returns the record as stored now, read from the file by a store
// of its own (what another process, or the next start, would read).
func (f *fixture) record(t *testing.T, id string) vault.Record {
	t.Helper()
	r, ok := f.lookup(t, id)
	if !ok {
		t.Fatalf("record %s is not in the store", id)
	}
	return r
}

func (f *fixture) lookup(t *testing.T, id string) (vault.Record, bool) {
	t.Helper()
	s, err := vault.Open(f.store.Dir())
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	r, err := d.ByID(id)
	if err != nil {
		return vault.Record{}, false
	}
	return *r, true
}

func (f *fixture) records(t *testing.T) []vault.Record {
	t.Helper()
	d, err := f.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	return d.Records
}

// hasSecret reports whether the keyring holds a secret for id.
func (f *fixture) hasSecret(t *testing.T, id string) bool {
	t.Helper()
	return slices.Contains(f.secrets.IDs(), id)
}

// keysFile returns the bytes of keys.json, to show nothing was written.
func (f *fixture) keysFile(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(f.store.Path())
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return b
}

// lockedKeyring is what a locked keyring answers.
var lockedKeyring = &vault.KeyringError{Op: "get", Err: errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")}

func ids(recs []vault.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

func names(recs []vault.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Name
	}
	return out
}

func hasEvent(r vault.Record, kind vault.EventKind) bool {
	return slices.ContainsFunc(r.History, func(e vault.Event) bool { return e.Kind == kind })
}

func countEvents(r vault.Record, kind vault.EventKind) int {
	n := 0
	for _, e := range r.History {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

func seq(prefix string, i int) string { return fmt.Sprintf("%s %05d", prefix, i) }
