package keys

import "github.com/keywarden/keywarden/app/vault"

// LeakChecklist is a leaked key's after-a-leak checklist as every face
// shows it, from one rule, so the count, the ticks and the runbook's
// heading cannot disagree.
type LeakChecklist struct {
	// Done tells, per step of LeakStepCodes, whether it is done: ticked,
	// or (the replacement) done by rotating the key.
	Done []bool
	// ByRotation tells, per step, that it is done because the key was
	// rotated; unticking it would change nothing, so faces do not offer it.
	ByRotation []bool
	// Left is how many steps are not done.
	Left int
	// Confirmed says Kraken confirmed the revocation (its last answer was
	// "invalid key"): nobody can use the key any more, so the urgent
	// "delete it first" is behind and only the steps are left. A key
	// recorded revoked without Kraken's word is not confirmed: it may
	// still work, so it stays urgent.
	Confirmed bool
	// Title and Intro head the runbook: urgent (Urgent) until Kraken
	// confirmed the revocation, plain afterwards.
	Title, Intro string
	Urgent       bool
}

// LeakChecklistOf returns r's after-a-leak checklist.
func LeakChecklistOf(r vault.Record) LeakChecklist {
	c := LeakChecklist{Done: make([]bool, len(LeakStepCodes)), ByRotation: make([]bool, len(LeakStepCodes)),
		Confirmed: r.Status == vault.StatusRevoked && confirmedDead(r)}
	for i, code := range LeakStepCodes {
		c.Done[i] = r.LeakStepDone(code)
		c.ByRotation[i] = code == LeakReplace && r.ReplacedBy != ""
		if !c.Done[i] {
			c.Left++
		}
	}
	switch {
	case c.Confirmed:
		c.Title = "“" + r.Name + "” leaked and is revoked"
		c.Intro = "Kraken no longer accepts this key, so whoever had it cannot use it any more. What they did with it stays on the account: work through the steps below."
	case r.Status == vault.StatusRevoked:
		c.Urgent = true
		c.Title = "“" + r.Name + "” leaked: make sure it is deleted"
		c.Intro = "It is recorded as revoked, but Kraken has not confirmed it: if it still works, whoever has it can use it. Make sure it is deleted on Kraken, confirm, then work through the steps below."
	default:
		c.Urgent = true
		c.Title = "“" + r.Name + "” leaked: revoke it now"
		c.Intro = "Whoever has this key can use it until it is deleted on Kraken. Delete it first, confirm, then work through the steps below."
	}
	return c
}
