package review

import (
	"fmt"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

const deleteOnWebsite = "Delete it on the Kraken website (Settings → API)"

// compromised: a key marked as leaked must be revoked now. Once a check
// after the leak shows the exchange no longer accepts it, what is left is
// to finish the leak steps.
func compromised(r vault.Record, _ *Index, _ time.Time) []Finding {
	marked, known := lastEvent(r, vault.EventCompromised, time.Time{})
	rb := r.LastCheck
	after := rb != nil && (!known || rb.At.After(marked))
	if after && rb.Outcome == vault.OutcomeInvalidKey {
		return []Finding{{
			Code:     CodeCompromised,
			Severity: Warning,
			Title:    "Leaked key: the exchange no longer accepts it",
			Detail:   fmt.Sprintf("You marked this key as leaked; the check on %s shows it no longer works.", dateTime(rb.At)),
			NextStep: "Mark it revoked, then finish the leak steps: look at recent account activity with another read-only key, change your account password and 2FA, and contact Kraken support if anything looks wrong.",
		}}
	}
	detail := "You marked this key as leaked. Until it is deleted on the exchange, whoever has it can use it."
	if after && rb.Outcome == vault.OutcomeOK {
		detail += fmt.Sprintf(" The check on %s shows it still works.", dateTime(rb.At))
	}
	return []Finding{{
		Code:     CodeCompromised,
		Severity: Critical,
		Title:    "Leaked key: revoke it now",
		Detail:   detail,
		NextStep: deleteOnWebsite + " now, then check it once here to confirm the exchange answers “invalid key”.",
	}}
}

// stillWorks: a revoked key that the exchange accepted at a check after the
// revocation is not revoked at all. Without a revocation date in the history
// any successful check counts, since it cannot be shown to be older.
func stillWorks(r vault.Record, _ *Index, _ time.Time) []Finding {
	rb := okCheck(r)
	if rb == nil {
		return nil
	}
	if revoked, ok := lastEvent(r, vault.EventRevoked, time.Time{}); ok && rb.At.Before(revoked) {
		return nil
	}
	return []Finding{{
		Code:     CodeStillWorks,
		Severity: Critical,
		Title:    "This revoked key still works",
		Detail:   fmt.Sprintf("It is marked revoked, but the exchange accepted it at the check on %s.", dateTime(rb.At)),
		NextStep: deleteOnWebsite + ", then check it once more to confirm the exchange answers “invalid key”.",
	}}
}

// notOnExchange: the exchange answered "invalid key" for a key that is
// meant to exist.
func notOnExchange(r vault.Record, _ *Index, _ time.Time) []Finding {
	rb := r.LastCheck
	if rb == nil || rb.Outcome != vault.OutcomeInvalidKey {
		return nil
	}
	return []Finding{{
		Code:     CodeNotOnExchange,
		Severity: Critical,
		Title:    "The exchange no longer knows this key",
		Detail:   fmt.Sprintf("At the check on %s Kraken answered “invalid key”: the key was deleted on the website, or revoked.", dateTime(rb.At)),
		NextStep: "If you deleted it, mark it revoked. If you did not, treat it as leaked: someone who can sign in to your account may have done it, so change your password and 2FA now.",
	}}
}

// parkedKeyUsed: a parked key that the exchange says was used after a
// baseline, by something that was not Keywarden.
//
// The readback's lastUsed L is the exchange's last use of the key, and any
// GetApiKeyInfo call is a use, so L may be Keywarden's own check: the
// current one (L at or after the readback's time less OwnUseTolerance) or an
// earlier one (L within OwnUseTolerance of a "checked" event in the
// history). The baseline B is the later of the previous check (the latest
// "checked" event more than OwnUseTolerance before the readback, so the
// event written for the readback itself does not count) and the moment the
// key was parked (the latest "parked" event up to the readback). The finding
// is raised when L is after B + OwnUseTolerance and not Keywarden's own.
// Without a baseline (no earlier check, no parked event) a use cannot be
// placed, and nothing is raised.
//
// If the exchange stamps lastUsed for the call that reads it (the documented
// example suggests so, and kraken/krakentest does), L is always the current
// check and this rule stays silent; it can only see a use when the exchange
// reports the use before the current call.
func parkedKeyUsed(r vault.Record, _ *Index, _ time.Time) []Finding {
	rb := exactCheck(r)
	if r.Status != vault.StatusParked || rb == nil || rb.LastUsed.IsZero() {
		return nil
	}
	prev, hasPrev := lastEvent(r, vault.EventChecked, rb.At.Add(-OwnUseTolerance-time.Nanosecond))
	parked, hasParked := lastEvent(r, vault.EventParked, rb.At)
	if !hasPrev && !hasParked {
		return nil
	}
	since := "Keywarden's previous check on " + dateTime(prev)
	base := prev
	if hasParked && (!hasPrev || parked.After(prev)) {
		since, base = "you parked it on "+dateTime(parked), parked
	}
	if !rb.LastUsed.After(base.Add(OwnUseTolerance)) || isOwnUse(r, rb.LastUsed) {
		return nil
	}
	return []Finding{{
		Code:     CodeParkedKeyUsed,
		Severity: Critical,
		Title:    "Someone else may have this key",
		Detail: fmt.Sprintf("The key is parked, so nothing should use it, but the exchange says it was used on %s, after %s, and that was not Keywarden.",
			dateTime(rb.LastUsed), since),
		NextStep: "If you did not use it yourself, treat it as leaked: " + lowerFirst(deleteOnWebsite) + " now, then mark it as leaked in Keywarden and work through its leak checklist.",
	}}
}

// checkFailed: the last check ended in an error other than "invalid key".
func checkFailed(r vault.Record, _ *Index, _ time.Time) []Finding {
	rb := r.LastCheck
	if rb == nil || rb.Outcome != vault.OutcomeError {
		return nil
	}
	detail := rb.Problem
	if detail == "" {
		detail = "The exchange gave no usable answer."
	}
	return []Finding{{
		Code:     CodeCheckFailed,
		Severity: Warning,
		Title:    "The last check failed",
		Detail:   fmt.Sprintf("Check on %s: %s", dateTime(rb.At), detail),
		NextStep: "Follow the advice above, then check the key again. Keywarden does not retry by itself, because repeated failures lock the key out for a while.",
	}}
}

// UnusedAfter is how long a key may go without use before Keywarden
// suggests revoking it.
const UnusedAfter = 90 * day

// unused: the exchange says the key was not used (by anything but
// Keywarden) for UnusedAfter or more, or never since it was created.
func unused(r vault.Record, _ *Index, now time.Time) []Finding {
	used, never, ok := LastUse(r)
	if !ok {
		return nil
	}
	sev := Info
	if kraken.MaxRisk(EffectivePermissions(r)) > kraken.RiskRead {
		sev = Warning
	}
	next := "If nothing needs it any more, revoke it: " + lowerFirst(deleteOnWebsite) + ", then mark it revoked here. A key that is not there cannot leak."
	if never {
		created := r.LastCheck.Created
		if created.IsZero() {
			created = r.Created
		}
		if created.IsZero() || now.Sub(created) < UnusedAfter {
			return nil
		}
		return []Finding{{
			Code:     CodeUnused,
			Severity: sev,
			Title:    "Never used",
			Detail:   fmt.Sprintf("The exchange says nothing has used this key since it was created on %s, %s ago.", date(created), days(int(now.Sub(created)/day))),
			NextStep: next,
		}}
	}
	if now.Sub(used) < UnusedAfter {
		return nil
	}
	n := int(now.Sub(used) / day)
	return []Finding{{
		Code:     CodeUnused,
		Severity: sev,
		Title:    fmt.Sprintf("Not used for %s", days(n)),
		Detail:   fmt.Sprintf("The exchange says the key was last used on %s.", date(used)),
		NextStep: next,
	}}
}
