package ui

import (
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

// What needs attention, with the user's review defaults applied: every
// screen asks here, so the list, the detail and the filter agree.

// sortRecords puts what needs attention first, with the user's review
// defaults applied.
func (mw *mainWindow) sortRecords(recs []vault.Record) {
	byID := make(map[string]vault.Record, len(recs))
	eff := make([]vault.Record, len(recs))
	for i, r := range recs {
		byID[r.ID] = r
		eff[i] = mw.prefs.effective(r)
	}
	review.SortByAttention(eff, mw.env.now())
	for i, e := range eff {
		recs[i] = byID[e.ID]
	}
}

// effectiveAll is every record with the user's review defaults applied,
// for the rules that look across keys.
func (mw *mainWindow) effectiveAll() []vault.Record {
	all := make([]vault.Record, len(mw.records))
	for i, r := range mw.records {
		all[i] = mw.prefs.effective(r)
	}
	return all
}

// state is how the list shows r now.
func (mw *mainWindow) state(r vault.Record) review.DisplayState {
	return review.State(mw.prefs.effective(r), mw.env.now())
}

// findings are what a review of r finds now, plus the reminder to revoke a
// key that has been replaced.
func (mw *mainWindow) findings(r vault.Record) []review.Finding {
	fs := review.Findings(mw.prefs.effective(r), mw.effectiveAll(), mw.env.now())
	if r.ReplacedBy == "" || r.Retired() {
		return fs
	}
	next := "the new key"
	if n, ok := mw.record(r.ReplacedBy); ok {
		next = "“" + n.Name + "”"
	}
	replaced := review.Finding{Code: "replaced", Severity: review.Warning,
		Title:    "Replaced: revoke the old key once the new one works",
		Detail:   "This key was rotated; its replacement is " + next + ".",
		NextStep: "When whatever used this key works with " + next + ", revoke this one (Revoke…).",
	}
	i := 0
	for i < len(fs) && fs[i].Severity == review.Critical {
		i++
	}
	return append(fs[:i:i], append([]review.Finding{replaced}, fs[i:]...)...)
}

// needsAttention reports whether the key has a warning or worse now.
func (mw *mainWindow) needsAttention(r vault.Record) bool {
	return mw.needsAttentionAmong(r, mw.effectiveAll())
}

// needsAttentionAmong is needsAttention with every record (effective) given,
// for callers that ask about many keys at once.
func (mw *mainWindow) needsAttentionAmong(r vault.Record, all []vault.Record) bool {
	return review.NeedsAttention(mw.prefs.effective(r), all, mw.env.now()) ||
		(r.ReplacedBy != "" && !r.Retired())
}
