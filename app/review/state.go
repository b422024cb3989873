package review

import (
	"sort"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// DisplayState is how the keys list shows where a key stands.
type DisplayState string

// The states of the keys list, in the order "needs attention first".
const (
	StateProblem   DisplayState = "problem"        // a finding to fix, or a leaked key
	StateExpiring  DisplayState = "expiring"       // expires within 30 days
	StateReviewDue DisplayState = "due for review" // the review interval has elapsed
	StateActive    DisplayState = "active"
	StateParked    DisplayState = "parked" // kept, but nothing should be using it
	StateRevoked   DisplayState = "revoked"
)

var stateOrder = map[DisplayState]int{
	StateProblem: 0, StateExpiring: 1, StateReviewDue: 2, StateActive: 3, StateParked: 4, StateRevoked: 5,
}

// String returns the state in plain words.
func (s DisplayState) String() string { return string(s) }

// State returns how the keys list shows the key at now:
//   - revoked, unless the exchange still accepted it afterwards (problem);
//   - problem for a compromised key, or one with a critical finding or a
//     warning other than the review or expiry reminders (an expired key is
//     a problem, one about to expire is expiring);
//   - for a parked key: due for review, else parked;
//   - otherwise expiring (within 30 days), due for review, or active.
func State(r vault.Record, now time.Time) DisplayState {
	return stateOf(r, Findings(r, nil, now))
}

func stateOf(r vault.Record, findings []Finding) DisplayState {
	has := func(code string) bool {
		for _, f := range findings {
			if f.Code == code {
				return true
			}
		}
		return false
	}
	switch r.Status {
	case vault.StatusRevoked:
		if has(CodeStillWorks) {
			return StateProblem
		}
		return StateRevoked
	case vault.StatusCompromised:
		return StateProblem
	}
	for _, f := range findings {
		if f.Severity >= Warning && f.Code != CodeReviewDue && f.Code != CodeExpiringSoon && f.Code != CodeReplaced {
			return StateProblem
		}
	}
	switch {
	case r.Status == vault.StatusParked && has(CodeReviewDue):
		return StateReviewDue
	case r.Status == vault.StatusParked:
		return StateParked
	case has(CodeExpiringSoon):
		return StateExpiring
	case has(CodeReviewDue):
		return StateReviewDue
	}
	return StateActive
}

// NeedsAttention reports whether the key has a finding of warning severity
// or worse at now; the tray's icon and menu follow it. all is every record
// in the vault, as for Findings.
func NeedsAttention(r vault.Record, all []vault.Record, now time.Time) bool {
	var x *Index
	if all != nil {
		x = NewIndex(all)
	}
	return x.NeedsAttention(r, now)
}

// Rank orders keys as AttentionRank does, from findings already made.
func Rank(r vault.Record, findings []Finding) int { return rankOf(r, findings) }

// StateOf is State from findings already made.
func StateOf(r vault.Record, findings []Finding) DisplayState { return stateOf(r, findings) }

// AttentionRank orders the keys list so that what needs attention comes
// first: smaller ranks sort first. It orders by state (problem, expiring,
// due for review, active, parked, revoked), then by the most severe finding.
func AttentionRank(r vault.Record, all []vault.Record, now time.Time) int {
	return rankOf(r, Findings(r, all, now))
}

func rankOf(r vault.Record, findings []Finding) int {
	sev := 3 // no findings
	if top, ok := MaxSeverity(findings); ok {
		sev = int(Critical - top)
	}
	return stateOrder[stateOf(r, findings)]*4 + sev
}

// SortByAttention sorts records in place by AttentionRank, then by name
// (without case), then by ID, so the order is the same at every run.
func SortByAttention(records []vault.Record, now time.Time) {
	type ranked struct {
		r    vault.Record
		rank int
		name string
	}
	items := make([]ranked, len(records))
	x := NewIndex(records)
	for i, r := range records {
		items[i] = ranked{r, rankOf(r, x.Findings(r, now)), strings.ToLower(r.Name)}
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if a.name != b.name {
			return a.name < b.name
		}
		return a.r.ID < b.r.ID
	})
	for i, it := range items {
		records[i] = it.r
	}
}
