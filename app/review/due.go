package review

import (
	"fmt"
	"sort"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// Default review intervals, by the most dangerous permission the key holds.
const (
	ReadOnlyReviewInterval = 90 * day // keys that can only read
	RiskyReviewInterval    = 30 * day // keys that can trade or move money
)

// ReviewInterval returns how often the key should be reviewed: the record's
// own ReviewDays when set, otherwise ReadOnlyReviewInterval for a read-only
// key and RiskyReviewInterval for one that can trade or move money, judged on
// EffectivePermissions (the exchange's answer when known).
func ReviewInterval(r vault.Record) time.Duration {
	if r.ReviewDays > 0 {
		return time.Duration(r.ReviewDays) * day
	}
	if kraken.MaxRisk(EffectivePermissions(r)) == kraken.RiskRead {
		return ReadOnlyReviewInterval
	}
	return RiskyReviewInterval
}

// NextReview returns when the key is next due for review: one interval
// after it was last reviewed, or after it was added when it never was, but
// never later than the key's expiry, since a review after the key is dead
// comes too late to decide whether it needs a replacement. A review made
// after the expiry starts a normal interval again, so marking an expired
// key reviewed quiets it. A record with neither date is due now.
func NextReview(r vault.Record, now time.Time) time.Time {
	due, _ := nextReview(r, now)
	return due
}

// nextReview is NextReview, and whether the key's expiry moved the review
// forward to it.
func nextReview(r vault.Record, now time.Time) (due time.Time, atExpiry bool) {
	from := r.LastReviewed
	if from.IsZero() {
		from = r.Created
	}
	if from.IsZero() {
		return now, false
	}
	due = from.Add(ReviewInterval(r))
	if expires := ExpiresAt(r); !expires.IsZero() && expires.After(from) && due.After(expires) {
		return expires, true
	}
	return due, false
}

// DueKind names a kind of reminder.
type DueKind string

// The reminders Events produces.
const (
	DueReview   DueKind = "review"     // the review interval has elapsed
	DueExpiry30 DueKind = "expiry-30d" // 30 days before the key expires
	DueExpiry7  DueKind = "expiry-7d"  // 7 days before
	DueExpiry1  DueKind = "expiry-1d"  // 1 day before
	DueExpired  DueKind = "expired"    // the key has expired
)

// expiryStep is one expiry reminder: how long before the expiry it falls
// and how urgent it is.
type expiryStep struct {
	kind     DueKind
	before   time.Duration
	severity Severity
}

// expirySteps lists the expiry reminders, earliest first.
var expirySteps = []expiryStep{
	{DueExpiry30, 30 * day, Info},
	{DueExpiry7, 7 * day, Warning},
	{DueExpiry1, 1 * day, Critical},
	{DueExpired, 0, Warning},
}

// stepsFor returns the expiry steps that fit the key's lifetime (from the
// day it was made to its expiry): a step counts only when it falls in the
// second half of that lifetime, so a key is never "expiring" when it is
// born. A 90-day key warns at 30, 7 and 1 days; a 30-day key at 7 and 1;
// a 7-day key at 1. A key without a creation date gets every step.
func stepsFor(r vault.Record, expires time.Time) []expiryStep {
	if r.Created.IsZero() || !expires.After(r.Created) {
		return expirySteps
	}
	lifetime := expires.Sub(startOfDayUTC(r.Created, expires))
	var out []expiryStep
	for _, s := range expirySteps {
		if 2*s.before <= lifetime+day/2 { // half a day of slack for time zones and DST
			out = append(out, s)
		}
	}
	return out
}

// startOfDayUTC returns midnight at the start of t's day in the time zone
// of ref (the expiry, a midnight in the zone the person chose it in).
func startOfDayUTC(t, ref time.Time) time.Time {
	y, m, d := t.In(ref.Location()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, ref.Location())
}

// DueEvent is one reminder for the tray: a moment when the person should
// hear about a key once.
type DueEvent struct {
	// ID is stable for the same reminder across runs and changes when the
	// reminder does (a new review date, a new expiry date), so a scheduler
	// can remember which it has sent: "<recordID>/<kind>/<YYYY-MM-DD>",
	// where the date is the review's due date or the key's expiry date (UTC).
	ID       string
	RecordID string
	Kind     DueKind
	// At is when the reminder is due; it may lie in the past.
	At       time.Time
	Severity Severity
	// Title is the notification text in plain words.
	Title string
}

// Events returns the record's reminders, earliest first: the next review,
// and for a key with an expiry date the expiry steps (30, 7 and 1 days
// before, as many as fit the key's lifetime, and the expiry itself) that
// are still ahead plus the latest one
// already passed; steps passed before that are superseded and left out.
// Retired keys get no reminders; parked keys get review reminders only,
// since nothing should be using them when they expire. A review that the
// expiry moved forward (NextReview) is left to the expiry reminders, which
// say the same and more at the same moment. A record with no date at all is
// due for review now, so its review ID follows the day until it is reviewed.
func Events(r vault.Record, now time.Time) []DueEvent {
	if r.Retired() {
		return nil
	}
	due, atExpiry := nextReview(r, now)
	expires := ExpiresAt(r)
	parked := r.Status == vault.StatusParked
	var events []DueEvent
	if !atExpiry || parked {
		events = append(events, DueEvent{
			ID:       eventID(r.ID, DueReview, due),
			RecordID: r.ID,
			Kind:     DueReview,
			At:       due,
			Severity: Warning,
			Title:    "Time to review " + keyName(r.Name),
		})
	}
	if parked || expires.IsZero() {
		return events
	}
	steps := stepsFor(r, expires)
	first := 0
	for i, s := range steps {
		if !expires.Add(-s.before).After(now) {
			first = i
		}
	}
	for _, s := range steps[first:] {
		at := expires.Add(-s.before)
		events = append(events, DueEvent{
			ID:       eventID(r.ID, s.kind, expires),
			RecordID: r.ID,
			Kind:     s.kind,
			At:       at,
			Severity: s.severity,
			Title:    expiryTitle(r.Name, expires, at, now),
		})
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].At.Before(events[j].At) })
	return events
}

// NextEvent returns the earliest reminder among records that is still ahead
// of now, so a scheduler can sleep on a single timer until then; ok is false
// when no reminder lies ahead.
func NextEvent(records []vault.Record, now time.Time) (at time.Time, ok bool) {
	for _, r := range records {
		for _, e := range Events(r, now) {
			if e.At.After(now) && (!ok || e.At.Before(at)) {
				at, ok = e.At, true
			}
		}
	}
	return at, ok
}

func eventID(recordID string, kind DueKind, on time.Time) string {
	return fmt.Sprintf("%s/%s/%s", recordID, kind, on.UTC().Format(time.DateOnly))
}

// expiryTitle words an expiry reminder as it reads when shown: at its own
// time, or now when it is shown late.
func expiryTitle(name string, expires, at, now time.Time) string {
	if at.Before(now) {
		at = now
	}
	if !expires.After(at) {
		return keyNameStart(name) + " has expired"
	}
	return fmt.Sprintf("%s expires in %s", keyNameStart(name), days(daysUntil(at, expires)))
}
