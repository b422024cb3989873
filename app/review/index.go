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
// still works: revoke it once whatever used it has moved to the new one.
func replaced(r vault.Record, x *Index, _ time.Time) []Finding {
	if r.ReplacedBy == "" || r.Retired() {
		return nil
	}
	next := "the new key"
	if x != nil {
		if n, ok := x.byID[r.ReplacedBy]; ok {
			next = "“" + n.Name + "”"
		}
	}
	return []Finding{{
		Code:     CodeReplaced,
		Severity: Warning,
		Title:    "Replaced: revoke the old key once the new one works",
		Detail:   "This key was rotated; its replacement is " + next + ".",
		NextStep: "When whatever used this key works with " + next + ", revoke this one (Revoke…).",
	}}
}
