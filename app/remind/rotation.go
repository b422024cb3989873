package remind

import (
	"time"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

// Rotation is the Kind of a reminder about a rotation's verdict
// (review.RotationOf): the switch seen, or the old key still in use.
const Rotation review.DueKind = "rotation"

// StillInUseAfter is how long after a rotation the old key may still be
// used before a reminder says so: long enough for a program that runs once
// a day to be moved, short enough that two live keys do not linger.
const StillInUseAfter = 3 * 24 * time.Hour

// The reminder IDs' tails, after "<recordID>/".
const (
	switchedInfix   = "rotation/switched"
	oldInUseInfix   = "rotation/old-in-use"
	stillInUseWords = "3 days"
)

// rotationReminders returns the reminders of the old key of a rotation:
// when the checks show the switch (at seen, the old key's last check),
// "revoke it"; when the old key was used after the new one was saved and
// StillInUseAfter has passed, "it is still in use". The verdict's own
// words say what to do.
func rotationReminders(r vault.Record, idx *review.Index, seen, now time.Time) []Reminder {
	rot, ok := idx.Rotation(r, now)
	if !ok {
		return nil
	}
	rem := Reminder{RecordID: r.ID, Name: r.Name, Kind: Rotation, Severity: review.Warning, Body: rot.NextStep}
	if rot.State == review.RotationSwitched {
		rem.ID, rem.At = r.ID+"/"+switchedInfix, seen
		rem.Title = quoted(rot.NewName) + " is in use and the old key is quiet: revoke " + quoted(r.Name)
		return []Reminder{rem}
	}
	if at, still := stillInUseAt(r, idx, now); still {
		rem.ID, rem.At = r.ID+"/"+oldInUseInfix, at
		rem.Title = quoted(r.Name) + " is still in use " + stillInUseWords + " after its rotation: " + lowerFirst(rot.Title)
		return []Reminder{rem}
	}
	return nil
}

// stillInUseAt returns when the "old key still in use" reminder of r falls
// due: StillInUseAfter after the rotation, for an old key used after its
// replacement was saved and not switched.
func stillInUseAt(r vault.Record, idx *review.Index, now time.Time) (time.Time, bool) {
	rot, ok := idx.Rotation(r, now)
	if !ok || rot.State == review.RotationSwitched || !rot.OldUsedSinceSaved {
		return time.Time{}, false
	}
	return rot.Saved.Add(StillInUseAfter), true
}
