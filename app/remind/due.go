package remind

import (
	"sort"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

// Problem is the Kind of a reminder about a critical finding, such as the
// exchange no longer knowing the key or the key being able to move money
// out when that was not meant, or about permissions that drifted from
// what was meant.
const Problem review.DueKind = "problem"

// findingInfix follows the record ID in a problem reminder's ID.
const findingInfix = "finding/"

// Reminder is one notification to show, in plain words.
type Reminder struct {
	// ID is stable across runs: a review.DueEvent's ID, or for a problem
	// "<recordID>/finding/<code>". Once shown, a reminder with the same ID
	// is not shown again, until a snooze asks for it or the reminder went
	// away in between (the problem was fixed, and came back).
	ID       string
	RecordID string
	// Name is the key's name, for the notification and the tray menu.
	Name string
	Kind review.DueKind
	// Code is the finding's code for a Problem, empty otherwise.
	Code string
	// At is when the reminder became due.
	At       time.Time
	Severity review.Severity
	// Title says what is due ("Key “freqtrade-bot” expires in 7 days");
	// Body says what to do about it.
	Title string
	Body  string
	// WhileOff is true for a reminder that fell due while notifications
	// were off (State.Missed), handed over once they are on again.
	WhileOff bool
}

// Missed returns the reminders that fell due while notifications were off
// (state.Missed) and are still due at now, earliest first, with WhileOff
// set: not those that went away meanwhile (a review done, a problem
// fixed), nor those a snooze holds back.
func Missed(records []vault.Record, state State, now time.Time) []Reminder {
	if len(state.Missed) == 0 {
		return nil
	}
	var out []Reminder
	idx := review.NewIndex(records)
	for _, r := range records {
		for _, rem := range reminders(r, idx, now) {
			_, missed := state.Missed[rem.ID]
			_, sent := state.Sent[rem.ID] // else Due has it, as itself
			if !missed || !sent || rem.At.After(now) || state.held(rem, now) {
				continue
			}
			rem.WhileOff = true
			out = append(out, rem)
		}
	}
	sortReminders(out)
	return out
}

// Due returns the reminders to show at now, earliest first: the records'
// review and expiry reminders (review.Events) whose time has come, and the
// problems review.Findings sees (the critical ones, and drift from the
// permissions meant: worseFindings), less those already shown (in
// state.Sent) and those a snooze holds back.
//
// Expiry steps passed before the latest one are never shown: a key found
// expiring in 5 days gets the 7-day reminder, not the 30-day one.
// Problems that are also review or expiry reminders are left to those, and
// a key the person marked as leaked gets no problem reminder for it.
func Due(records []vault.Record, state State, now time.Time) []Reminder {
	var out []Reminder
	idx := review.NewIndex(records)
	for _, r := range records {
		for _, rem := range reminders(r, idx, now) {
			if rem.At.After(now) {
				continue
			}
			if _, sent := state.Sent[rem.ID]; sent || state.held(rem, now) {
				continue
			}
			out = append(out, rem)
		}
	}
	sortReminders(out)
	return out
}

// sortReminders orders reminders earliest first, then by ID.
func sortReminders(out []Reminder) {
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
}

// Next returns when something next falls due after now: a review or expiry
// reminder (for a snoozed key, the snooze's end if that is later), a
// snooze's end, or a background check (NextCheck). ok is false when nothing
// lies ahead. A scheduler sets one timer to it.
func Next(records []vault.Record, state State, now time.Time) (time.Time, bool) {
	at, ok := nextReminder(records, state, now)
	if c, cok := nextCheck(records, state, now); cok && (!ok || c.Before(at)) {
		at, ok = c, true
	}
	return at, ok
}

// nextReminder is Next without the background checks.
func nextReminder(records []vault.Record, state State, now time.Time) (at time.Time, ok bool) {
	consider := func(t time.Time) {
		if t.After(now) && (!ok || t.Before(at)) {
			at, ok = t, true
		}
	}
	idx := review.NewIndex(records)
	for _, r := range records {
		if t, still := stillInUseAt(r, idx, now); still {
			consider(t)
		}
		until, snoozed := state.SnoozedUntil(r.ID, now)
		if snoozed {
			consider(until)
		}
		for _, e := range review.Events(r, now) {
			t := e.At
			if snoozed && t.Before(until) && state.held(Reminder{ID: e.ID, RecordID: r.ID, Kind: e.Kind, Severity: e.Severity}, t) {
				t = until
			}
			consider(t)
		}
	}
	return at, ok
}

// reminders returns every reminder the record has at now, due or not. idx
// indexes every record, for the findings that look across keys: one Index
// for all the records keeps the work linear in their number.
func reminders(r vault.Record, idx *review.Index, now time.Time) []Reminder {
	var out []Reminder
	for _, e := range review.Events(r, now) {
		out = append(out, Reminder{
			ID:       e.ID,
			RecordID: r.ID,
			Name:     r.Name,
			Kind:     e.Kind,
			At:       e.At,
			Severity: e.Severity,
			Title:    e.Title,
			Body:     eventBody(r, e),
		})
	}
	at := now
	if r.LastCheck != nil && !r.LastCheck.At.IsZero() && !r.LastCheck.At.After(now) {
		at = r.LastCheck.At
	}
	out = append(out, rotationReminders(r, idx, at, now)...)
	for _, f := range idx.Findings(r, now) {
		if f.Severity < review.Critical && !worseFindings[f.Code] || notProblems[f.Code] {
			continue
		}
		out = append(out, Reminder{
			ID:       r.ID + "/" + findingInfix + f.Code,
			RecordID: r.ID,
			Name:     r.Name,
			Kind:     Problem,
			Code:     f.Code,
			At:       at,
			Severity: f.Severity,
			Title:    quoted(r.Name) + ": " + lowerFirst(f.Title),
			Body:     f.NextStep,
		})
	}
	return out
}

// notProblems lists the critical findings that are not problem reminders:
// those review.Events already turns into reminders with their own steps,
// and a leaked key, which the person marked as such themselves, from the
// runbook that tells them what to do next.
var notProblems = map[string]bool{
	review.CodeReviewDue:    true,
	review.CodeExpiringSoon: true,
	review.CodeExpired:      true,
	review.CodeCompromised:  true,
}

// eventBody says what to do about a review or expiry reminder.
func eventBody(r vault.Record, e review.DueEvent) string {
	expires := review.ExpiresAt(r).UTC().Format("2 Jan 2006 15:04 UTC")
	switch e.Kind {
	case review.DueReview:
		return "Is it still needed, still used by the same services, and without permissions it does not need? Open its review in Keywarden."
	case review.DueExpired:
		return "It stopped working on " + expires + ". If it is still needed, make a replacement (Rotate), then mark this one revoked."
	}
	return "It stops working on " + expires + ". If it is still needed, make its replacement now (Rotate) and switch whatever uses it to the new key."
}

// quoted names a key in a title.
func quoted(name string) string {
	if strings.TrimSpace(name) == "" {
		return "A key"
	}
	return "“" + name + "”"
}

// lowerFirst lower-cases the first letter of a title (ASCII).
func lowerFirst(s string) string {
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}
