package keys

import "github.com/keywarden/keywarden/app/vault"

// Action is something a person can do to a key.
type Action string

// The actions on a key.
const (
	ActCheck       Action = "check"
	ActReview      Action = "review"
	ActEdit        Action = "edit"
	ActRotate      Action = "rotate"
	ActRevoke      Action = "revoke"
	ActCompromised Action = "compromised"
	ActRemove      Action = "remove"
	ActCopySecret  Action = "copy-secret"
	ActExec        Action = "exec"      // hand the key to a program (keywarden exec)
	ActReminders   Action = "reminders" // snooze, background checks
)

// Can reports whether the action makes sense for the key now, and if not,
// why, in plain words. The faces offer only what Can allows, and the
// service refuses the rest with the same words.
func Can(r vault.Record, a Action) (ok bool, why string) {
	revoked := r.Status == vault.StatusRevoked
	switch a {
	case ActCheck:
		return canCheck(r)
	case ActReview, ActReminders:
		if r.Retired() {
			return false, "It is " + statusWords(r) + ": there is nothing left to review or remind you of."
		}
	case ActRotate:
		switch {
		case revoked:
			return false, "It is revoked: make a new key instead."
		case r.ReplacedBy != "":
			return false, "It has a replacement already."
		}
	case ActRevoke:
		if revoked && confirmedDead(r) {
			return false, "It is revoked already, and Kraken confirmed it."
		}
	case ActCompromised:
		if r.Leaked() {
			return false, "It is marked as leaked already."
		}
	case ActCopySecret:
		if revoked && confirmedDead(r) {
			return false, "It is revoked and its secret is no longer kept."
		}
	case ActExec:
		return canExec(r)
	}
	return true, ""
}

// canCheck is Can for ActCheck.
func canCheck(r vault.Record) (bool, string) {
	switch {
	case r.Status != vault.StatusRevoked:
		return true, ""
	case confirmedDead(r):
		return false, "It is revoked and its secret is no longer kept, so there is nothing to check with."
	}
	// Recorded revoked without Kraken's confirmation: the secret is kept,
	// and the way to ask Kraken is the revocation's own check.
	return false, "It is recorded revoked without Kraken's confirmation. To find out whether Kraken still accepts it, confirm the revocation (Revoke…)."
}

// canExec is Can for ActExec: stricter than copying, as a program runs with
// the key unattended, so a key that is revoked (confirmed or not) or leaked
// is never handed out, even while its secret is still kept.
func canExec(r vault.Record) (bool, string) {
	switch {
	case r.Status == vault.StatusRevoked:
		return false, "It is revoked: Keywarden no longer hands it to a program. Create a new key on the Kraken website and add it to Keywarden."
	case r.Leaked():
		return false, "It has leaked: Keywarden will not hand it to a program. Delete it on the Kraken website (Settings → API) now, confirm it in Keywarden (Leak checklist…, or keywarden revoke NAME), and use a new key."
	}
	return true, ""
}

// confirmedDead reports whether the exchange confirmed the key is gone.
func confirmedDead(r vault.Record) bool {
	return r.LastCheck != nil && r.LastCheck.Outcome == vault.OutcomeInvalidKey
}

// StatusWords says where the key stands in its lifecycle, in a few plain
// words: "active", "parked", "marked as leaked", "revoked", "revoked after
// a leak".
func StatusWords(r vault.Record) string { return statusWords(r) }

func statusWords(r vault.Record) string {
	switch {
	case r.Status == vault.StatusRevoked && r.Leaked():
		return "revoked after a leak"
	case r.Status == vault.StatusRevoked:
		return "revoked"
	case r.Status == vault.StatusCompromised:
		return "marked as leaked"
	}
	return string(r.Status)
}
