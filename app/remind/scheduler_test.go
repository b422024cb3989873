package remind

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

func TestScheduler_wakeUp(t *testing.T) {
	tests := []struct {
		name    string
		records []vault.Record
		checks  bool
		want    time.Duration
	}{
		{
			name:    "sleeps until the next reminder when it is within the hour",
			records: []vault.Record{taxKey(noChecks, reviewDueAt(t0.Add(20*time.Minute)))},
			want:    20 * time.Minute,
		},
		{
			name:    "sleeps at most an hour when the next reminder is weeks away",
			records: []vault.Record{taxKey(noChecks)},
			want:    MaxSleep,
		},
		{
			name:    "sleeps an hour in an empty vault",
			records: nil,
			want:    MaxSleep,
		},
		{
			name:    "sleeps until the next background check",
			records: []vault.Record{taxKey(func(r *vault.Record) { r.LastCheck.At = t0.Add(-CheckInterval + 5*time.Minute) })},
			checks:  true,
			want:    5 * time.Minute,
		},
		{
			name:    "a check due at start waits for the network first",
			records: []vault.Record{taxKey(func(r *vault.Record) { r.LastCheck = nil })},
			checks:  true,
			want:    ResumeGrace,
		},
		{
			name:    "without background checks, a due check does not wake it",
			records: []vault.Record{taxKey(reviewDueAt(t0.Add(30*time.Minute)), func(r *vault.Record) { r.LastCheck = nil })},
			checks:  false,
			want:    30 * time.Minute,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.records...)
			if got := h.start(tt.checks); got != tt.want {
				t.Errorf("first wait = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestScheduler_quietDay(t *testing.T) {
	t.Run("a day with nothing due costs 24 wake-ups, one per MaxSleep", func(t *testing.T) {
		h := newHarness(t, taxKey(noChecks))
		h.start(true)
		h.looks = 0
		h.advance(day)
		if h.looks != 24 {
			t.Errorf("%d wake-ups in a day, want 24", h.looks)
		}
	})
}

func TestScheduler_notifiesOnce(t *testing.T) {
	t.Run("what is due at start is shown once, and not again after a restart", func(t *testing.T) {
		h := newHarness(t, taxKey(noChecks, reviewDueAt(t0.Add(-day))), botKey(noChecks, expiring(t0.Add(5*day))))
		h.start(false)
		want := []string{"k2/expiry-7d/2026-03-15", "k1/review/2026-03-09"} // earliest first
		if got := h.takeShown(); !equal(got, want) {
			t.Fatalf("shown at start = %q, want %q", got, want)
		}
		h.advance(3 * time.Hour)
		if got := h.takeShown(); len(got) != 0 {
			t.Errorf("shown again within the run: %q", got)
		}
		h.stop()
		h.start(false) // a new Scheduler over the same state file: the next login
		h.advance(time.Hour)
		if got := h.takeShown(); len(got) != 0 {
			t.Errorf("shown again after a restart: %q", got)
		}
		if errs := h.takeErrs(); len(errs) != 0 {
			t.Errorf("reported: %v", errs)
		}
	})
	t.Run("a reminder is shown when its time comes", func(t *testing.T) {
		h := newHarness(t, taxKey(noChecks, reviewDueAt(t0.Add(20*time.Minute))))
		h.start(false)
		if got := h.takeShown(); len(got) != 0 {
			t.Fatalf("shown before its time: %q", got)
		}
		h.advance(20 * time.Minute)
		if got := h.takeShown(); !equal(got, []string{"k1/review/2026-03-10"}) {
			t.Errorf("shown = %q, want the review", got)
		}
	})
	t.Run("the expiry steps come one by one over weeks of hourly wake-ups", func(t *testing.T) {
		expires := t0.Add(31 * day)
		h := newHarness(t, botKey(noChecks, expiring(expires), reviewDueAt(t0.Add(100*day))))
		h.start(false)
		h.advance(31*day + time.Hour)
		want := []string{"k2/expiry-30d/2026-04-10", "k2/expiry-7d/2026-04-10", "k2/expiry-1d/2026-04-10", "k2/expired/2026-04-10"}
		if got := h.takeShown(); !equal(got, want) {
			t.Errorf("shown = %q, want %q", got, want)
		}
	})
}

func TestScheduler_delivery(t *testing.T) {
	t.Run("Deliver is called after every look, with nothing due too", func(t *testing.T) {
		h := newHarness(t, taxKey(noChecks))
		h.start(false)
		h.advance(3 * time.Hour)
		got := h.takeDelivered()
		if len(got) != h.looks {
			t.Errorf("Deliver called %d times in %d looks", len(got), h.looks)
		}
		for _, d := range got {
			if len(d) != 0 {
				t.Errorf("delivered %q, want nothing", d)
			}
		}
	})
	// Before: the scheduler marked a reminder as shown before handing it
	// over, and the tray dropped a notification that failed, so the
	// reminder was never seen.
	t.Run("a reminder whose notification failed is offered again later, and marked once shown", func(t *testing.T) {
		h := newHarness(t, taxKey(noChecks, reviewDueAt(t0.Add(-day))))
		failing := true
		h.deliver = func(due []Reminder) []string {
			if failing {
				return nil // the notification server is not up yet
			}
			return ids(due)
		}
		if wait := h.start(false); wait != RetryDeliver {
			t.Errorf("wait after a failed notification = %s, want %s", wait, RetryDeliver)
		}
		if got := h.takeDelivered(); len(got) != 1 || !equal(got[0], []string{"k1/review/2026-03-09"}) {
			t.Fatalf("delivered %q, want the review", got)
		}
		if marks := h.sentMarks(); len(marks) != 0 {
			t.Fatalf("marked as shown %q though its notification failed", marks)
		}
		h.mu.Lock()
		failing = false
		h.mu.Unlock()
		h.advance(RetryDeliver)
		if got := h.takeShown(); !equal(got, []string{"k1/review/2026-03-09"}) {
			t.Fatalf("shown after %s = %q, want the review", RetryDeliver, got)
		}
		if marks := h.sentMarks(); !equal(marks, []string{"k1/review/2026-03-09"}) {
			t.Errorf("marks = %q, want the review", marks)
		}
		h.advance(3 * time.Hour)
		if got := h.takeShown(); len(got) != 0 {
			t.Errorf("shown again once it was shown: %q", got)
		}
	})
	t.Run("of several reminders, only those shown are marked", func(t *testing.T) {
		h := newHarness(t, taxKey(noChecks, reviewDueAt(t0.Add(-day))), botKey(noChecks, expiring(t0.Add(5*day))))
		h.deliver = func(due []Reminder) []string { return ids(due)[:1] }
		h.start(false)
		if marks := h.sentMarks(); !equal(marks, []string{"k2/expiry-7d/2026-03-15"}) {
			t.Errorf("marks = %q, want only the first, which was shown", marks)
		}
		h.mu.Lock()
		h.deliver = nil
		h.mu.Unlock()
		h.advance(RetryDeliver)
		if got := h.takeShown(); !equal(got, []string{"k2/expiry-7d/2026-03-15", "k1/review/2026-03-09"}) {
			t.Errorf("shown = %q, want the first, then the second at the retry", got)
		}
	})
	// Before: the reminders found were marked as shown first and handed to
	// the tray, which showed them only once the scheduler set its next
	// timer: when the context ended in between, they were lost.
	t.Run("reminders found when the context ends are not marked, and the next run shows them", func(t *testing.T) {
		h := newHarness(t, taxKey(noChecks, reviewDueAt(t0.Add(-day))))
		h.vault = loadHook{Vault: h.store, before: func() { h.cancel() }} // the tray part is quitting
		cfg := Config{Vault: h.vault, State: h.state, Clock: h.clock,
			Deliver: func(due []Reminder) []string {
				if len(due) > 0 {
					t.Errorf("delivered %q after the context ended", ids(due))
				}
				return ids(due)
			}}
		ctx, cancel := context.WithCancel(context.Background())
		h.cancel = cancel
		if err := NewScheduler(cfg).Run(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Run = %v, want context.Canceled", err)
		}
		if marks := h.sentMarks(); len(marks) != 0 {
			t.Fatalf("marked as shown %q, never shown", marks)
		}
		h.vault = nil
		h.start(false)
		if got := h.takeShown(); !equal(got, []string{"k1/review/2026-03-09"}) {
			t.Errorf("shown by the next run = %q, want the review", got)
		}
	})
}

// Issue 25: reminders that fell due while notifications were off were
// marked as shown and never seen.
func TestScheduler_notificationsOff(t *testing.T) {
	h := newHarness(t,
		taxKey(noChecks, reviewDueAt(t0.Add(-day))),
		botKey(noChecks, reviewDueAt(t0.Add(2*time.Hour))),
		taxKey(noChecks, func(r *vault.Record) { r.ID, r.Name = "k3", "cointracker" }, reviewDueAt(t0.Add(-day))))
	h.off = true
	if wait := h.start(false); wait != MaxSleep {
		t.Errorf("wait while off = %s, want %s (the next reminder is 2 h away): nothing is retried", wait, MaxSleep)
	}
	h.advance(3 * time.Hour) // k2 falls due, still off
	for _, d := range h.takeDelivered() {
		if len(d) != 0 {
			t.Fatalf("delivered %q while notifications were off", d)
		}
	}
	st, err := h.state.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(st.Missed)); !equal(got, []string{"k1/review/2026-03-09", "k2/review/2026-03-10", "k3/review/2026-03-09"}) {
		t.Fatalf("kept while off: %q", got)
	}
	// k3 is reviewed meanwhile: nothing is left to say about it.
	k3 := h.record("k3")
	k3.LastReviewed = t0.Add(3 * time.Hour)
	h.put(k3)

	h.mu.Lock()
	h.off = false
	h.mu.Unlock()
	h.poke() // `keywarden settings set notifications on` tells the tray
	got := h.takeDelivered()
	last := got[len(got)-1]
	if !equal(last, []string{"k1/review/2026-03-09", "k2/review/2026-03-10"}) {
		t.Fatalf("delivered %q once on again, want what fell due meanwhile and is still due", last)
	}
	h.mu.Lock()
	for _, r := range h.shown {
		if !r.WhileOff {
			t.Errorf("%s handed over without WhileOff", r.ID)
		}
	}
	h.mu.Unlock()
	if st, _ = h.state.Load(); len(st.Missed) != 0 {
		t.Errorf("still kept once shown: %v", st.Missed)
	}
	h.takeShown()
	h.advance(3 * time.Hour)
	if got := h.takeShown(); len(got) != 0 {
		t.Errorf("shown again: %q", got)
	}
}

func TestScheduler_wakeFromSleep(t *testing.T) {
	t.Run("after 3 days asleep, what fell due is shown at once, once", func(t *testing.T) {
		expires := t0.Add(3 * day)
		h := newHarness(t,
			taxKey(noChecks, reviewDueAt(t0.Add(day))),
			botKey(noChecks, expiring(expires), reviewDueAt(t0.Add(100*day))),
		)
		h.start(false)
		if got := h.takeShown(); !equal(got, []string{"k2/expiry-7d/2026-03-13"}) {
			t.Fatalf("shown at start = %q, want the 7-day step", got)
		}
		h.advance(10 * time.Minute)
		h.clock.Suspend(3 * day) // the lid closes; the timer's clock stops
		h.advance(50 * time.Minute)
		// The 1-day step was passed in the sleep, and the expiry itself too:
		// only the latest is shown.
		want := []string{"k1/review/2026-03-11", "k2/expired/2026-03-13"}
		if got := h.takeShown(); !equal(got, want) {
			t.Errorf("shown on waking = %q, want %q", got, want)
		}
		h.advance(5 * time.Hour)
		if got := h.takeShown(); len(got) != 0 {
			t.Errorf("shown again after waking: %q", got)
		}
	})
	t.Run("background checks wait for the network after a wake", func(t *testing.T) {
		h := newHarness(t, taxKey(noChecks), botKey(func(r *vault.Record) { r.LastCheck.At = t0 }))
		if err := h.state.Update(func(s *State) { s.SetAutoCheck("k2", true) }); err != nil { // bot keys are off by default
			t.Fatal(err)
		}
		h.start(true)
		h.advance(ResumeGrace + time.Minute)
		if got := h.takeChecked(); len(got) != 0 {
			t.Fatalf("checked %q before the key's day was over", got)
		}
		h.advance(30 * time.Minute)
		h.clock.Suspend(3 * day)
		left, _ := h.clock.pending()
		h.advance(left) // the capped timer fires, at the latest, an hour after waking
		if got := h.takeChecked(); len(got) != 0 {
			t.Fatalf("checked %q right on waking, before the network is back", got)
		}
		h.advance(ResumeGrace)
		if got := h.takeChecked(); len(got) != 1 || !equal(got[0], []string{"k2"}) {
			t.Errorf("checked %q after the grace, want k2 once", got)
		}
	})
}

func TestScheduler_poke(t *testing.T) {
	t.Run("a key added to the vault is looked at without waiting", func(t *testing.T) {
		h := newHarness(t)
		h.start(false)
		h.put(taxKey(noChecks, reviewDueAt(t0.Add(-day))))
		h.poke()
		if got := h.takeShown(); !equal(got, []string{"k1/review/2026-03-09"}) {
			t.Errorf("shown after Poke = %q, want the new key's review", got)
		}
	})
	t.Run("a key reviewed meanwhile is not shown, and sets the next wake-up", func(t *testing.T) {
		h := newHarness(t, taxKey(noChecks, reviewDueAt(t0.Add(30*time.Minute))))
		h.start(false)
		r := h.record("k1")
		r.LastReviewed = t0
		h.put(r)
		h.poke()
		h.advance(2 * time.Hour)
		if got := h.takeShown(); len(got) != 0 {
			t.Errorf("shown = %q, want nothing: the key was reviewed", got)
		}
	})
	t.Run("a snooze set from outside takes effect on Poke", func(t *testing.T) {
		h := newHarness(t, taxKey(noChecks, reviewDueAt(t0.Add(-day))))
		h.start(false)
		h.takeShown()
		if err := h.state.Update(func(s *State) { s.Snooze("k1", t0.Add(SnoozeDay)) }); err != nil {
			t.Fatal(err)
		}
		h.poke()
		h.advance(SnoozeDay - time.Minute)
		if got := h.takeShown(); len(got) != 0 {
			t.Fatalf("shown during the snooze: %q", got)
		}
		h.advance(2 * time.Minute)
		if got := h.takeShown(); !equal(got, []string{"k1/review/2026-03-09"}) {
			t.Errorf("shown after the snooze = %q, want the review again", got)
		}
		h.advance(day)
		if got := h.takeShown(); len(got) != 0 {
			t.Errorf("shown again after that: %q", got)
		}
	})
	t.Run("pokes while busy fold into one look", func(t *testing.T) {
		h := newHarness(t)
		g := &gatedVault{Vault: h.store, entered: make(chan struct{}, 8)}
		h.vault = g
		h.start(false)
		// The first poke's look is held inside its read of the key list, so
		// the next four certainly arrive while the scheduler is busy (left
		// to the goroutine scheduler, a quick look could take each poke on
		// its own, as one did under Wine).
		g.close()
		h.sched.Poke()
		select {
		case <-g.entered:
		case <-time.After(5 * time.Second):
			t.Fatal("the poke did not start a look")
		}
		for range 4 {
			h.sched.Poke()
		}
		g.open()
		h.waitArmed() // the look the first poke started
		h.waitArmed() // one more, for the four pokes that came meanwhile
		select {
		case <-h.clock.armed:
			t.Error("five pokes made more than two looks")
		case <-time.After(100 * time.Millisecond):
		}
	})
}

// gatedVault holds each read of the key list while its gate is closed, and
// says when a read has begun.
type gatedVault struct {
	Vault
	mu      sync.Mutex
	gate    chan struct{} // nil: open
	entered chan struct{}
}

func (g *gatedVault) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gate = make(chan struct{})
}

func (g *gatedVault) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.gate != nil {
		close(g.gate)
		g.gate = nil
	}
}

