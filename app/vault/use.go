package vault

import "time"

// UseSeen is what the exchange's lastUsed has shown, check after check, of
// a key's use by programs other than Keywarden. A check's answer shows only
// the latest use, and the next check hides it behind Keywarden's own call,
// so what one check saw is kept here for the checks after it.
type UseSeen struct {
	// First is the earliest such use any check has shown; Last the latest.
	// Both are the exchange's clock, zero when none was seen.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
}

// Saw adds a use by another program at at.
func (u *UseSeen) Saw(at time.Time) {
	if at.IsZero() {
		return
	}
	if u.First.IsZero() || at.Before(u.First) {
		u.First = at
	}
	if at.After(u.Last) {
		u.Last = at
	}
}
