package cli_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// rotationClock is one clock for the exchange and the command line, moved
// by the test.
type rotationClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *rotationClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *rotationClock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// stillInUse makes a rotation whose old key "bot-2026-06" a program used
// after its replacement "bot-2026-12" was saved, on an exchange that
// answers with the key as it was before the asking call, and returns the
// fixture, the old record and its key.
func stillInUse(t *testing.T) (*fixture, vault.Record, krakentest.Key) {
	t.Helper()
	clk := &rotationClock{t: time.Now().UTC().Truncate(time.Second)}
	f := newFixture(t, krakentest.WithClock(clk.now), krakentest.WithKeyInfoBeforeCall())
	f.now = clk.now
	old, oldKey := f.add("bot-2026-06", botPerms, "--purpose", "bot")
	clk.advance(time.Hour)
	repl, _ := f.add("bot-2026-12", botPerms, "--purpose", "bot")
	f.update(func(d *vault.Data) error {
		o, _ := d.ByID(old.ID)
		n, _ := d.ByID(repl.ID)
		o.ReplacedBy, n.Replaces = n.ID, o.ID
		return nil
	})
	clk.advance(2 * time.Minute)
	f.ex.Use(oldKey.APIKey) // the bot still trades with the old key
	clk.advance(4 * time.Minute)
	return f, old, oldKey
}

// TestRevoke_oldKeyStillInUse: the old key of a rotation, used after its
// replacement was saved, is shown with the same verdict by show and check,
// and revoke refuses it without a terminal unless --force.
func TestRevoke_oldKeyStillInUse(t *testing.T) {
	f, old, oldKey := stillInUse(t)

	const verdict = "Your program has not switched yet: revoking the old key now would stop it"
	checked := f.run("", "check", "bot-2026-06") // exit 3: a key needs attention
	if checked.code != 3 || !strings.Contains(checked.out, verdict) || !strings.Contains(checked.out, "the old one was used 4 minutes ago") {
		t.Fatalf("check: %v", checked)
	}
	if r := f.record("bot-2026-12"); r.LastCheck == nil || !r.LastCheck.At.Equal(f.now()) {
		t.Errorf("check of the old key did not read the new one: %+v", r.LastCheck)
	}
	if shown := f.run("", "show", "bot-2026-06"); !strings.Contains(shown.out, verdict) {
		t.Errorf("show does not say the verdict: %v", shown)
	}

	before := f.keyFile()
	res := f.run("", "revoke", "bot-2026-06")
	if res.code == 0 || !strings.Contains(res.err, "was used after its replacement") || !strings.Contains(res.err, "Add --force") ||
		!strings.Contains(res.err, "Nothing was changed") {
		t.Fatalf("revoke without a terminal: %v", res)
	}
	if f.keyFile() != before || !f.hasSecret(old.ID) {
		t.Error("revoke changed something")
	}

	f.ex.DeleteKey(oldKey.APIKey)
	res = f.run("", "revoke", "--force", "bot-2026-06")
	if res.code != 0 || !strings.Contains(res.err, "was used after its replacement") || !strings.Contains(res.out, "it is marked revoked") {
		t.Fatalf("revoke --force: %v", res)
	}
}
