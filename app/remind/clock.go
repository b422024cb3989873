package remind

import "time"

// Clock is the time as the Scheduler sees it; tests pass a fake one.
type Clock interface {
	// Now returns the current time, by the wall clock.
	Now() time.Time
	// NewTimer returns a timer that fires once, d from now. Like Go's own
	// timers it runs on a monotonic clock, which on Linux stops while the
	// machine is suspended (golang/go#24595, #35012).
	NewTimer(d time.Duration) Timer
}

// Timer is a one-shot timer made by a Clock.
type Timer interface {
	// C delivers the time when the timer fires.
	C() <-chan time.Time
	// Stop stops the timer; it reports whether that kept it from firing.
	Stop() bool
}

// SystemClock is the machine's clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// NewTimer returns a time.Timer.
func (SystemClock) NewTimer(d time.Duration) Timer { return systemTimer{time.NewTimer(d)} }

type systemTimer struct{ t *time.Timer }

func (t systemTimer) C() <-chan time.Time { return t.t.C }
func (t systemTimer) Stop() bool          { return t.t.Stop() }
