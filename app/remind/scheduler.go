package remind

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/vault"
)

// MaxSleep caps one wait of the Scheduler. Go's timers run on the
// monotonic clock, which on Linux stops while the machine is suspended, so
// a timer set for 3 days fires 3 days of awake time later: after a week
// with the lid closed every reminder would be days late. Recomputing from
// the wall clock at least once an hour bounds that delay to an hour after
// waking, which is fine for reminders counted in days. It costs 24 wake-ups
// a day, against the Go runtime's own ~1440 (sysmon wakes an idle process
// once a minute, as measured on the tray part), so it does not show in the
// idle budget (`make bench-idle`, .ci/bench-idle.sh). A desktop that reports
// resuming (logind's PrepareForSleep on D-Bus) can call Poke for an
// immediate recomputation; the cap is what works everywhere without one.
const MaxSleep = time.Hour

// ResumeGrace is how long background checks wait after a wake from sleep,
// so the network is back first: a check that fails for want of it would
// replace the key's last good readback with an error.
const ResumeGrace = 2 * time.Minute

// sleepGap is how much longer by the wall clock than by the timer's own
// clock a wait may take before the Scheduler takes it for a wake from
// sleep (or the clock being set forward, which it treats the same).
const sleepGap = time.Minute

// minWait keeps a wait positive when evaluating took longer than the time
// left to the next event.
const minWait = time.Second

// RetryDeliver is how soon reminders are offered again when Deliver did
// not show them all (a notification failed: the notification server was
// not up yet at login, or went away). Only while some are left does it
// wake the Scheduler more often than MaxSleep. It is the fallback: a face
// that sees the notification server come back (the tray follows its name
// on D-Bus) calls Poke, and the reminders come within a moment.
const RetryDeliver = 10 * time.Minute

// Vault is what the Scheduler reads of the key list: the records as the
// faces see them (with the person's review defaults applied, without
// records in the middle of being added or removed). The Scheduler writes no
// records: CheckKeys saves what the checks found.
type Vault interface {
	Load() (*vault.Data, error)
}

// Config is what a Scheduler works with.
type Config struct {
	Vault Vault
	State *StateFile
	// Clock is the time; nil means SystemClock.
	Clock Clock
	// Deliver hands the face the reminders due at one evaluation, earliest
	// first. The face shows them (or drops them on purpose, as with
	// notifications turned off) and returns the IDs of those it showed or
	// dropped: only those are marked as shown, after Deliver returns. A
	// reminder it leaves out (its notification failed) stays due and is
	// offered again at a later evaluation, within RetryDeliver. Reminders
	// found when Run's context ends are neither delivered nor marked, so
	// the next run shows them.
	//
	// Deliver is called after every evaluation, with no reminders when none
	// is due or the key list could not be read, so a face can rebuild what
	// it shows then. It runs on Run's goroutine and should not block for
	// long. nil marks every reminder as shown without showing it.
	Deliver func(due []Reminder) (shown []string)
	// Off reports whether the person turned notifications off. While it
	// does, due reminders are not handed to Deliver: they are kept
	// (State.Missed) and marked as shown, so the tray menu still lists
	// them and nothing is retried. Once it reports false again, Deliver
	// gets those still due, with WhileOff set, ahead of the others, so
	// the face can sum them up in one notification. nil means never off.
	Off func() bool
	// CheckKeys checks the keys in the background (no typed codes) and
	// saves the answers by the key service's save rule (app/keys'
	// Service.CheckInBackground), returning every answer, saved or not, so
	// the Scheduler can try the keys that got none again sooner. nil turns
	// background checks off.
	CheckKeys func(ctx context.Context, recs []vault.Record, now time.Time) []check.Result
	// Watch polls the account watch: it reads the watched accounts' new
	// ledger entries (app/keys' Service.PollActivity) and shows what needs
	// an answer, and returns how long until the next poll (the person's
	// setting), or 0 when no account is watched. It runs on the scheduler's
	// goroutine and one timer, held back like background checks after a
	// start or a wake from sleep, so the watch adds one wake-up per poll and
	// nothing while no account is watched. nil turns it off.
	Watch func(ctx context.Context, now time.Time) (every time.Duration)
	// Report receives what went wrong, for the log: a damaged reminders
	// file, a key list that cannot be read, a save that failed. nil drops
	// them. The Scheduler carries on after every one.
	Report func(error)
}

// Scheduler shows reminders and runs background checks, waiting on one
// timer between them. Run it once, in its own goroutine; call Poke when the
// vault or the reminder settings change.
//
// Wake from sleep: every wait is capped at MaxSleep and, whatever ends it,
// what is due is recomputed from the wall clock, so reminders missed while
// the machine slept are shown at once when it next evaluates (once each,
// and for expiry only the latest step). A wait that took more than a
// minute longer by the wall clock than by the timer's own clock (or, for a
// Poke, the monotonic clock) means the machine slept. Background checks
// wait ResumeGrace after such a wake, and after Run starts.
type Scheduler struct {
	cfg   Config
	clock Clock
	poke  chan struct{}

	watchNow atomic.Bool // WatchNow asked for a poll at the next look

	// Owned by Run's goroutine.
	holdChecks time.Time // no background check before this
	nextWatch  time.Time // the next poll of the account watch; zero: at the next look
	unsaved    []string  // reminders shown whose marks could not be saved
}

