package tray

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/internal/cputime"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
)

// The tray's model is the key service's Snapshot: the keys listed, their
// order and the count are the ones the window and the command line show.

// mixedKeys are keys in every state that matters to the count.
func mixedKeys() []vault.Record {
	return []vault.Record{
		taxKey(reviewDueAt(t0.Add(-day)), named("due", "review-due")),
		botKey(named("old", "old-bot"), func(r *vault.Record) { r.ReplacedBy = "new" }),
		botKey(named("new", "new-bot"), func(r *vault.Record) { r.Replaces = "old" }),
		taxKey(named("exp20", "expires-in-20-days"), expiring(t0.Add(20*day)), func(r *vault.Record) { r.LastReviewed = t0.Add(-day) }),
		taxKey(reviewDueAt(t0.Add(-day)), named("snoozed", "snoozed-due")),
		taxKey(reviewDueAt(t0.Add(-day)), named("revoked", "revoked-key"), func(r *vault.Record) {
			r.Status = vault.StatusRevoked
			r.LastCheck = &vault.Readback{At: t0.Add(-time.Hour), Outcome: vault.OutcomeInvalidKey, Problem: "invalid key"}
		}),
		taxKey(named("leaked", "leaked-key"), func(r *vault.Record) { r.Status = vault.StatusCompromised }),
		// Due only with the person's 5-day review of read-only keys.
		taxKey(named("short", "short-review")),
		// Due with the default 30-day review of risky keys, not with 60 days.
		botKey(named("long", "long-review"), reviewDueAt(t0.Add(-10*day))),
	}
}

func TestTray_modelIsTheSnapshot(t *testing.T) {
	h := newTrayHarness(t, mixedKeys()...)
	h.settings(func(s *keys.Settings) { s.ReadOnlyDays, s.RiskyDays = 5, 60 })
	if err := h.svc.Snooze("snoozed", remind.SnoozeWeek); err != nil {
		t.Fatal(err)
	}
	h.start()

	snap, err := h.svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range snap.Attention() {
		want = append(want, r.ID)
	}
	m := h.tray.Model()
	var got []string
	for _, k := range m.Keys {
		got = append(got, k.RecordID)
	}
	if !slices.Equal(got, want) || m.More != 0 {
		t.Errorf("the tray lists %q (and %d more); the snapshot's attention is %q", got, m.More, want)
	}
	if wantTip := fmt.Sprintf("Keywarden: %d keys need attention", snap.AttentionCount()); m.Tooltip != wantTip || !m.Attention {
		t.Errorf("tooltip %q (attention %v), want %q", m.Tooltip, m.Attention, wantTip)
	}
	// What the rules say of each, spelled out, so the test does not only
	// compare the snapshot with itself.
	slices.Sort(got)
	if exp := []string{"due", "leaked", "old", "short", "snoozed"}; !slices.Equal(got, exp) {
		t.Errorf("listed %q, want %q: a replaced key, a leaked one, and the keys due (a snoozed one too) under the settings' review days", got, exp)
	}
	if m.Keys[0].RecordID != "leaked" {
		t.Errorf("first item %q, want the leaked key", m.Keys[0].RecordID)
	}
	for _, k := range m.Keys {
		fs := snap.Findings(k.RecordID)
		if len(fs) == 0 || k.Hint != fs[0].NextStep {
			t.Errorf("item %q: hint %q, want the top finding's next step", k.Label, k.Hint)
		}
	}
}

// Before, the tray listed and counted a key whose only due reminder was
// information (an expiry 20 days away), while the window did not.
func TestTray_anInformationReminderIsNotAttention(t *testing.T) {
	h := newTrayHarness(t, taxKey(longLived, expiring(t0.Add(20*day))), botKey())
	h.start()
	h.rec.waitFor(t, "the 30-day expiry reminder is shown", func() bool { return len(h.rec.reminders) == 1 })
	snap, err := h.svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	m := h.tray.Model()
	if m.Attention || len(m.Keys) != 0 || snap.AttentionCount() != 0 || m.Tooltip != "Keywarden: all 2 keys look fine" {
		t.Errorf("model = %+v, the snapshot counts %d; want no key needing attention in either", m, snap.AttentionCount())
	}
}

