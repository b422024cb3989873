package remind

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/internal/testkit"
	"github.com/keywarden/keywarden/app/vault"
)

// The shared fixtures (app/internal/testkit), under the short names these
// tests use.
var (
	t0          = testkit.T0
	taxKey      = testkit.TaxKey
	botKey      = testkit.BotKey
	expiring    = testkit.Expiring
	reviewDueAt = testkit.ReviewDueAt
)

const day = testkit.Day

// noChecks makes the key's 2FA code typed, so it is never checked in the
// background and only its reminders decide the next wake-up.
func noChecks(r *vault.Record) { r.TwoFA = vault.TwoFATyped }

func ids(rems []Reminder) []string {
	out := make([]string, len(rems))
	for i, r := range rems {
		out[i] = r.ID
	}
	return out
}

func sent(at time.Time, ids ...string) map[string]time.Time {
	m := make(map[string]time.Time)
	for _, id := range ids {
		m[id] = at
	}
	return m
}

// fakeClock is a Clock whose time moves only when told. Its timers run on
// its own monotonic clock, which Suspend leaves alone, as a suspended
// machine does.
type fakeClock struct {
	mu     sync.Mutex
	wall   time.Time
	mono   time.Duration
	timers []*fakeTimer
	armed  chan time.Duration // every NewTimer's duration
}

type fakeTimer struct {
	c       chan time.Time
	at      time.Duration // on the monotonic clock
	stopped bool
	fired   bool
	clock   *fakeClock
}

func newFakeClock(at time.Time) *fakeClock {
	return &fakeClock{wall: at, armed: make(chan time.Duration, 1000)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wall
}

func (c *fakeClock) NewTimer(d time.Duration) Timer {
	c.mu.Lock()
	t := &fakeTimer{c: make(chan time.Time, 1), at: c.mono + d, clock: c}
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	c.armed <- d
	return t
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Stop() bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	was := !t.stopped && !t.fired
	t.stopped = true
	return was
}

// Advance moves both clocks on by d and fires the timers that are due; it
// returns how many fired.
func (c *fakeClock) Advance(d time.Duration) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wall = c.wall.Add(d)
	c.mono += d
	n := 0
	for _, t := range c.timers {
		if !t.stopped && !t.fired && t.at <= c.mono {
			t.fired = true
			t.c <- c.wall
			n++
		}
	}
	return n
}

// Suspend moves the wall clock on by d and nothing else.
func (c *fakeClock) Suspend(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wall = c.wall.Add(d)
}

// pending returns how long until the earliest live timer fires.
func (c *fakeClock) pending() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var left time.Duration
	ok := false
	for _, t := range c.timers {
		if !t.stopped && !t.fired && (!ok || t.at-c.mono < left) {
			left, ok = t.at-c.mono, true
		}
	}
	return left, ok
}

// harness runs a Scheduler over a real vault store and state file in a
// temporary folder, on a fake clock.
type harness struct {
	t     *testing.T
	dir   string
	store *vault.Store
	state *StateFile
	clock *fakeClock
	// check answers a background check; nil means an OK readback with the
	// intended permissions.
	check func(r vault.Record, now time.Time) vault.Readback
	// vault is what the Scheduler reads the key list from; nil means store.
	vault Vault
	// deliver decides which of the due reminders the face shows; nil
	// shows them all.
	deliver func(due []Reminder) (shown []string)
	// off is what Config.Off answers: notifications turned off.
	off bool
	// watch is the account watch's poll; nil leaves the watch off.
	watch func(ctx context.Context, now time.Time) time.Duration

	mu        sync.Mutex
	shown     []Reminder
	delivered [][]string // the IDs handed to each Deliver call
	checked   [][]string // record IDs of each background check
	errs      []error

	looks  int // timers set: one per look at the vault
	sched  *Scheduler
	cancel context.CancelFunc
	done   chan error
}

func newHarness(t *testing.T, records ...vault.Record) *harness {
	t.Helper()
	dir := t.TempDir()
	store, err := vault.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, dir: dir, store: store, state: OpenState(dir), clock: newFakeClock(t0)}
	h.put(records...)
	return h
}

