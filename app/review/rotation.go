package review

import (
	"fmt"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// RotationState is what the exchange's evidence says about a rotation: has
// whatever used the old key moved to the new one?
type RotationState string

// The rotation verdicts.
const (
	// RotationUnknown: the checks do not tell yet (no check since the
	// rotation, or answers that show only Keywarden's own calls).
	RotationUnknown RotationState = "unknown"
	// RotationNotSwitched: no program has used the new key; revoking the
	// old one now would stop what uses it.
	RotationNotSwitched RotationState = "not-switched"
	// RotationBothInUse: the new key is in use, and so, after that, is the
	// old one: something still has the old key.
	RotationBothInUse RotationState = "both-in-use"
	// RotationSwitched: the new key is in use and the old one has been
	// quiet since: safe to revoke the old key.
	RotationSwitched RotationState = "switched"
)

// Rotation is the verdict on a key replaced by another, with the evidence
// behind it and its words, which every face shows as they are.
type Rotation struct {
	State RotationState
	// OldName and NewName are the two keys' names.
	OldName, NewName string
	// Saved is when the new key was saved.
	Saved time.Time
	// NewUsed is the new key's first use by another program that a check
	// showed (zero: none); OldUsed the old key's last (zero: none).
	NewUsed, OldUsed time.Time
	// OldUsedSinceSaved is true when the old key was used after the new one
	// was saved: revoking it may stop something.
	OldUsedSinceSaved bool
	// Title is the verdict in one sentence; Detail the evidence; NextStep
	// what to do.
	Title, Detail, NextStep string
}

// RotationOf returns the verdict on old, replaced by repl, at now, from
// what the checks of both keys showed (vault.Record.Use: the exchange's
// lastUsed, with Keywarden's own checks left out).
//
// The switch is the new key's first use seen, or the moment it was saved
// if that is later (a use before the save was a test, not the switch). The
// old key is still in use when a use of it is seen after the switch. It is
// quiet only when a check of it after the switch showed an earlier last
// use; an answer that shows nothing but Keywarden's own call, or no check
// at all, says nothing, and the verdict is then "unknown", never "switched"
// (fail closed: revoking too early stops a program mid-trade). Use times a
// check cannot have shown (after the key's last check) make it unknown too.
func RotationOf(old, repl vault.Record, now time.Time) Rotation {
	rot := Rotation{OldName: old.Name, NewName: repl.Name, Saved: repl.Created, NewUsed: repl.Use.First, OldUsed: old.Use.Last}
	rot.OldUsedSinceSaved = old.Use.Last.After(repl.Created.Add(OwnUseTolerance))
	w := words{repl: keyName(repl.Name), now: now}
	switch {
	case oddUse(old) || oddUse(repl):
		return w.unknown(rot, "Keywarden's record of when these keys were used is not one its checks can have made. Check both keys again to replace it.")
	case repl.Use.First.IsZero():
		return w.notUsedYet(rot, old, repl)
	}
	switchAt := laterOf(repl.Use.First, repl.Created.Add(OwnUseTolerance))
	orb := exactCheck(old)
	switch {
	case old.Use.Last.After(switchAt):
		rot.State = RotationBothInUse
		rot.Title = "Both keys are in use: something still has the old key"
		rot.Detail = fmt.Sprintf("The old key was used %s, after the new key %s was first used (%s).",
			w.when(old.Use.Last), w.repl, w.at(repl.Use.First))
		rot.NextStep = "Find what still uses the old key: the revoke runbook (Revoke…) lists where it is used, and Find copies looks for copies of it in files. Move that to " +
			w.repl + ", then check both keys again."
	case orb == nil || !orb.At.After(switchAt):
		return w.unknown(rot, "The new key "+w.repl+" is in use (first seen "+w.at(repl.Use.First)+"), but the old key has not been checked since, so Keywarden cannot tell whether it is quiet.")
	case blind(*orb):
		return w.unknown(rot, "The new key "+w.repl+" is in use, but Kraken's last answer for the old key showed only Keywarden's own check, so it cannot tell whether anything else used the old key.")
	default:
		rot.State = RotationSwitched
		rot.Title = "Switched: safe to revoke the old key"
		oldWords := "the old key has not been used at all while Keywarden checked it"
		if !old.Use.Last.IsZero() {
			oldWords = "the old key not since " + w.at(old.Use.Last) + " (its last use before the switch)"
		}
		rot.Detail = fmt.Sprintf("The new key %s was used at %s; %s.", w.repl, w.at(repl.Use.First), oldWords)
		rot.NextStep = "Revoke this key (Revoke…): Kraken shows nothing uses it since the switch."
	}
	return rot
}

// notUsedYet is the verdict while no use of the new key has been seen:
// "not switched" when the new key's last check would have shown one.
func (w words) notUsedYet(rot Rotation, old, repl vault.Record) Rotation {
	nrb := exactCheck(repl)
	switch {
	case nrb == nil:
		return w.unknown(rot, "The new key "+w.repl+" has not been checked, so Keywarden cannot tell whether it is in use.")
	case blind(*nrb):
		return w.unknown(rot, "Kraken's last answer for the new key "+w.repl+" showed only Keywarden's own check, so it cannot tell whether your program uses it.")
	}
	rot.State = RotationNotSwitched
	rot.Title = "Your program has not switched yet: revoking the old key now would stop it"
	oldWords := "no use of the old one was seen either"
	if !old.Use.Last.IsZero() {
		oldWords = "the old one was used " + w.when(old.Use.Last)
	}
	rot.Detail = fmt.Sprintf("The new key %s has not been used since it was saved (%s); %s.", w.repl, w.at(repl.Created), oldWords)
	rot.NextStep = "Give " + w.repl + " to whatever uses this key (keywarden exec, or its settings), restart it, then check both keys again."
	return rot
}

// unknown is the verdict when the checks do not tell, with why.
func (w words) unknown(rot Rotation, why string) Rotation {
	rot.State = RotationUnknown
	rot.Title = "Replaced: revoke the old key once the new one works"
	rot.Detail = why
	rot.NextStep = "Check both keys (Check now). Until Kraken shows " + w.repl + " in use and this key quiet, revoking this key may stop whatever still uses it."
	return rot
}

// blind reports whether a GetApiKeyInfo answer's lastUsed is the very call
// that asked: such an answer hides every earlier use. The nonces tell when
// the readback holds them (CallShown); otherwise a lastUsed within
// OwnUseTolerance of the check is taken for it.
func blind(rb vault.Readback) bool {
	if shown, known := CallShown(rb); known {
		return shown
	}
	return !rb.LastUsed.IsZero() && !rb.LastUsed.Before(rb.At.Add(-OwnUseTolerance))
}

// oddUse reports use times no check can have shown: after the key's last
// check, or a sure first use without a last one or after it. A hand-edited
// or damaged record; treated as telling nothing.
func oddUse(r vault.Record) bool {
	u := r.Use
	switch {
	case u.Last.IsZero():
		return !u.First.IsZero()
	case r.LastCheck == nil || u.First.After(u.Last):
		return true
	}
	return u.Last.After(r.LastCheck.At.Add(OwnUseTolerance))
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// words formats a verdict's names and times.
type words struct {
	repl string // the new key's name, quoted
	now  time.Time
}

// at names a moment: the time of day (UTC) when it is today, else the date
// too.
func (w words) at(t time.Time) string {
	t, now := t.UTC(), w.now.UTC()
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04 UTC")
	}
	return t.Format("2 Jan 2006 15:04 UTC")
}

// when names a moment by how long ago it was, and when.
func (w words) when(t time.Time) string {
	return ago(w.now.Sub(t)) + " (" + w.at(t) + ")"
}

// ago says how long ago something was, in whole minutes, hours or days.
func ago(d time.Duration) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit + " ago"
		}
		return fmt.Sprintf("%d %ss ago", n, unit)
	}
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < day:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/day), "day")
}
