package guard

import (
	"sync"
	"time"
)

// Unlock is one window's short unlock after a correct app 2FA code: for a
// little while, protected actions in that window go ahead without another
// code (codes are single-use, so two in a row would otherwise mean waiting
// up to Period for a fresh one), as a password manager unlocks once.
//
// It lives in memory only, in the window that was given the code, so it
// never reaches another process (the tray part, a second window, the
// command line). Fail closed: it is open only while the time since the
// code is at least zero and below the grace asked for now, so a grace
// turned down or to 0 takes effect at once, and a clock that went back
// ends it. The window ends it when it closes (idle close included).
// Safe for use from several goroutines.
type Unlock struct {
	mu sync.Mutex
	at time.Time // when the code was accepted; zero: locked
}

// Grant opens the unlock at now, the time a code was accepted.
func (u *Unlock) Grant(now time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.at = now
}

// Open reports whether a protected action may go ahead without a code at
// now, for a grace of the given length (zero or less: never).
func (u *Unlock) Open(now time.Time, grace time.Duration) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.at.IsZero() {
		return false
	}
	if since := now.Sub(u.at); grace <= 0 || since < 0 || since >= grace {
		u.at = time.Time{}
		return false
	}
	return true
}

// End locks again at once.
func (u *Unlock) End() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.at = time.Time{}
}