// NewScheduler returns a Scheduler for c; c.Vault and c.State are
// required.
func NewScheduler(c Config) *Scheduler {
	clock := c.Clock
	if clock == nil {
		clock = SystemClock{}
	}
	return &Scheduler{cfg: c, clock: clock, poke: make(chan struct{}, 1)}
}

// Poke makes Run look again at once: the vault or the reminder state
// changed, or the desktop reports a wake from sleep. It never blocks, and
// pokes that come while Run is busy fold into one.
func (s *Scheduler) Poke() {
	select {
	case s.poke <- struct{}{}:
	default:
	}
}

// WatchNow makes Run poll the account watch at once ("Check all", the
// window opening), even within the grace after a start or a wake.
func (s *Scheduler) WatchNow() {
	s.watchNow.Store(true)
	s.Poke()
}

// watch polls the account watch when it is due, and returns when a poll
// held back by the grace after a start or wake may run (zero: none held,
// or no watch).
func (s *Scheduler) watch(ctx context.Context, now time.Time) (held time.Time) {
	if s.cfg.Watch == nil || ctx.Err() != nil {
		return time.Time{}
	}
	asked := s.watchNow.Swap(false)
	switch {
	case !asked && now.Before(s.nextWatch):
		return time.Time{}
	case !asked && now.Before(s.holdChecks):
		return s.holdChecks
	}
	every := s.cfg.Watch(ctx, now)
	s.nextWatch = time.Time{}
	if every > 0 {
		s.nextWatch = s.clock.Now().Add(every)
	}
	return time.Time{}
}

// Run shows what is due, runs the checks that are due, and waits for the
// next thing, until ctx ends; it returns ctx's error.
func (s *Scheduler) Run(ctx context.Context) error {
	s.holdChecks = s.clock.Now().Add(ResumeGrace) // at login the network may not be up yet
	for {
		next, ok := s.evaluate(ctx)
		if err := ctx.Err(); err != nil {
			return err
		}
		armed := s.clock.Now()
		wait := MaxSleep
		if ok {
			wait = min(max(next.Sub(armed), minWait), MaxSleep)
		}
		t := s.clock.NewTimer(wait)
		fired := false
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-s.poke:
			t.Stop()
		case <-t.C():
			fired = true
		}
		if now := s.clock.Now(); slept(armed, now, wait, fired) {
			s.holdChecks = now.Add(ResumeGrace)
		}
	}
}

// slept reports whether the machine was suspended during a wait that began
// at armed and ended at now: the wall clock moved on by more than the
// clock the timer runs on, by sleepGap or more. That clock's elapsed time
// is the monotonic difference of the two readings when both carry one,
// and when the timer fired, at most the wait (which is all a fake clock
// can tell).
func slept(armed, now time.Time, wait time.Duration, fired bool) bool {
	wall := now.Round(0).Sub(armed.Round(0))
	mono := now.Sub(armed)
	if fired {
		mono = min(mono, wait)
	}
	return wall-mono >= sleepGap
}

// saveShown marks the reminders shown (and those a failed save left
// unsaved) as sent in the state file, and those kept while notifications
// are off as sent and missed, pruned, and returns the state as saved.
// When the save fails it keeps the shown ones in s.unsaved for the next
// evaluation, and returns st with them marked, so they are not shown again
// meanwhile; the kept ones are kept again at the next evaluation.
func (s *Scheduler) saveShown(records []vault.Record, st State, shown, kept []string, now time.Time) State {
	ran := false
	err := s.cfg.State.Update(func(fs *State) {
		ran = true
		fs.markSent(s.unsaved, now)
		fs.markSent(shown, now)
		fs.forgetMissed(shown)
		fs.keepMissed(kept, now)
		fs.Prune(records, now)
		st = *fs
	})
	if err == nil {
		s.unsaved = nil
		return st
	}
	s.report(err)
	if !ran {
		st.markSent(shown, now)
		st.forgetMissed(shown)
	}
	s.unsaved = append(s.unsaved, shown...)
	slices.Sort(s.unsaved)
	s.unsaved = slices.Compact(s.unsaved)
	return st
}

