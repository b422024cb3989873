package review

import (
	"fmt"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// expiry: the key has expired, or expires within 30 days (info), 7 days
// (warning) or 1 day (critical), counting only the steps that fit the key's
// lifetime (stepsFor: a fresh 30-day key is not "expiring"); the boundaries
// count as inside. The same moments are the expiry reminders in Events. For a parked key, which
// nothing should be using, it is only ever info.
func expiry(r vault.Record, _ *Index, now time.Time) []Finding {
	expires := ExpiresAt(r)
	if expires.IsZero() {
		return nil
	}
	parked := r.Status == vault.StatusParked
	if !expires.After(now) {
		f := Finding{
			Code:     CodeExpired,
			Severity: Warning,
			Title:    "The key has expired",
			Detail:   fmt.Sprintf("It expired on %s; whatever used it has stopped working.", date(expires)),
			NextStep: "If it is still needed, make a replacement key (Rotate). Then mark this one revoked.",
		}
		if parked {
			f.Severity = Info
			f.Detail = fmt.Sprintf("It expired on %s.", date(expires))
			f.NextStep = "Mark it revoked, or make a new key if you will need one again."
		}
		return []Finding{f}
	}
	sev, ok := expirySeverity(r, expires, now)
	if !ok {
		return nil
	}
	if parked {
		sev = Info
	}
	return []Finding{{
		Code:     CodeExpiringSoon,
		Severity: sev,
		Title:    fmt.Sprintf("Expires in %s", days(daysUntil(now, expires))),
		Detail:   fmt.Sprintf("The key stops working on %s.", dateTime(expires)),
		NextStep: "If it is still needed, make its replacement now (Rotate) and switch whatever uses it to the new key before then.",
	}}
}

// reviewDue: the review interval has elapsed (due at exactly the interval).
func reviewDue(r vault.Record, _ *Index, now time.Time) []Finding {
	due, atExpiry := nextReview(r, now)
	if due.After(now) {
		return nil
	}
	every := days(int(ReviewInterval(r) / day))
	var detail string
	switch {
	case atExpiry:
		detail = fmt.Sprintf("Its regular review would have come after it expires on %s, so it is due then.", dateTime(due))
	case !r.LastReviewed.IsZero():
		detail = fmt.Sprintf("Last reviewed on %s; this key is due every %s.", date(r.LastReviewed), every)
	case !r.Created.IsZero():
		detail = fmt.Sprintf("Added on %s and never reviewed; this key is due every %s.", date(r.Created), every)
	default:
		detail = "Keywarden has no date for this key, so it is due now."
	}
	return []Finding{{
		Code:     CodeReviewDue,
		Severity: Warning,
		Title:    "Time to review this key",
		Detail:   detail,
		NextStep: "Open its review: is it still needed, still used by the same services, and does it have no more permissions than it needs? Then mark it reviewed, rotate it, or revoke it.",
	}}
}

// expirySeverity returns the severity of the latest expiry step passed
// before a key that has not expired yet; ok is false before the first.
func expirySeverity(r vault.Record, expires, now time.Time) (sev Severity, ok bool) {
	left := expires.Sub(now)
	for _, s := range stepsFor(r, expires) {
		if s.before > 0 && left <= s.before {
			sev, ok = s.severity, true
		}
	}
	return sev, ok
}
