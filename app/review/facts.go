package review

import (
	"slices"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

const day = 24 * time.Hour

// OwnUseTolerance is how close the exchange's lastUsed may be to one of
// Keywarden's own checks and still count as that check. GetApiKeyInfo is a
// use of the key like any other; the exchange stamps it in whole seconds by
// its own clock, and the check's time is taken on this machine around a
// network round trip, so the two differ by a few seconds on a machine whose
// clock is set by the network.
const OwnUseTolerance = 10 * time.Second

// okCheck returns the last readback when the exchange answered with the
// key's details, and nil otherwise.
func okCheck(r vault.Record) *vault.Readback {
	if r.LastCheck != nil && r.LastCheck.Outcome == vault.OutcomeOK {
		return r.LastCheck
	}
	return nil
}

// exactCheck returns the last readback when it came from GetApiKeyInfo, so
// its restrictions (expiry, IP allow-list, nonce window) and lastUsed are the
// exchange's own. Probed readbacks only tell permissions.
func exactCheck(r vault.Record) *vault.Readback {
	if rb := okCheck(r); rb != nil && !rb.Probed {
		return rb
	}
	return nil
}

// EffectivePermissions returns the permissions the key has as far as
// Keywarden knows: the exchange's answer at the last successful check, or
// the intended ones when there is none. For a probed readback, the intended
// permissions the probes could not tell are assumed present.
func EffectivePermissions(r vault.Record) []kraken.Permission {
	rb := okCheck(r)
	if rb == nil {
		return kraken.SortPermissions(r.Intended)
	}
	if len(rb.Unknown) == 0 {
		return kraken.SortPermissions(rb.Permissions) // a sorted copy
	}
	perms := slices.Clone(rb.Permissions)
	for _, p := range r.Intended {
		if slices.Contains(rb.Unknown, p) {
			perms = append(perms, p)
		}
	}
	return kraken.SortPermissions(perms)
}

// ExpiresAt returns when the key stops working: the exchange's validUntil
// from the last GetApiKeyInfo answer when there is one (zero there means the
// key never expires), otherwise the intended expiry. Zero means never.
func ExpiresAt(r vault.Record) time.Time {
	if rb := exactCheck(r); rb != nil {
		return rb.ValidUntil
	}
	return r.Restrictions.Expires
}

// ipAllowlist returns the key's IP allow-list, the exchange's when known.
func ipAllowlist(r vault.Record) []string {
	if rb := exactCheck(r); rb != nil {
		return rb.IPAllowlist
	}
	return r.Restrictions.IPAllowlist
}

// nonceWindow returns the key's nonce window, the exchange's when known.
func nonceWindow(r vault.Record) int {
	if rb := exactCheck(r); rb != nil {
		return rb.NonceWindow
	}
	return r.Restrictions.NonceWindow
}

// isOwnUse reports whether a lastUsed time is one of Keywarden's own checks:
// at or after the last readback's time less OwnUseTolerance (the exchange
// may stamp the very call that reads lastUsed, and a use it reports cannot
// come after the check that reported it, so anything later is that check
// seen through a clock running ahead), or within OwnUseTolerance of any
// "checked" event in the history.
//
// When the readback holds both nonces (CallShown), they decide the first
// case instead of the clocks: an answer whose nonce is the one Keywarden
// sent includes the asking call, so its lastUsed is that call whatever the
// clocks say; one whose nonce differs leaves the call out, so a use just
// before it is another call.
func isOwnUse(r vault.Record, used time.Time) bool {
	if rb := r.LastCheck; rb != nil {
		shown, known := CallShown(*rb)
		switch {
		case known && shown:
			return true
		case !known && !rb.At.IsZero() && !used.Before(rb.At.Add(-OwnUseTolerance)):
			return true
		}
	}
	for _, e := range r.History {
		if e.Kind == vault.EventChecked && absDuration(used.Sub(e.At)) <= OwnUseTolerance {
			return true
		}
	}
	return false
}

// LastUse returns when something other than Keywarden last used the key, as
// the last GetApiKeyInfo answer tells it. never is true when the exchange
// says the key was never used. ok is false when the answer does not tell:
// no successful readback, or its lastUsed is one of Keywarden's own checks
// (at or after the readback less OwnUseTolerance, or within OwnUseTolerance
// of an earlier check), which hides any earlier use.
func LastUse(r vault.Record) (at time.Time, never, ok bool) {
	rb := exactCheck(r)
	if rb == nil {
		return time.Time{}, false, false
	}
	if rb.LastUsed.IsZero() {
		return time.Time{}, true, true
	}
	if isOwnUse(r, rb.LastUsed) {
		return time.Time{}, false, false
	}
	return rb.LastUsed, false, true
}

// lastEvent returns the time of the latest history event of kind at or
// before until (any time when until is zero), and false when there is none.
func lastEvent(r vault.Record, kind vault.EventKind, until time.Time) (time.Time, bool) {
	var at time.Time
	found := false
	for _, e := range r.History {
		if e.Kind != kind || (!until.IsZero() && e.At.After(until)) {
			continue
		}
		if !found || e.At.After(at) {
			at, found = e.At, true
		}
	}
	return at, found
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// CallShown reports whether a GetApiKeyInfo answer includes the very call
// that asked: the key's nonce it reports is the one Keywarden sent, so its
// lastUsed is that call and hides every earlier use. known is false when
// the readback lacks either nonce (older records, probes).
func CallShown(rb vault.Readback) (shown, known bool) {
	if rb.Nonce == 0 || rb.SentNonce == 0 {
		return false, false
	}
	return rb.Nonce == rb.SentNonce, true
}