func (g *gatedVault) Load() (*vault.Data, error) {
	g.mu.Lock()
	gate := g.gate
	g.mu.Unlock()
	if gate != nil {
		g.entered <- struct{}{}
		<-gate
	}
	return g.Vault.Load()
}

func TestScheduler_backgroundChecks(t *testing.T) {
	t.Run("runs at most daily, and a problem it finds is shown once", func(t *testing.T) {
		h := newHarness(t, taxKey(func(r *vault.Record) { r.LastCheck.At = t0.Add(-2 * day) }))
		h.check = func(r vault.Record, now time.Time) vault.Readback {
			return vault.Readback{At: now, Outcome: vault.OutcomeInvalidKey, Problem: "invalid key"}
		}
		h.start(true)
		h.advance(ResumeGrace)
		if got := h.takeChecked(); len(got) != 1 {
			t.Fatalf("checks = %q, want one", got)
		}
		if got := h.takeShown(); !equal(got, []string{"k1/finding/not-on-exchange"}) {
			t.Fatalf("shown = %q, want the problem", got)
		}
		if rb := h.record("k1").LastCheck; rb == nil || rb.Outcome != vault.OutcomeInvalidKey || !rb.At.Equal(t0.Add(ResumeGrace)) {
			t.Errorf("saved readback = %+v, want the check's", rb)
		}
		h.advance(CheckInterval - time.Minute)
		if got := h.takeChecked(); len(got) != 0 {
			t.Errorf("checked again within a day: %q", got)
		}
		h.advance(time.Minute)
		if got := h.takeChecked(); len(got) != 1 {
			t.Errorf("checks a day later = %q, want one", got)
		}
		if got := h.takeShown(); len(got) != 0 {
			t.Errorf("the same problem shown again: %q", got)
		}
	})
	t.Run("checks only the keys that are due, in one batch", func(t *testing.T) {
		long := func(r *vault.Record) { r.LastCheck.At = t0.Add(-2 * day) }
		h := newHarness(t,
			taxKey(long),
			taxKey(long, func(r *vault.Record) { r.ID, r.Name = "k3", "cointracker" }),
			taxKey(func(r *vault.Record) { r.ID, r.Name = "k4", "portfolio" }), // checked an hour ago
			taxKey(long, noChecks, func(r *vault.Record) { r.ID, r.Name = "k5", "typed-2fa" }),
			botKey(long),
		)
		h.start(true)
		h.advance(ResumeGrace)
		if got := h.takeChecked(); len(got) != 1 || !equal(got[0], []string{"k1", "k3"}) {
			t.Errorf("checked %q, want [[k1 k3]]", got)
		}
	})
	t.Run("no answer keeps the last one and tries again in an hour", func(t *testing.T) {
		last := t0.Add(-2 * day)
		h := newHarness(t, taxKey(func(r *vault.Record) { r.LastCheck.At = last }))
		offline := true
		h.check = func(r vault.Record, now time.Time) vault.Readback {
			if offline {
				return vault.Readback{At: now, Outcome: vault.OutcomeError, Problem: "no network", Unreached: true}
			}
			return vault.Readback{At: now, Outcome: vault.OutcomeOK, Name: r.Name, Permissions: r.Intended}
		}
		h.start(true)
		h.advance(ResumeGrace)
		if got := h.takeChecked(); len(got) != 1 {
			t.Fatalf("checks = %q, want one", got)
		}
		if rb := h.record("k1").LastCheck; rb.Outcome != vault.OutcomeOK || !rb.At.Equal(last) {
			t.Errorf("saved readback = %+v, want the last answer kept", rb)
		}
		if errs := h.takeErrs(); len(errs) != 1 || !strings.Contains(errs[0].Error(), "no network") {
			t.Errorf("log = %v, want the failure", errs)
		}
		if got := h.takeShown(); len(got) != 0 {
			t.Errorf("shown = %q: no answer is no news", got)
		}
		h.advance(RetryInterval - time.Minute)
		if got := h.takeChecked(); len(got) != 0 {
			t.Errorf("tried again within the hour: %q", got)
		}
		h.advance(time.Minute)
		if got := h.takeChecked(); len(got) != 1 {
			t.Fatalf("checks an hour later = %q, want one", got)
		}
		offline = false
		h.advance(RetryInterval)
		if rb := h.record("k1").LastCheck; rb.Outcome != vault.OutcomeOK || !rb.At.After(last) {
			t.Errorf("saved readback = %+v, want the new answer", rb)
		}
		st, err := h.state.Load()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := st.Unreached["k1"]; ok {
			t.Error("the missed check is still remembered after an answer")
		}
		h.advance(CheckInterval - time.Minute)
		if got := h.takeChecked(); len(got) != 1 {
			t.Errorf("checks = %q, want the one that answered, then none for a day", got)
		}
	})
}

