package remind

import (
	"context"
	"sync"
	"testing"
	"time"
)

// watchRecorder is an account watch's poll that counts its calls.
type watchRecorder struct {
	mu    sync.Mutex
	at    []time.Time
	every time.Duration
}

func (w *watchRecorder) poll(_ context.Context, now time.Time) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.at = append(w.at, now)
	return w.every
}

func (w *watchRecorder) polls() []time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Time(nil), w.at...)
}

func TestScheduler_watchPollsEveryNMinutesOnItsOneTimer(t *testing.T) {
	h := newHarness(t, taxKey(noChecks))
	w := &watchRecorder{every: 15 * time.Minute}
	h.watch = w.poll
	if got := h.start(false); got != ResumeGrace {
		t.Fatalf("first wait = %s, want the grace for the network (%s)", got, ResumeGrace)
	}
	if len(w.polls()) != 0 {
		t.Fatal("the watch polled before the network had time to come up")
	}
	h.looks = 0
	h.advance(ResumeGrace + time.Hour)
	got := w.polls()
	if len(got) != 5 {
		t.Fatalf("%d polls in the hour after the grace, want 5 (at 0, 15, 30, 45 and 60 min): %v", len(got), got)
	}
	for i := 1; i < len(got); i++ {
		if d := got[i].Sub(got[i-1]); d != 15*time.Minute {
			t.Errorf("poll %d came %s after the one before, want 15m", i, d)
		}
	}
	if h.looks != 5 {
		t.Errorf("%d wake-ups in that hour, want one per poll (5): the watch shares the one timer", h.looks)
	}
}

func TestScheduler_noWatchedAccountCostsNoWakeUp(t *testing.T) {
	h := newHarness(t, taxKey(noChecks))
	w := &watchRecorder{every: 0} // no watch key
	h.watch = w.poll
	h.start(false)
	h.looks = 0
	h.advance(day)
	if h.looks != 24 {
		t.Errorf("%d wake-ups in a day with nothing watched, want 24 as without the watch", h.looks)
	}
}

func TestScheduler_watchNowPollsAtOnce(t *testing.T) {
	h := newHarness(t, taxKey(noChecks))
	w := &watchRecorder{every: 15 * time.Minute}
	h.watch = w.poll
	h.start(false)
	h.sched.WatchNow()
	h.waitArmed()
	if got := w.polls(); len(got) != 1 || !got[0].Equal(t0) {
		t.Fatalf("polls after WatchNow at the start = %v, want one at once", got)
	}
	h.advance(14 * time.Minute)
	if len(w.polls()) != 1 {
		t.Errorf("polled again before its 15 minutes: %v", w.polls())
	}
	h.advance(time.Minute)
	if len(w.polls()) != 2 {
		t.Errorf("no poll 15 minutes after the last: %v", w.polls())
	}
}
