package review

import (
	"slices"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

func TestReviewInterval(t *testing.T) {
	tests := []struct {
		name string
		r    vault.Record
		want time.Duration
	}{
		{"a read-only key is reviewed every 90 days", taxKey(), 90 * day},
		{"a trading key is reviewed every 30 days", botKey(), 30 * day},
		{"a key that can move money out is reviewed every 30 days",
			taxKey(func(r *vault.Record) { r.Intended = append(r.Intended, kraken.AddWithdrawAddress); r.LastCheck = nil }), 30 * day},
		{"the exchange's permissions win over the intended ones",
			taxKey(func(r *vault.Record) { r.LastCheck.Permissions = append(r.Intended, kraken.ModifyTrades) }), 30 * day},
		{"a failed check leaves the intended permissions",
			botKey(func(r *vault.Record) { r.LastCheck = &vault.Readback{At: now, Outcome: vault.OutcomeError} }), 30 * day},
		{"a probed readback keeps the intended permissions it could not tell",
			taxKey(func(r *vault.Record) {
				r.Intended = append(r.Intended, kraken.EarnFunds)
				r.LastCheck.Probed = true
				r.LastCheck.Unknown = perms(kraken.EarnFunds)
			}), 30 * day},
		{"the record's own interval wins", botKey(func(r *vault.Record) { r.ReviewDays = 180 }), 180 * day},
		{"a key with no permissions at all is read-only", taxKey(noCheck, func(r *vault.Record) { r.Intended = nil }), 90 * day},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ReviewInterval(tc.r); got != tc.want {
				t.Errorf("ReviewInterval = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNextReview(t *testing.T) {
	reviewed := now.Add(-5 * day)
	tests := []struct {
		name string
		r    vault.Record
		want time.Time
	}{
		{"never reviewed: one interval after it was added", taxKey(), now.Add(80 * day)},
		{"reviewed: one interval after the review", taxKey(func(r *vault.Record) { r.LastReviewed = reviewed }), reviewed.Add(90 * day)},
		{"no date at all: due now", taxKey(func(r *vault.Record) { r.Created = time.Time{} }), now},
		// Issue 20: a key expiring on 5 Jan had its next review on 6 Mar.
		{"never later than the key's expiry",
			taxKey(func(r *vault.Record) { r.LastCheck.ValidUntil = now.Add(30 * day) }), now.Add(30 * day)},
		{"never later than the intended expiry before any check",
			taxKey(noCheck, func(r *vault.Record) { r.Restrictions.Expires = now.Add(30 * day) }), now.Add(30 * day)},
		{"an expiry after the regular review changes nothing",
			taxKey(func(r *vault.Record) { r.LastCheck.ValidUntil = now.Add(100 * day) }), now.Add(80 * day)},
		{"reviewed after the expiry: one interval after the review",
			taxKey(func(r *vault.Record) { r.LastCheck.ValidUntil = reviewed.Add(-day); r.LastReviewed = reviewed }), reviewed.Add(90 * day)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := NextReview(tc.r, now); !got.Equal(tc.want) {
				t.Errorf("NextReview = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestExpiresAt(t *testing.T) {
	intended := now.Add(50 * day)
	exchange := now.Add(60 * day)
	withIntent := func(r *vault.Record) { r.Restrictions.Expires = intended }
	tests := []struct {
		name string
		r    vault.Record
		want time.Time
	}{
		{"the exchange's date when known", taxKey(withIntent, func(r *vault.Record) { r.LastCheck.ValidUntil = exchange }), exchange},
		{"the exchange's \"never\" when known", taxKey(withIntent), time.Time{}},
		{"the intended date without a readback", taxKey(withIntent, noCheck), intended},
		{"the intended date after a failed check",
			taxKey(withIntent, func(r *vault.Record) { r.LastCheck.Outcome = vault.OutcomeError }), intended},
		{"the intended date when the permissions were probed",
			taxKey(withIntent, func(r *vault.Record) { r.LastCheck.Probed = true }), intended},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ExpiresAt(tc.r); !got.Equal(tc.want) {
				t.Errorf("ExpiresAt = %v, want %v", got, tc.want)
			}
		})
	}
}

// longLived makes a key that was added long ago and reviewed 10 days ago,
// so every expiry step fits its lifetime.
func longLived(r *vault.Record) {
	r.Created = now.Add(-300 * day)
	r.LastReviewed = now.Add(-10 * day)
}

// madeToday makes a key that was added this morning.
func madeToday(r *vault.Record) { r.Created = now.Add(-2 * time.Hour) }

func TestEvents(t *testing.T) {
	expiring := func(d time.Duration) func(r *vault.Record) {
		return func(r *vault.Record) { r.LastCheck.ValidUntil = now.Add(d) }
	}
	// botKey: added 10 days ago, reviewed every 30 days: due in 20 days.
	reviewID := "k2/review/2026-03-30"
	tests := []struct {
		name string
		r    vault.Record
		want []string
	}{
		{"a long-lived key far from expiry: the review and every expiry step",
			botKey(longLived, expiring(40*day)),
			[]string{"k2/expiry-30d/2026-04-19", reviewID, "k2/expiry-7d/2026-04-19", "k2/expiry-1d/2026-04-19", "k2/expired/2026-04-19"}},
		{"a key expiring in 5 days: the 7-day step is current, the 30-day one superseded",
			botKey(expiring(5 * day)),
			[]string{"k2/expiry-7d/2026-03-15", "k2/expiry-1d/2026-03-15", "k2/expired/2026-03-15"}},
		{"exactly 7 days before: the 7-day step is current",
			botKey(expiring(7 * day)),
			[]string{"k2/expiry-7d/2026-03-17", "k2/expiry-1d/2026-03-17", "k2/expired/2026-03-17"}},
		{"an expired key keeps only its expiry, which takes the review's place",
			botKey(expiring(-3 * day)),
			[]string{"k2/expired/2026-03-07"}},
		{"a key reviewed after it expired: its expiry and a regular review",
			botKey(expiring(-3*day), func(r *vault.Record) { r.LastReviewed = now.Add(-day) }),
			[]string{"k2/expired/2026-03-07", "k2/review/2026-04-08"}},
		{"a 30-day key made today: no 30-day step, never expiring at birth",
			botKey(madeToday, expiring(30*day-12*time.Hour)),
			[]string{"k2/expiry-7d/2026-04-09", "k2/expiry-1d/2026-04-09", "k2/expired/2026-04-09"}},
		{"a 7-day key made today: the last day only",
			botKey(madeToday, expiring(7*day-12*time.Hour)),
			[]string{"k2/expiry-1d/2026-03-17", "k2/expired/2026-03-17"}},
		{"a 90-day key made today: every step",
			botKey(madeToday, expiring(90*day-12*time.Hour)),
			[]string{"k2/review/2026-04-09", "k2/expiry-30d/2026-06-08", "k2/expiry-7d/2026-06-08", "k2/expiry-1d/2026-06-08", "k2/expired/2026-06-08"}},
		{"a key without expiry: the review only", taxKey(), []string{"k1/review/2026-05-29"}},
		{"a review past due stays listed", taxKey(func(r *vault.Record) { r.Created = now.Add(-100 * day) }), []string{"k1/review/2026-02-28"}},
		{"a parked key: the review only, on its expiry day at the latest",
			botKey(expiring(5*day), func(r *vault.Record) { r.Status = vault.StatusParked }), []string{"k2/review/2026-03-15"}},
		{"a revoked key: nothing", botKey(func(r *vault.Record) { r.Status = vault.StatusRevoked }), nil},
		{"a compromised key: nothing", botKey(func(r *vault.Record) { r.Status = vault.StatusCompromised }), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			events := Events(tc.r, now)
			var got []string
			for _, e := range events {
				got = append(got, e.ID)
				if e.RecordID != tc.r.ID || e.Title == "" {
					t.Errorf("event %+v lacks its record or title", e)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("IDs %q, want %q", got, tc.want)
			}
			if !slices.IsSortedFunc(events, func(a, b DueEvent) int { return a.At.Compare(b.At) }) {
				t.Errorf("events not in time order: %+v", events)
			}
		})
	}
}

func TestEvents_IDsStayTheSameAsTimePasses(t *testing.T) {
	r := botKey(func(r *vault.Record) { r.LastCheck.ValidUntil = now.Add(40 * day) })
	ids := func(at time.Time) map[string]DueEvent {
		m := map[string]DueEvent{}
		for _, e := range Events(r, at) {
			m[e.ID] = e
		}
		return m
	}
	before := ids(now)
	for _, later := range []time.Duration{time.Hour, 10 * day, 35 * day} {
		for id, e := range ids(now.Add(later)) {
			if b, ok := before[id]; !ok || !b.At.Equal(e.At) || b.Kind != e.Kind {
				t.Errorf("after %v: event %s (%v) was not there before (%v)", later, id, e.At, b.At)
			}
		}
	}
	r.LastReviewed = now
	if _, ok := ids(now)["k2/review/2026-03-30"]; ok {
		t.Error("the review event kept its ID after a review")
	}
}

func TestEvents_Titles(t *testing.T) {
	r := botKey(func(r *vault.Record) { r.LastCheck.ValidUntil = now.Add(40 * day) })
	tests := []struct {
		name string
		at   time.Time
		kind DueKind
		want string
	}{
		{"the review", now, DueReview, "Time to review “freqtrade-vps”"},
		{"a step ahead reads as at its time", now, DueExpiry7, "Key “freqtrade-vps” expires in 7 days"},
		{"the last day", now, DueExpiry1, "Key “freqtrade-vps” expires in 1 day"},
		{"a step shown late reads as now", now.Add(35 * day), DueExpiry7, "Key “freqtrade-vps” expires in 5 days"},
		{"the expiry", now, DueExpired, "Key “freqtrade-vps” has expired"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, e := range Events(r, tc.at) {
				if e.Kind == tc.kind {
					if e.Title != tc.want {
						t.Errorf("title %q, want %q", e.Title, tc.want)
					}
					return
				}
			}
			t.Errorf("no %s event", tc.kind)
		})
	}
}

func TestNextEvent(t *testing.T) {
	soon := botKey(func(r *vault.Record) { r.ID = "soon"; r.LastCheck.ValidUntil = now.Add(5 * day) })
	overdue := taxKey(func(r *vault.Record) { r.ID = "overdue"; r.Created = now.Add(-100 * day) })
	tests := []struct {
		name    string
		records []vault.Record
		want    time.Time
		wantOK  bool
	}{
		{"the earliest reminder ahead", []vault.Record{taxKey(), soon}, now.Add(4 * day), true},
		{"a reminder already due is not waited for", []vault.Record{overdue}, time.Time{}, false},
		{"the review ahead of a key without expiry", []vault.Record{taxKey()}, now.Add(80 * day), true},
		{"retired keys are not waited for",
			[]vault.Record{taxKey(func(r *vault.Record) { r.Status = vault.StatusRevoked })}, time.Time{}, false},
		{"no keys, nothing to wait for", nil, time.Time{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := NextEvent(tc.records, now)
			if ok != tc.wantOK || !got.Equal(tc.want) {
				t.Errorf("NextEvent = %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}