// put saves records in the vault, replacing those with the same ID.
func (h *harness) put(records ...vault.Record) {
	h.t.Helper()
	err := h.store.Update(func(d *vault.Data) error {
		for _, r := range records {
			if old, err := d.ByID(r.ID); err == nil {
				*old = r
				continue
			}
			if _, err := d.Add(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

// start runs a new Scheduler (a fresh start of the tray part) and waits
// until it sleeps; checks turns background checks on.
func (h *harness) start(checks bool) time.Duration {
	h.t.Helper()
	cfg := Config{
		Vault: h.store, State: h.state, Clock: h.clock,
		Deliver: func(due []Reminder) []string {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.delivered = append(h.delivered, ids(due))
			shown := ids(due)
			if h.deliver != nil {
				shown = h.deliver(due)
			}
			for _, r := range due {
				if slices.Contains(shown, r.ID) {
					h.shown = append(h.shown, r)
				}
			}
			return shown
		},
		Report: func(err error) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.errs = append(h.errs, err)
		},
		Off: func() bool {
			h.mu.Lock()
			defer h.mu.Unlock()
			return h.off
		},
	}
	if h.vault != nil {
		cfg.Vault = h.vault
	}
	if checks {
		cfg.CheckKeys = h.checkKeys
	}
	cfg.Watch = h.watch
	h.sched = NewScheduler(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan error, 1)
	go func() { h.done <- h.sched.Run(ctx) }()
	h.t.Cleanup(h.stop)
	return h.waitArmed()
}

func (h *harness) checkKeys(_ context.Context, recs []vault.Record, now time.Time) []check.Result {
	h.mu.Lock()
	var got []string
	for _, r := range recs {
		got = append(got, r.ID)
	}
	h.checked = append(h.checked, got)
	answer := h.check
	h.mu.Unlock()
	out := make([]check.Result, len(recs))
	for i, r := range recs {
		rb := vault.Readback{At: now, Outcome: vault.OutcomeOK, Name: r.Name, Permissions: r.Intended, IPAllowlist: r.Restrictions.IPAllowlist, ValidUntil: r.Restrictions.Expires}
		if answer != nil {
			rb = answer(r, now)
		}
		out[i] = check.Result{Record: r, Readback: rb}
	}
	// Saved as the key service does (app/keys' CheckInBackground): an
	// answer that says nothing about the key is not saved.
	err := h.store.Update(func(d *vault.Data) error {
		for _, res := range out {
			if rec, err := d.ByID(res.Record.ID); err == nil && !res.Readback.Unreached {
				check.Apply(rec, res.Readback)
			}
		}
		return nil
	})
	if err != nil {
		h.t.Error(err)
	}
	return out
}

// stop ends the Scheduler and waits for Run to return.
func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	select {
	case <-h.done:
	case <-time.After(5 * time.Second):
		h.t.Error("Run did not return after its context ended")
	}
	h.cancel = nil
}

// waitArmed waits until the Scheduler sets its next timer, which it does
// after every evaluation, and returns the timer's duration.
func (h *harness) waitArmed() time.Duration {
	h.t.Helper()
	select {
	case d := <-h.clock.armed:
		h.looks++
		return d
	case <-time.After(5 * time.Second):
		h.t.Fatal("the scheduler did not set its timer")
		return 0
	}
}

// advance moves the clock on by d, letting the Scheduler handle every
// timer that fires on the way.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	for d > 0 {
		left, ok := h.clock.pending()
		if !ok || left > d {
			h.clock.Advance(d)
			return
		}
		if h.clock.Advance(left) > 0 {
			h.waitArmed()
		}
		d -= left
	}
}

// poke pokes the Scheduler and waits until it has looked again.
func (h *harness) poke() {
	h.t.Helper()
	h.sched.Poke()
	h.waitArmed()
}

// takeShown returns the IDs of the reminders shown since the last call.
func (h *harness) takeShown() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	got := ids(h.shown)
	h.shown = nil
	return got
}

func (h *harness) takeChecked() [][]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	got := h.checked
	h.checked = nil
	return got
}

// takeDelivered returns the reminder IDs handed to each Deliver call since
// the last call.
func (h *harness) takeDelivered() [][]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	got := h.delivered
	h.delivered = nil
	return got
}

// sentMarks returns the IDs of the reminders the state file marks as shown.
func (h *harness) sentMarks() []string {
	h.t.Helper()
	st, err := h.state.Load()
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for id := range st.Sent {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// loadHook is a Vault that runs a function before each Load.
type loadHook struct {
	Vault
	before func()
}

func (v loadHook) Load() (*vault.Data, error) {
	v.before()
	return v.Vault.Load()
}

func (h *harness) takeErrs() []error {
	h.mu.Lock()
	defer h.mu.Unlock()
	got := h.errs
	h.errs = nil
	return got
}

func (h *harness) record(id string) vault.Record {
	h.t.Helper()
	d, err := h.store.Load()
	if err != nil {
		h.t.Fatal(err)
	}
	r, err := d.ByID(id)
	if err != nil {
		h.t.Fatal(err)
	}
	return *r
}

func equal(a, b []string) bool { return slices.Equal(a, b) }
