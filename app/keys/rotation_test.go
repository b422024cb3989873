package keys_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// newRotationFixture is newFixture over an exchange on the fixture's clock,
// so the exchange's lastUsed and Keywarden's checks share one time line.
// before says whether GetApiKeyInfo answers with the key as it was before
// the asking call (krakentest.WithKeyInfoBeforeCall).
func newRotationFixture(t *testing.T, before bool) *fixture {
	t.Helper()
	return newSkewedRotationFixture(t, before, 0)
}

// newSkewedRotationFixture is newRotationFixture with the exchange's clock
// skew behind Keywarden's.
func newSkewedRotationFixture(t *testing.T, before bool, skew time.Duration) *fixture {
	t.Helper()
	dir := t.TempDir()
	store, err := vault.Open(filepath.Join(dir, "store"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{dir: dir, store: store, secrets: vault.NewMemory(), clock: time.Now().UTC().Truncate(time.Second)}
	opts := []krakentest.Option{krakentest.WithClock(func() time.Time { return f.now().Add(-skew) })}
	if before {
		opts = append(opts, krakentest.WithKeyInfoBeforeCall())
	}
	f.ex = krakentest.New(opts...)
	t.Cleanup(f.ex.Close)
	f.svc = keys.New(keys.Params{Store: store, Secrets: f.secrets,
		Runner:   &check.Runner{Secrets: f.secrets, BaseURL: f.ex.URL()},
		Settings: testSettings(store.Dir(), dir), Now: f.now})
	return f
}

// pair is a rotation on the simulated exchange: the old key, used by a
// program a minute before the rotation, and its replacement.
type pair struct {
	f             *fixture
	old, repl     vault.Record
	oldKey, newKy krakentest.Key
}

func newPair(t *testing.T, f *fixture) *pair {
	t.Helper()
	p := &pair{f: f}
	p.old, p.oldKey = f.add(t, "bot-2026-06")
	f.advance(time.Hour)
	f.ex.Use(p.oldKey.APIKey) // the bot trades with the old key
	f.advance(time.Minute)
	k, sec := f.exchangeKey(krakentest.Key{Name: "bot-2026-12"})
	nk := newKey("bot-2026-12", sec)
	nk.Record.Replaces = p.old.ID
	repl, err := f.svc.Add(context.Background(), nk)
	if err != nil {
		t.Fatal(err)
	}
	p.repl, p.newKy = repl, k
	return p
}

// use advances the clock by d, then a program uses the key.
func (p *pair) use(d time.Duration, k krakentest.Key) {
	p.f.advance(d)
	p.f.ex.Use(k.APIKey)
}

// check advances the clock by d, then checks one key as Check now does,
// and returns the verdict every face shows.
func (p *pair) check(t *testing.T, d time.Duration, id string) review.Rotation {
	t.Helper()
	p.f.advance(d)
	if _, rb, err := p.f.svc.Check(context.Background(), id, ""); err != nil || rb.Outcome != vault.OutcomeOK {
		t.Fatalf("Check: %v, %+v", err, rb)
	}
	return p.verdict(t)
}

func (p *pair) verdict(t *testing.T) review.Rotation {
	t.Helper()
	snap, err := p.f.svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	rot, ok := snap.Rotation(p.old.ID)
	if !ok {
		t.Fatal("no rotation for the old key")
	}
	for _, f := range snap.Findings(p.old.ID) {
		if f.Code == review.CodeReplaced && f.Title != rot.Title {
			t.Errorf("the finding says %q, the verdict %q", f.Title, rot.Title)
		}
	}
	return rot
}

func TestService_RotationVerdict(t *testing.T) {
	t.Run("not switched: only the old key is used", func(t *testing.T) {
		p := newPair(t, newRotationFixture(t, true))
		rot := p.check(t, 3*time.Minute, p.old.ID) // reads both keys
		if rot.State != review.RotationNotSwitched {
			t.Fatalf("verdict %s (%s), want not switched", rot.State, rot.Detail)
		}
		if !strings.Contains(rot.Detail, "used 4 minutes ago") || rot.OldUsedSinceSaved {
			t.Errorf("detail %q, OldUsedSinceSaved %v: want the old key's use 4 minutes ago, before the new key was saved", rot.Detail, rot.OldUsedSinceSaved)
		}
		// Keywarden's own check in between is no use of either key.
		again := p.check(t, 5*time.Minute, p.repl.ID)
		if again.State != review.RotationNotSwitched || again.NewUsed != rot.NewUsed || again.OldUsed != rot.OldUsed {
			t.Errorf("after Keywarden's own check: %s, new used %v, old used %v; want not switched, unchanged", again.State, again.NewUsed, again.OldUsed)
		}
	})
	t.Run("both in use: the old key is used after the new one", func(t *testing.T) {
		p := newPair(t, newRotationFixture(t, true))
		p.use(2*time.Minute, p.newKy)
		p.use(time.Minute, p.oldKey)
		rot := p.check(t, 2*time.Minute, p.repl.ID)
		if rot.State != review.RotationBothInUse || !strings.Contains(rot.Detail, "used 2 minutes ago") {
			t.Fatalf("verdict %s (%s), want both in use, the old key used 2 minutes ago", rot.State, rot.Detail)
		}
		again := p.check(t, 5*time.Minute, p.old.ID)
		if again.State != review.RotationBothInUse {
			t.Errorf("after Keywarden's own check: %s (%s), want both in use", again.State, again.Detail)
		}
	})
	t.Run("switched: the new key is used and the old one is quiet", func(t *testing.T) {
		p := newPair(t, newRotationFixture(t, true))
		p.use(3*time.Minute, p.newKy)
		p.use(time.Minute, p.newKy)
		rot := p.check(t, time.Minute, p.old.ID)
		if rot.State != review.RotationSwitched || rot.OldUsedSinceSaved {
			t.Fatalf("verdict %s (%s), want switched", rot.State, rot.Detail)
		}
		again := p.check(t, 10*time.Minute, p.old.ID)
		if again.State != review.RotationSwitched || !strings.Contains(again.Detail, "its last use before the switch") {
			t.Errorf("after Keywarden's own check: %s (%s), want switched", again.State, again.Detail)
		}
		// Then the old key is used again: no longer switched.
		p.use(time.Minute, p.oldKey)
		if late := p.check(t, time.Minute, p.repl.ID); late.State != review.RotationBothInUse {
			t.Errorf("after the old key's use: %s, want both in use", late.State)
		}
	})
	t.Run("an exchange whose answer shows only the asking call never says switched", func(t *testing.T) {
		p := newPair(t, newRotationFixture(t, false))
		p.use(3*time.Minute, p.newKy)
		rot := p.check(t, time.Minute, p.old.ID)
		if rot.State != review.RotationUnknown || !strings.Contains(rot.Detail, "only Keywarden's own check") {
			t.Errorf("verdict %s (%s), want unknown: the answers show only Keywarden's checks", rot.State, rot.Detail)
		}
	})
	t.Run("clocks a minute apart, and answers that show the asking call: never switched", func(t *testing.T) {
		// The exchange's lastUsed is then Keywarden's own check, a minute
		// before the check's time here: only the nonces tell it apart.
		p := newPair(t, newSkewedRotationFixture(t, false, time.Minute))
		p.check(t, time.Minute, p.old.ID)
		rot := p.check(t, 5*time.Minute, p.old.ID)
		if rot.State != review.RotationUnknown || !rot.NewUsed.IsZero() {
			t.Errorf("verdict %s (%s), new key used %v: want unknown, Keywarden's checks are no use", rot.State, rot.Detail, rot.NewUsed)
		}
	})
	t.Run("clocks a minute apart, and answers without the asking call: Keywarden's checks are no use of the new key", func(t *testing.T) {
		p := newPair(t, newSkewedRotationFixture(t, true, time.Minute))
		p.check(t, time.Minute, p.repl.ID)
		rot := p.check(t, 5*time.Minute, p.repl.ID)
		if rot.State == review.RotationSwitched || !rot.NewUsed.IsZero() {
			t.Errorf("verdict %s (%s), new key used %v: Keywarden's own check was taken for a use", rot.State, rot.Detail, rot.NewUsed)
		}
	})
	t.Run("a check of a key that needs no rotation reads one key", func(t *testing.T) {
		f := newRotationFixture(t, true)
		rec, _ := f.add(t, "tax")
		f.add(t, "other")
		f.advance(time.Minute)
		if _, _, err := f.svc.Check(context.Background(), rec.ID, ""); err != nil {
			t.Fatal(err)
		}
		if n := len(f.ex.Calls()); n != 1 {
			t.Errorf("%d calls, want 1", n)
		}
	})
}

func TestService_CheckNamedReadsBothKeysOnce(t *testing.T) {
	p := newPair(t, newRotationFixture(t, true))
	p.use(2*time.Minute, p.newKy)
	p.f.advance(time.Minute)
	rep, err := p.f.svc.CheckNamed(context.Background(), []string{p.old.ID, p.repl.ID}, nil)
	if err != nil || len(rep.Results) != 2 {
		t.Fatalf("CheckNamed: %v, %d results", err, len(rep.Results))
	}
	if n := len(p.f.ex.Calls()); n != 2 {
		t.Errorf("%d calls for two keys named, want 2", n)
	}
	if rot := p.verdict(t); rot.State != review.RotationSwitched {
		t.Errorf("verdict %s (%s), want switched", rot.State, rot.Detail)
	}
}

func TestService_CheckInBackgroundReadsBothKeys(t *testing.T) {
	t.Run("the other key is checked when its background checks are on", func(t *testing.T) {
		p := newPair(t, newRotationFixture(t, true))
		p.use(2*time.Minute, p.newKy)
		now := p.f.advance(time.Minute)
		res := p.f.svc.CheckInBackground(context.Background(), []vault.Record{p.f.record(t, p.repl.ID)}, now)
		if got := names(resultRecords(res)); len(got) != 2 {
			t.Fatalf("checked %v, want both keys", got)
		}
		if rot := p.verdict(t); rot.State != review.RotationSwitched {
			t.Errorf("verdict %s (%s), want switched", rot.State, rot.Detail)
		}
	})
	t.Run("not when the person turned them off for it", func(t *testing.T) {
		p := newPair(t, newRotationFixture(t, true))
		if err := p.f.svc.UpdateReminders(p.old.ID, func(st *remind.State) { st.SetAutoCheck(p.old.ID, false) }); err != nil {
			t.Fatal(err)
		}
		now := p.f.advance(time.Minute)
		res := p.f.svc.CheckInBackground(context.Background(), []vault.Record{p.f.record(t, p.repl.ID)}, now)
		if got := names(resultRecords(res)); len(got) != 1 || got[0] != p.repl.Name {
			t.Errorf("checked %v, want only the new key", got)
		}
	})
}

func resultRecords(res []check.Result) []vault.Record {
	out := make([]vault.Record, len(res))
	for i, r := range res {
		out[i] = r.Record
	}
	return out
}
