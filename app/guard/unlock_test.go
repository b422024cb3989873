package guard_test

import (
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/guard"
)

// The unlock after a correct code (issue 20 item 12): open within the
// grace, closed at its end, at a grace of 0, after End, and when the clock
// goes back; a grace turned down applies at once.
func TestUnlock(t *testing.T) {
	t0 := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	grace := 2 * time.Minute
	var u guard.Unlock
	if u.Open(t0, grace) {
		t.Fatal("open before any code")
	}
	u.Grant(t0)
	for _, tt := range []struct {
		after time.Duration
		grace time.Duration
		open  bool
	}{
		{0, grace, true},
		{grace - time.Second, grace, true},
		{grace - time.Second, 0, false}, // ask every time
	} {
		u.Grant(t0)
		if got := u.Open(t0.Add(tt.after), tt.grace); got != tt.open {
			t.Errorf("%v after the code, grace %v: open %v, want %v", tt.after, tt.grace, got, tt.open)
		}
	}
	u.Grant(t0)
	if u.Open(t0.Add(grace), grace) {
		t.Error("open at the end of the grace")
	}
	if u.Open(t0.Add(time.Second), grace) {
		t.Error("open again after it expired (the clock went back)")
	}
	u.Grant(t0)
	if u.Open(t0.Add(-time.Second), grace) {
		t.Error("open with the clock gone back before the code")
	}
	u.Grant(t0)
	u.End()
	if u.Open(t0.Add(time.Second), grace) {
		t.Error("open after End")
	}
	u.Grant(t0)
	if !u.Open(t0.Add(90*time.Second), grace) || u.Open(t0.Add(90*time.Second), time.Minute) {
		t.Error("a grace turned down from 2 minutes to 1 does not apply at once")
	}
}