// Before, a reminder was marked as shown before its notification was
// tried, so one that failed was never shown.
func TestTray_aFailedNotificationIsShownLater(t *testing.T) {
	h := newTrayHarness(t, taxKey(reviewDueAt(t0.Add(-day))))
	h.rec.fail = errors.New("org.freedesktop.Notifications is not there yet")
	h.start()
	h.rec.locked(func() {
		if len(h.rec.reminders) != 0 || len(h.rec.errs) != 1 {
			t.Fatalf("reminders %q, errors %v; want none shown and the failure logged once", h.rec.reminders, h.rec.errs)
		}
	})
	st, err := h.svc.Reminders().Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Sent) != 0 {
		t.Fatalf("marked as shown: %v", st.Sent)
	}
	h.poke() // still failing: tried again, logged no more
	h.rec.locked(func() {
		h.rec.fail = nil
		if len(h.rec.errs) != 1 {
			t.Errorf("errors %v: a failing server must be logged once", h.rec.errs)
		}
	})
	h.poke() // the scheduler's retry (remind.RetryDeliver), on the still clock
	h.rec.locked(func() {
		if !slices.Equal(h.rec.reminders, []string{"k1/review/2026-03-09"}) {
			t.Errorf("reminders %q, want the review once the server is back", h.rec.reminders)
		}
	})
	h.poke()
	h.rec.locked(func() {
		if len(h.rec.reminders) != 1 {
			t.Errorf("reminders %q: shown again once it was shown", h.rec.reminders)
		}
	})
}

// cancelClock ends the tray's run the second time the scheduler reads the
// time: its first look at the keys, after its start.
type cancelClock struct {
	*stillClock
	mu     sync.Mutex
	reads  int
	cancel context.CancelFunc
}

func (c *cancelClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reads++; c.reads == 2 {
		c.cancel()
	}
	return c.stillClock.Now()
}

// Before, the scheduler marked what it found as shown and the tray showed
// it only when the scheduler next set its timer: a run that ended in
// between lost the reminders for good.
func TestTray_remindersFoundAsTheRunEndsAreNotLost(t *testing.T) {
	h := newTrayHarness(t, taxKey(reviewDueAt(t0.Add(-day))))
	ctx, cancel := context.WithCancel(context.Background())
	h.cfg.Clock = &cancelClock{stillClock: h.clock, cancel: cancel}
	tr := New(h.cfg)
	tr.attach(h.rec)
	if err := tr.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	st, err := h.svc.Reminders().Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Sent) != 0 {
		t.Fatalf("marked as shown %v, but never shown", st.Sent)
	}
	h.cfg.Clock = h.clock
	h.start() // the next login
	h.rec.locked(func() {
		if !slices.Equal(h.rec.reminders, []string{"k1/review/2026-03-09"}) {
			t.Errorf("reminders %q, want the review shown by the next run", h.rec.reminders)
		}
	})
}

// The tray reads its settings from settings.json beside keys.json; a change
// there is seen when the menu opens, as one to the key list is.
func TestTray_settingsFileIsWatched(t *testing.T) {
	h := newTrayHarness(t, taxKey())
	h.start()
	if m := h.tray.Model(); len(m.Keys) != 0 {
		t.Fatalf("model %+v, want nothing listed", m)
	}
	// Another process (`keywarden settings set review-days-read-only 5`).
	other := keys.OpenSettings(h.dir)
	if err := other.Update(func(s *keys.Settings) error { return s.Set("review-days-read-only", "5") }); err != nil {
		t.Fatal(err)
	}
	h.tray.PokeIfChanged()
	h.waitLook()
	if m := h.tray.Model(); len(m.Keys) != 1 || m.Keys[0].RecordID != "k1" {
		t.Errorf("model %+v, want k1 due under a 5-day review", m)
	}
}

