package review

import (
	"fmt"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// Index is every record of the vault, looked at once for the rules that
// look across keys (how many keys an account has, the name of a key's
// replacement), so that reviewing N keys costs N, not N².
type Index struct {
	byID          map[string]*vault.Record
	liveByAccount map[string]int // keys not retired, by folded account label
}

// NewIndex indexes all. The records are not copied: do not change them
// while the Index is in use.
func NewIndex(all []vault.Record) *Index {
	x := &Index{byID: make(map[string]*vault.Record, len(all)), liveByAccount: map[string]int{}}
	for i := range all {
		r := &all[i]
		x.byID[r.ID] = r
		if !r.Retired() {
			x.liveByAccount[accountKey(r.Account)]++
		}
	}
	return x
}

// NeedsAttention reports whether the key has a finding of warning severity
// or worse at now, with the records of x.
func (x *Index) NeedsAttention(r vault.Record, now time.Time) bool {
	top, ok := MaxSeverity(x.Findings(r, now))
	return ok && top >= Warning
}

func accountKey(account string) string { return strings.ToLower(strings.TrimSpace(account)) }

// leakAftercare: a key revoked after a leak still has after-a-leak steps
// to do (look at the account's activity, change the password and 2FA...).
// A warning while steps are left, so the key stays in view until they are
// done; a note once they are, so the leak is never forgotten.
func leakAftercare(r vault.Record, _ *Index, _ time.Time) []Finding {
	if !r.Leaked() {
		return nil
	}
	f := Finding{Code: CodeLeakAftercare, Severity: Info,
		Title:  "Revoked after a leak",
		Detail: "This key leaked on " + r.LeakedAt.Local().Format("2 Jan 2006") + " and is revoked now. Whoever had it cannot use it any more, but what they did with it stays on the account.",
	}
	if left := r.LeakStepsLeft(); left > 0 {
		f.Severity = Warning
		f.Title = fmt.Sprintf("Revoked after a leak: %d of %d steps left", left, len(vault.LeakStepCodes))
		f.NextStep = "Open its leak checklist (Leak checklist… on the key) and work through it: account activity, password and 2FA, support."
	}
	return []Finding{f}
}

// replaced: the key was rotated and its replacement saved, but the old key
// still works. Its words are the rotation's verdict (RotationOf): revoke
// the old key only once the exchange shows the new one in use and the old
// one quiet.
func replaced(r vault.Record, x *Index, now time.Time) []Finding {
	if r.ReplacedBy == "" || r.Retired() {
		return nil
	}
	rot, ok := x.Rotation(r, now)
	if !ok {
		rot = words{repl: "the new key", now: now}.unknown(Rotation{}, "This key was rotated; its replacement is not in the key list.")
	}
	return []Finding{{
		Code:     CodeReplaced,
		Severity: Warning,
		Title:    rot.Title,
		Detail:   rot.Detail,
		NextStep: rot.NextStep,
	}}
}

// Rotation returns the verdict on r's rotation (RotationOf) at now, and
// false when r was not replaced, is retired, or its replacement is not in x.
func (x *Index) Rotation(r vault.Record, now time.Time) (Rotation, bool) {
	if x == nil || r.ReplacedBy == "" || r.Retired() {
		return Rotation{}, false
	}
	n, ok := x.byID[r.ReplacedBy]
	if !ok {
		return Rotation{}, false
	}
	return RotationOf(r, *n, now), true
}