func TestScheduler_damagedState(t *testing.T) {
	t.Run("a damaged reminders file is reported, starts over and is set aside", func(t *testing.T) {
		h := newHarness(t, taxKey(noChecks, reviewDueAt(t0.Add(-day))))
		if err := os.WriteFile(h.state.Path(), []byte(`{"schema":1,"sent":{`), 0o600); err != nil {
			t.Fatal(err)
		}
		h.start(false)
		if errs := h.takeErrs(); len(errs) != 1 || !errors.Is(errs[0], ErrDamaged) {
			t.Errorf("reported %v, want one ErrDamaged", errs)
		}
		if got := h.takeShown(); !equal(got, []string{"k1/review/2026-03-09"}) {
			t.Errorf("shown = %q, want the review (the marks were lost)", got)
		}
		if _, err := os.Stat(filepath.Join(h.dir, DamagedName)); err != nil {
			t.Errorf("damaged file not kept: %v", err)
		}
		h.advance(2 * time.Hour)
		if got := h.takeShown(); len(got) != 0 {
			t.Errorf("shown again: %q", got)
		}
		if errs := h.takeErrs(); len(errs) != 0 {
			t.Errorf("reported again: %v", errs)
		}
	})
	t.Run("a key list that cannot be read is reported and looked at again later", func(t *testing.T) {
		h := newHarness(t, taxKey(noChecks, reviewDueAt(t0.Add(-day))))
		good, err := os.ReadFile(h.store.Path())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(h.store.Path(), []byte("{"), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := h.start(false); got != MaxSleep {
			t.Errorf("wait = %s, want %s", got, MaxSleep)
		}
		if errs := h.takeErrs(); len(errs) != 1 || !errors.Is(errs[0], vault.ErrDamaged) {
			t.Errorf("reported %v, want the damaged key list", errs)
		}
		if err := os.WriteFile(h.store.Path(), good, 0o600); err != nil {
			t.Fatal(err)
		}
		h.poke()
		if got := h.takeShown(); !equal(got, []string{"k1/review/2026-03-09"}) {
			t.Errorf("shown once the list was back = %q, want the review", got)
		}
	})
	t.Run("a reminder whose mark cannot be saved is not shown twice", func(t *testing.T) {
		h := newHarness(t, taxKey(noChecks, reviewDueAt(t0.Add(-day))))
		// A folder where the file should be: every save fails.
		if err := os.Mkdir(h.state.Path(), 0o700); err != nil {
			t.Fatal(err)
		}
		h.start(false)
		if got := h.takeShown(); len(got) != 1 {
			t.Fatalf("shown = %q, want the review", got)
		}
		if errs := h.takeErrs(); len(errs) == 0 {
			t.Error("the failed save was not reported")
		}
		h.advance(3 * time.Hour)
		if got := h.takeShown(); len(got) != 0 {
			t.Errorf("shown again: %q", got)
		}
	})
}

func TestSlept(t *testing.T) {
	tests := []struct {
		name  string
		wall  time.Duration // wall-clock time between arming and now
		wait  time.Duration
		fired bool
		want  bool
	}{
		{name: "a timer that fired on time: awake", wall: time.Hour, wait: time.Hour, fired: true, want: false},
		{name: "a timer that fired a few seconds late: awake", wall: time.Hour + 5*time.Second, wait: time.Hour, fired: true, want: false},
		{name: "a timer that fired 3 days late: asleep", wall: 3*day + time.Hour, wait: time.Hour, fired: true, want: true},
		{name: "the clock set back: not a sleep", wall: -2 * time.Hour, wait: time.Hour, fired: true, want: false},
		{name: "a poke, with no monotonic reading to compare: awake", wall: 3 * day, wait: time.Hour, fired: false, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slept(t0, t0.Add(tt.wall), tt.wait, tt.fired); got != tt.want {
				t.Errorf("slept = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("real clock readings a moment apart: awake", func(t *testing.T) {
		armed := time.Now()
		if slept(armed, time.Now(), time.Hour, false) {
			t.Error("slept = true")
		}
	})
}