func TestTray_repairsAtStart(t *testing.T) {
	h := newTrayHarness(t, taxKey(func(r *vault.Record) {
		// An add killed before its secret was stored, long ago.
		r.Pending = &vault.Pending{Op: vault.PendingAdd, Since: t0.Add(-time.Hour), PID: 1 << 30}
	}), botKey())
	h.start()
	d, err := h.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Records) != 1 || d.Records[0].ID != "k2" {
		t.Errorf("records %d (first %s), want the half-added key undone", len(d.Records), d.Records[0].ID)
	}
	h.rec.locked(func() {
		if len(h.rec.errs) != 1 {
			t.Errorf("logged %v, want what was mended, once", h.rec.errs)
		}
	})
}

// manyRecords returns n keys over 20 accounts: about one in seven due for
// review, one in 50 leaked, one in 13 expiring in 20 days (information
// only), one in 100 replaced, one in ten with the website's default name.
func manyRecords(n int) []vault.Record {
	out := make([]vault.Record, 0, n)
	services := []string{"koinly", "freqtrade", "cointracker", "hummingbot", "accointing"}
	for i := range n {
		id, name := fmt.Sprintf("k%05d", i), fmt.Sprintf("%s-%05d", services[i%len(services)], i)
		if i%10 == 3 {
			name = fmt.Sprintf("api-key-%d", 1605316109249+i)
		}
		change := []func(*vault.Record){named(id, name), func(r *vault.Record) {
			r.Account = fmt.Sprintf("account-%02d", i%20)
		}}
		switch {
		case i%50 == 0:
			change = append(change, func(r *vault.Record) { r.Status = vault.StatusCompromised })
		case i%13 == 0:
			change = append(change, expiring(t0.Add(20*day)))
		case i%7 == 0:
			change = append(change, reviewDueAt(t0.Add(-day)))
		case i%100 == 1:
			change = append(change, func(r *vault.Record) { r.ReplacedBy = "k00000" })
		}
		if i%2 == 0 {
			out = append(out, taxKey(change...))
		} else {
			out = append(out, botKey(change...))
		}
	}
	return out
}

// BenchmarkBuildModel10k builds the tray's model for 10 000 keys, from the
// records as read to the menu: the Snapshot (every key reviewed once, with
// one index for the rules across keys) and the model.
func BenchmarkBuildModel10k(b *testing.B) {
	records := manyRecords(10_000)
	set := keys.DefaultSettings()
	set.ReadOnlyDays = 60
	st := remind.State{Snoozes: map[string]remind.Snooze{"k00007": {Until: t0.Add(day)}}}
	m := BuildModel(keys.NewSnapshot(records, set, st, t0))
	if !m.Attention || len(m.Keys) != MaxKeys || m.More == 0 {
		b.Fatalf("model %+v: want many keys needing attention", m)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, cpuOK := cputime.Used()
	for range b.N {
		BuildModel(keys.NewSnapshot(records, set, st, t0))
	}
	// The machine may be busy: the process's own CPU time per op says what
	// the build costs, apart from the time it waited for a core.
	if cpu1, ok := cputime.Used(); cpuOK && ok {
		b.ReportMetric(float64(cpu1-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

// childAddKey adds a key due for review to the key list in dir, as
// `keywarden add` in a terminal would, without telling the tray part.
func childAddKey(dir string) int {
	store, err := vault.Open(dir)
	if err == nil {
		err = store.Update(func(d *vault.Data) error {
			d.Records = append(d.Records, taxKey(named("k9", "from a terminal"), reviewDueAt(t0.Add(-day))))
			return nil
		})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// The menu follows a key another process adds, within 2 s, with nobody
// poking the tray and the menu closed.
func TestTray_followsOtherProcesses(t *testing.T) {
	h := newTrayHarness(t, botKey())
	h.start()
	if m := h.tray.Model(); len(m.Keys) != 0 {
		t.Fatalf("model %+v, want nothing listed", m)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), envChildAddKey+"="+h.dir)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the other process failed: %v\n%s", err, out)
	}
	h.rec.waitFor(t, "the menu lists the key another process added", func() bool {
		m := h.rec.lastModel()
		return len(m.Keys) == 1 && m.Keys[0].RecordID == "k9"
	})
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the menu followed after %v, want within 2 s", took)
	}
}
