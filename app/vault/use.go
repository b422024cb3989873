package vault

import "time"

// UseSeen is what the exchange's lastUsed has shown, check after check, of
// a key's use by programs other than Keywarden. A check's answer shows only
// the latest use, and the next check hides it behind Keywarden's own call,
// so what one check saw is kept here for the checks after it.
//
// The two ends are kept apart on purpose. First counts only uses that were
// surely another program's, so a key is never taken for "in use" on
// Keywarden's own check; Last counts doubtful ones too, so a key is never
// taken for "quiet" when something may have used it.
type UseSeen struct {
	// First is the earliest sure use any check has shown; Last the latest
	// use, sure or doubtful. Both are the exchange's clock, zero when none
	// was seen.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
}

// Saw adds a use at at; sure says it was surely another program's.
func (u *UseSeen) Saw(at time.Time, sure bool) {
	if at.IsZero() {
		return
	}
	if sure && (u.First.IsZero() || at.Before(u.First)) {
		u.First = at
	}
	if at.After(u.Last) {
		u.Last = at
	}
}
