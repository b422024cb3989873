package keys

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

// Snapshot is the key list as every face shows it at one moment: the
// records with the person's settings applied, what each needs and why. The
// window's list and detail, the tray's icon and menu, and the command
// line's list and check all ask it, so they tell the same truth. It is
// built in time linear in the number of records, and is not changed after.
type Snapshot struct {
	// Records are the records in attention order (what needs attention
	// first, then by name), as stored: their own review interval, not the
	// effective one. Records in the middle of being added or removed by
	// another process are left out.
	Records   []vault.Record
	Settings  Settings
	Reminders remind.State
	Now       time.Time
	// SettingsErr and RemindersErr report a settings or reminders file that
	// could not be read; the defaults are used.
	SettingsErr, RemindersErr error

	views map[string]*keyView
	index *review.Index
}

// keyView is what the Snapshot worked out about one record.
type keyView struct {
	effective *vault.Record // in the Snapshot's own copy
	findings  []review.Finding
	needs     bool
	rank      int
	state     review.DisplayState
}

// NewSnapshot works out what needs attention in records at now, with the
// settings and reminders given.
func NewSnapshot(records []vault.Record, set Settings, st remind.State, now time.Time) *Snapshot {
	s := &Snapshot{Settings: set, Reminders: st, Now: now, views: make(map[string]*keyView, len(records))}
	// Each record is copied twice, not more: once with the settings applied
	// (eff, which the index and the views point into), once in attention
	// order (Records). A record is large, and this runs over every record
	// at every look of every face.
	shown := make([]int, 0, len(records)) // indexes in records
	eff := make([]vault.Record, 0, len(records))
	for i, r := range records {
		if hidden(r) {
			continue
		}
		shown = append(shown, i)
		eff = append(eff, set.Effective(r))
	}
	s.index = review.NewIndex(eff)
	views := make([]keyView, len(eff)) // one allocation for them all
	order := make([]sortKey, len(eff))
	for i := range eff {
		e := &eff[i]
		fs := s.index.Findings(*e, now)
		top, ok := review.MaxSeverity(fs)
		views[i] = keyView{effective: e, findings: fs, needs: ok && top >= review.Warning,
			rank: review.Rank(*e, fs), state: review.StateOf(*e, fs)}
		s.views[e.ID] = &views[i]
		order[i] = sortKey{rank: views[i].rank, name: strings.ToLower(e.Name), id: e.ID, i: shown[i]}
	}
	slices.SortStableFunc(order, func(a, b sortKey) int {
		if a.rank != b.rank {
			return cmp.Compare(a.rank, b.rank)
		}
		if a.name != b.name {
			return strings.Compare(a.name, b.name)
		}
		return strings.Compare(a.id, b.id)
	})
	s.Records = make([]vault.Record, len(order))
	for j, k := range order {
		s.Records[j] = records[k.i]
	}
	return s
}

// sortKey is what orders a record in a Snapshot: its attention rank, its
// name, its ID, and where it is in the records as read.
type sortKey struct {
	rank     int
	name, id string
	i        int
}

// hidden reports whether a record is in the middle of being added or
// removed, and so not shown.
func hidden(r vault.Record) bool {
	return r.Pending != nil && (r.Pending.Op == vault.PendingAdd || r.Pending.Op == vault.PendingRemove)
}

// Record returns the record with the given ID.
func (s *Snapshot) Record(id string) (vault.Record, bool) {
	for _, r := range s.Records {
		if r.ID == id {
			return r, true
		}
	}
	return vault.Record{}, false
}

// Effective returns the record with the person's review defaults applied,
// as the rules see it.
func (s *Snapshot) Effective(id string) vault.Record {
	if v := s.views[id]; v != nil {
		return *v.effective
	}
	return vault.Record{}
}

// EffectiveRecords returns every record with the review defaults applied,
// in the order of Records.
func (s *Snapshot) EffectiveRecords() []vault.Record {
	out := make([]vault.Record, len(s.Records))
	for i, r := range s.Records {
		out[i] = *s.views[r.ID].effective
	}
	return out
}

// Findings returns what a review of the key finds now, most severe first.
func (s *Snapshot) Findings(id string) []review.Finding {
	if v := s.views[id]; v != nil {
		return v.findings
	}
	return nil
}

// NeedsAttention reports whether the key needs the person now: it has a
// finding of warning severity or worse (a problem, a review due, an expiry
// within a week, a replacement waiting for the old key to be revoked).
// Snoozing a key's reminders keeps it quiet, not out of this answer.
func (s *Snapshot) NeedsAttention(id string) bool {
	v := s.views[id]
	return v != nil && v.needs
}

// State returns how the list shows the key.
func (s *Snapshot) State(id string) review.DisplayState {
	if v := s.views[id]; v != nil {
		return v.state
	}
	return ""
}

// NextReview returns when the key is next due for review, with the
// person's review defaults; ok is false for a retired key.
func (s *Snapshot) NextReview(id string) (at time.Time, ok bool) {
	v := s.views[id]
	if v == nil || v.effective.Retired() {
		return time.Time{}, false
	}
	return review.NextReview(*v.effective, s.Now), true
}

// ReviewDue reports whether the key's review is due now.
func (s *Snapshot) ReviewDue(id string) bool {
	at, ok := s.NextReview(id)
	return ok && !at.After(s.Now)
}

// Attention returns the records that need attention, most urgent first.
func (s *Snapshot) Attention() []vault.Record {
	var out []vault.Record
	for _, r := range s.Records {
		if s.views[r.ID].needs {
			out = append(out, r)
		}
	}
	return out
}

// AttentionCount returns how many keys need attention.
func (s *Snapshot) AttentionCount() int {
	n := 0
	for _, v := range s.views {
		if v.needs {
			n++
		}
	}
	return n
}

// Skipped is a key that "check all" leaves out, and why.
type Skipped struct {
	Record vault.Record
	Reason string
}

// CheckAllTargets returns the keys "Check all" takes, in the order of
// Records, and those it leaves out with the reason. It takes every key not
// retired (revoked or leaked keys are checked by their runbook, once);
// a key whose 2FA code is typed at each check is taken only when hasCode
// says a code was given for it (nil: none was).
func (s *Snapshot) CheckAllTargets(hasCode func(vault.Record) bool) (take []vault.Record, skip []Skipped) {
	for _, r := range s.Records {
		switch {
		case r.Retired():
			skip = append(skip, Skipped{r, "it is revoked or leaked: its runbook checks it, once"})
		case r.TwoFA == vault.TwoFATyped && (hasCode == nil || !hasCode(r)):
			skip = append(skip, Skipped{r, "its 2FA code must be typed for each check"})
		default:
			take = append(take, r)
		}
	}
	return take, skip
}
