package remind

import (
	"slices"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

// How long the tray's snooze choices last.
const (
	SnoozeDay  = 24 * time.Hour
	SnoozeWeek = 7 * 24 * time.Hour
)

// State is what the reminders remember between runs. It holds record IDs,
// reminder IDs, times and settings: never a secret, nor a key's name.
type State struct {
	// Sent maps the ID of every reminder already shown to when it was.
	Sent map[string]time.Time `json:"sent,omitempty"`
	// Snoozes maps a record ID to its snooze.
	Snoozes map[string]Snooze `json:"snoozes,omitempty"`
	// AutoCheck holds the person's own choice, by record ID, of whether
	// the key is checked in the background. Absent means the default
	// (DefaultAutoCheck). It lives here because vault.Record has no field
	// for it yet.
	AutoCheck map[string]bool `json:"autoCheck,omitempty"`
	// InUse marks the record IDs the person says a running program (a
	// trading bot, a script on a server) is using, which turns the default
	// of AutoCheck off: see NonceRaceNote. Like AutoCheck, it waits for a
	// field in vault.Record.
	InUse map[string]bool `json:"inUse,omitempty"`
	// Checked maps a record ID to when a background check of it last
	// started, so a check whose result could not be saved is not repeated
	// at every wake-up.
	Checked map[string]time.Time `json:"checked,omitempty"`
	// Unreached maps a record ID to when its last background check got no
	// answer about the key (vault.Readback.Unreached: no network, Kraken
	// down or busy, the keyring locked). The record keeps its last answer,
	// and the check is tried again RetryInterval later, not a day later.
	Unreached map[string]time.Time `json:"unreached,omitempty"`
	// Missed maps the ID of every reminder that fell due while
	// notifications were off to when it did. It is marked as shown (in
	// Sent) too, and is shown, in one summary, once notifications are on
	// again and it is still due (Missed).
	Missed map[string]time.Time `json:"missed,omitempty"`
}

// Snooze holds back a key's reminders until a time.
type Snooze struct {
	Until time.Time `json:"until"`
	// Held lists the reminders that had been shown when the snooze began.
	// They are shown again when it ends; until then they stay quiet even
	// when critical. A worse step that comes up during the snooze
	// (BreaksSnooze) is not held: it is news the person has not seen.
	Held []string `json:"held,omitempty"`
}

// Snooze holds back the record's reminders until until: those already
// shown come back then, once; new ones wait for it too, unless they are a
// worse step (BreaksSnooze).
// Snoozing again moves the end and keeps what was held.
func (s *State) Snooze(recordID string, until time.Time) {
	old := s.Snoozes[recordID]
	held := old.Held
	prefix := recordID + "/"
	for id := range s.Sent {
		if strings.HasPrefix(id, prefix) {
			held = append(held, id)
			delete(s.Sent, id)
		}
	}
	slices.Sort(held)
	if s.Snoozes == nil {
		s.Snoozes = make(map[string]Snooze)
	}
	s.Snoozes[recordID] = Snooze{Until: until, Held: slices.Compact(held)}
}

// Unsnooze ends the record's snooze now: what it held is due again.
func (s *State) Unsnooze(recordID string) {
	delete(s.Snoozes, recordID)
}

// SnoozedUntil returns when the record's snooze ends, and false when it is
// not snoozed at now.
func (s State) SnoozedUntil(recordID string, now time.Time) (time.Time, bool) {
	z, ok := s.Snoozes[recordID]
	if !ok || !now.Before(z.Until) {
		return time.Time{}, false
	}
	return z.Until, true
}

// SetAutoCheck records the person's choice for the key's background check.
func (s *State) SetAutoCheck(recordID string, on bool) {
	if s.AutoCheck == nil {
		s.AutoCheck = make(map[string]bool)
	}
	s.AutoCheck[recordID] = on
}

// ResetAutoCheck forgets the person's choice: the default applies again.
func (s *State) ResetAutoCheck(recordID string) {
	delete(s.AutoCheck, recordID)
}

// SetInUse records whether a running program uses the key.
func (s *State) SetInUse(recordID string, inUse bool) {
	if !inUse {
		delete(s.InUse, recordID)
		return
	}
	if s.InUse == nil {
		s.InUse = make(map[string]bool)
	}
	s.InUse[recordID] = true
}

// markSent records reminders as shown at now.
func (s *State) markSent(ids []string, now time.Time) {
	if len(ids) == 0 {
		return
	}
	if s.Sent == nil {
		s.Sent = make(map[string]time.Time)
	}
	for _, id := range ids {
		if _, ok := s.Sent[id]; !ok {
			s.Sent[id] = now
		}
	}
}

// keepMissed records reminders as due while notifications were off: shown
// for now, and missed.
func (s *State) keepMissed(ids []string, now time.Time) {
	if len(ids) == 0 {
		return
	}
	s.markSent(ids, now)
	if s.Missed == nil {
		s.Missed = make(map[string]time.Time)
	}
	for _, id := range ids {
		if _, ok := s.Missed[id]; !ok {
			s.Missed[id] = now
		}
	}
}

// forgetMissed records missed reminders as shown at last.
func (s *State) forgetMissed(ids []string) {
	for _, id := range ids {
		delete(s.Missed, id)
	}
}

// Prune forgets what no longer matters at now: everything about records
// that are gone, ended snoozes, missed reminders no longer due, background-check starts more than a
// CheckInterval old, and shown marks of reminders that no longer exist (a
// review done, an expiry date changed, a problem fixed), so a problem that
// comes back later is news again. Marks of problems found by checks are
// kept while the key's last check failed, since a failed check tells
// nothing about them.
func (s *State) Prune(records []vault.Record, now time.Time) {
	byID := make(map[string]*vault.Record, len(records))
	live := make(map[string]bool)
	idx := review.NewIndex(records)
	for i := range records {
		r := &records[i]
		byID[r.ID] = r
		for _, rem := range reminders(*r, idx, now) {
			live[rem.ID] = true
		}
	}
	s.pruneSent(byID, live)
	for id := range s.Missed {
		if _, sent := s.Sent[id]; !sent || !live[id] {
			delete(s.Missed, id) // gone, or due again as itself (a snooze took it)
		}
	}
	for id, z := range s.Snoozes {
		if byID[id] == nil || !now.Before(z.Until) {
			delete(s.Snoozes, id)
		}
	}
	forgetGone(s.AutoCheck, byID)
	forgetGone(s.InUse, byID)
	for id, at := range s.Checked {
		if byID[id] == nil || now.Sub(at) >= CheckInterval {
			delete(s.Checked, id)
		}
	}
	for id, at := range s.Unreached {
		if r := byID[id]; r == nil || r.LastCheck != nil && r.LastCheck.At.After(at) || now.Sub(at) >= CheckInterval {
			delete(s.Unreached, id) // gone, checked since, or retried by now
		}
	}
}

// pruneSent forgets the shown marks of reminders that are not live, but
// keeps those of problems found by checks while the key's last check
// failed.
func (s *State) pruneSent(byID map[string]*vault.Record, live map[string]bool) {
	for id := range s.Sent {
		if live[id] {
			continue
		}
		recordID, rest, _ := strings.Cut(id, "/")
		r, ok := byID[recordID]
		if ok && strings.HasPrefix(rest, findingInfix) && r.LastCheck != nil && r.LastCheck.Outcome == vault.OutcomeError {
			continue
		}
		delete(s.Sent, id)
	}
}

// forgetGone deletes from m what it holds about records no longer in byID.
func forgetGone[V any](m map[string]V, byID map[string]*vault.Record) {
	for id := range m {
		if byID[id] == nil {
			delete(m, id)
		}
	}
}

// markUnreached records that the key's background check at got no answer.
func (s *State) markUnreached(recordID string, at time.Time) {
	if s.Unreached == nil {
		s.Unreached = make(map[string]time.Time)
	}
	s.Unreached[recordID] = at
}

// held reports whether a snooze keeps the reminder quiet at now: one it
// held, or a new one that is no worse step (BreaksSnooze).
func (s State) held(rem Reminder, now time.Time) bool {
	z, ok := s.Snoozes[rem.RecordID]
	if !ok || !now.Before(z.Until) {
		return false
	}
	return !BreaksSnooze(rem) || slices.Contains(z.Held, rem.ID)
}

// BreaksSnooze reports whether a reminder that came up during a snooze is
// a worse step than the person snoozed, and so is shown at once: the key
// expired, a critical problem (the exchange no longer knows the key, it
// can move money out, ...), its permissions drifted from what was meant,
// or a parked key was used. A snooze of "expires in 1 day" must not hide
// "has expired" for the rest of the week. Review reminders and the milder
// expiry steps wait for the snooze's end.
func BreaksSnooze(rem Reminder) bool {
	return rem.Severity >= review.Critical || rem.Kind == review.DueExpired || worseFindings[rem.Code]
}

// worseFindings are the findings that are problem reminders whatever their
// severity, and break through a snooze: the key is no longer what the
// person meant (drift), or someone else may be using it.
var worseFindings = map[string]bool{
	review.CodeExtraPermissions:   true,
	review.CodeMissingPermissions: true,
	review.CodeParkedKeyUsed:      true,
}