// evaluate does what is due at the current time and returns when to look
// again; ok is false when nothing is ahead.
func (s *Scheduler) evaluate(ctx context.Context) (next time.Time, ok bool) {
	now := s.clock.Now()
	records, err := s.records()
	if err != nil {
		s.report(err)
		if ctx.Err() == nil {
			s.deliver(nil)
		}
		return time.Time{}, false
	}
	st, err := s.cfg.State.Load()
	if err != nil {
		s.report(err)
	}
	var held time.Time // when held-back checks may run
	if s.cfg.CheckKeys != nil {
		if due := CheckDue(records, st, now); len(due) > 0 {
			if now.Before(s.holdChecks) {
				held = s.holdChecks
			} else if s.check(ctx, due, now) {
				if ctx.Err() != nil {
					return time.Time{}, false
				}
				if fresh, err := s.records(); err == nil {
					records = fresh
				} else {
					s.report(err)
				}
				if fresh, err := s.cfg.State.Load(); err == nil {
					st = fresh
				}
				now = s.clock.Now()
			}
		}
	}
	heldWatch := s.watch(ctx, now)
	now = s.clock.Now()
	if ctx.Err() != nil {
		// Run is ending: what is due now is neither shown nor marked, so
		// the next run shows it.
		return time.Time{}, false
	}

	st.markSent(s.unsaved, now)
	due, kept := s.dueNow(records, st, now)
	shown := s.deliver(due)
	// The marks are saved even when ctx ended during Deliver: what was
	// shown must not be shown again.
	st = s.saveShown(records, st, shown, kept, now)

	next, ok = nextReminder(records, st, now)
	consider := func(t time.Time) {
		if t.After(now) && (!ok || t.Before(next)) {
			next, ok = t, true
		}
	}
	if len(shown) < len(due) && undelivered(due, shown) {
		consider(now.Add(RetryDeliver))
	}
	if s.cfg.CheckKeys != nil {
		if c, cok := nextCheck(records, st, now); cok {
			consider(c)
		}
		consider(held)
	}
	consider(s.nextWatch) // both zero without a watch
	consider(heldWatch)
	return next, ok
}

// dueNow returns the reminders to hand to Deliver at now: those due, and
// those that fell due while notifications were off (Missed) once they are
// on again. While they are off it returns none, and the IDs of those due,
// to keep.
func (s *Scheduler) dueNow(records []vault.Record, st State, now time.Time) (due []Reminder, kept []string) {
	due = Due(records, st, now)
	if s.cfg.Off != nil && s.cfg.Off() {
		return nil, reminderIDs(due)
	}
	return append(Missed(records, st, now), due...), nil
}

// deliver hands the due reminders to Config.Deliver and returns the IDs
// to mark as shown.
func (s *Scheduler) deliver(due []Reminder) []string {
	if s.cfg.Deliver == nil {
		return reminderIDs(due)
	}
	return s.cfg.Deliver(due)
}

// undelivered reports whether a due reminder is not among shown.
func undelivered(due []Reminder, shown []string) bool {
	got := make(map[string]bool, len(shown))
	for _, id := range shown {
		got[id] = true
	}
	for _, rem := range due {
		if !got[rem.ID] {
			return true
		}
	}
	return false
}

// check runs the due background checks, which CheckKeys saves, and
// remembers the keys that got no answer, to try them again sooner. It
// reports false when it could not start them.
func (s *Scheduler) check(ctx context.Context, due []vault.Record, now time.Time) bool {
	// The start is saved first, so that a check whose result cannot be
	// saved (or a crash during it) does not run again at every wake-up.
	err := s.cfg.State.Update(func(fs *State) {
		if fs.Checked == nil {
			fs.Checked = make(map[string]time.Time)
		}
		for _, r := range due {
			fs.Checked[r.ID] = now
		}
	})
	if err != nil {
		s.report(fmt.Errorf("remind: background checks skipped: %w", err))
		return false
	}
	results := s.cfg.CheckKeys(ctx, due, now)
	if ctx.Err() != nil {
		return true // cut short: the results say "cancelled", not what the key is
	}
	// A check that got no answer about the key left the record's last
	// answer (CheckKeys saves none for it) and is tried again soon; the log
	// says why.
	var unreached []check.Result
	for _, res := range results {
		if res.Readback.Unreached {
			unreached = append(unreached, res)
		}
	}
	if len(unreached) == 0 {
		return true
	}
	for _, res := range unreached {
		s.report(fmt.Errorf("remind: the background check of key %s got no answer, so its last answer is kept and it is tried again in %v: %s",
			res.Record.ID, RetryInterval, res.Readback.Problem))
	}
	err = s.cfg.State.Update(func(fs *State) {
		for _, res := range unreached {
			fs.markUnreached(res.Record.ID, res.Readback.At)
		}
	})
	if err != nil {
		s.report(fmt.Errorf("remind: save the background checks to try again: %w", err))
	}
	return true
}

func (s *Scheduler) records() ([]vault.Record, error) {
	d, err := s.cfg.Vault.Load()
	if err != nil {
		return nil, fmt.Errorf("remind: read the key list: %w", err)
	}
	return d.Records, nil
}

func (s *Scheduler) report(err error) {
	if s.cfg.Report != nil && err != nil && !errors.Is(err, context.Canceled) {
		s.cfg.Report(err)
	}
}

func reminderIDs(rems []Reminder) []string {
	ids := make([]string, len(rems))
	for i, r := range rems {
		ids[i] = r.ID
	}
	return ids
}
