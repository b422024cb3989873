package review

import (
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
