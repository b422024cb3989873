package remind

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

func TestDue(t *testing.T) {
	dueTax := taxKey(reviewDueAt(t0.Add(-2 * day)))
	leaked := botKey(func(r *vault.Record) {
		r.LastCheck.Outcome = vault.OutcomeInvalidKey
		r.LastCheck.Permissions = nil
	})
	tests := []struct {
		name    string
		records []vault.Record
		state   State
		want    []string
	}{
		{
			name:    "a review that fell due is shown",
			records: []vault.Record{dueTax},
			want:    []string{"k1/review/2026-03-08"},
		},
		{
			name:    "a review not yet due is not",
			records: []vault.Record{taxKey()},
		},
		{
			name:    "a reminder already shown is not shown again",
			records: []vault.Record{dueTax},
			state:   State{Sent: sent(t0.Add(-day), "k1/review/2026-03-08")},
		},
		{
			name:    "a key expiring in 5 days gets the 7-day reminder, never the 30-day one",
			records: []vault.Record{botKey(expiring(t0.Add(5 * day)))},
			want:    []string{"k2/expiry-7d/2026-03-15"},
		},
		{
			name:    "after a long sleep only the latest expiry step is shown",
			records: []vault.Record{botKey(expiring(t0.Add(12 * time.Hour)))},
			state:   State{Sent: sent(t0.Add(-40*day), "k2/expiry-30d/2026-03-11")},
			want:    []string{"k2/expiry-1d/2026-03-11"},
		},
		{
			name:    "an expired key is shown as expired",
			records: []vault.Record{botKey(expiring(t0.Add(-time.Hour)))},
			want:    []string{"k2/expired/2026-03-10"},
		},
		{
			name:    "a snoozed key stays quiet",
			records: []vault.Record{dueTax},
			state:   State{Snoozes: map[string]Snooze{"k1": {Until: t0.Add(time.Hour)}}},
		},
		{
			name:    "an ended snooze lets the reminder through",
			records: []vault.Record{dueTax},
			state:   State{Snoozes: map[string]Snooze{"k1": {Until: t0}}},
			want:    []string{"k1/review/2026-03-08"},
		},
		{
			name:    "a critical problem found by a check is shown",
			records: []vault.Record{leaked},
			want:    []string{"k2/finding/not-on-exchange"},
		},
		{
			name:    "a new critical problem gets through a snooze",
			records: []vault.Record{leaked},
			state:   State{Snoozes: map[string]Snooze{"k2": {Until: t0.Add(day)}}},
			want:    []string{"k2/finding/not-on-exchange"},
		},
		{
			name:    "a critical problem held by a snooze waits for its end",
			records: []vault.Record{leaked},
			state:   State{Snoozes: map[string]Snooze{"k2": {Until: t0.Add(day), Held: []string{"k2/finding/not-on-exchange"}}}},
		},
		{
			name:    "a key that expired during the snooze of its 1-day step says so at once",
			records: []vault.Record{botKey(expiring(t0.Add(-time.Hour)))},
			state:   State{Snoozes: map[string]Snooze{"k2": {Until: t0.Add(6 * day), Held: []string{"k2/expiry-1d/2026-03-09"}}}},
			want:    []string{"k2/expired/2026-03-10"},
		},
		{
			name:    "permissions that drifted from what was meant are shown, snoozed or not",
			records: []vault.Record{botKey(missingPermission)},
			state:   State{Snoozes: map[string]Snooze{"k2": {Until: t0.Add(SnoozeWeek)}}},
			want:    []string{"k2/finding/missing-permissions"},
		},
		{
			name:    "a parked key used by someone else breaks through a snooze",
			records: []vault.Record{taxKey(parkedAndUsed)},
			state:   State{Snoozes: map[string]Snooze{"k1": {Until: t0.Add(SnoozeWeek)}}},
			want:    []string{"k1/finding/parked-key-used"},
		},
		{
			name:    "drift shown before the snooze stays quiet until its end",
			records: []vault.Record{botKey(missingPermission)},
			state:   State{Snoozes: map[string]Snooze{"k2": {Until: t0.Add(SnoozeWeek), Held: []string{"k2/finding/missing-permissions"}}}},
		},
		{
			name: "a failed check is a warning, not a notification",
			records: []vault.Record{taxKey(func(r *vault.Record) {
				r.LastCheck = &vault.Readback{At: t0.Add(-time.Hour), Outcome: vault.OutcomeError, Problem: "no network"}
			})},
		},
		{
			name:    "a revoked key gets no reminders",
			records: []vault.Record{botKey(expiring(t0.Add(-time.Hour)), func(r *vault.Record) { r.Status = vault.StatusRevoked; r.LastCheck = nil })},
		},
		{
			name: "a revoked key the exchange still accepts is a problem",
			records: []vault.Record{taxKey(func(r *vault.Record) {
				r.Status = vault.StatusRevoked
				r.AddEvent(t0.Add(-2*time.Hour), vault.EventRevoked, "")
			})},
			want: []string{"k1/finding/revoked-key-still-works"},
		},
		{
			name:    "a key the person marked as leaked gets no problem reminder: they are in its runbook",
			records: []vault.Record{taxKey(func(r *vault.Record) { r.Status = vault.StatusCompromised })},
		},
		{
			name:    "several keys come earliest first",
			records: []vault.Record{botKey(expiring(t0.Add(5 * day))), dueTax},
			want:    []string{"k1/review/2026-03-08", "k2/expiry-7d/2026-03-15"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(Due(tt.records, tt.state, t0)); !equal(got, tt.want) {
				t.Errorf("Due = %q, want %q", got, tt.want)
			}
		})
	}
}

// missingPermission makes the exchange lack one of the permissions meant
// for the key: drift, a warning.
func missingPermission(r *vault.Record) {
	r.LastCheck.Permissions = r.LastCheck.Permissions[1:]
}

// parkedAndUsed parks the key three days ago and has the last check find
// it used two days ago, by something that was not Keywarden.
func parkedAndUsed(r *vault.Record) {
	r.Status = vault.StatusParked
	r.AddEvent(t0.Add(-3*day), vault.EventParked, "")
	r.LastCheck.LastUsed = t0.Add(-2 * day)
}

func TestBreaksSnooze(t *testing.T) {
	for _, tt := range []struct {
		rem  Reminder
		want bool
	}{
		{Reminder{Kind: review.DueReview, Severity: review.Warning}, false},
		{Reminder{Kind: review.DueExpiry30, Severity: review.Info}, false},
		{Reminder{Kind: review.DueExpiry7, Severity: review.Warning}, false},
		{Reminder{Kind: review.DueExpiry1, Severity: review.Critical}, true},
		{Reminder{Kind: review.DueExpired, Severity: review.Warning}, true},
		{Reminder{Kind: Problem, Code: review.CodeNotOnExchange, Severity: review.Critical}, true},
		{Reminder{Kind: Problem, Code: review.CodeExtraPermissions, Severity: review.Warning}, true},
		{Reminder{Kind: Problem, Code: review.CodeMissingPermissions, Severity: review.Warning}, true},
		{Reminder{Kind: Problem, Code: review.CodeParkedKeyUsed, Severity: review.Critical}, true},
	} {
		if got := BreaksSnooze(tt.rem); got != tt.want {
			t.Errorf("BreaksSnooze(%s %s %v) = %v, want %v", tt.rem.Kind, tt.rem.Code, tt.rem.Severity, got, tt.want)
		}
	}
}

func TestDue_wording(t *testing.T) {
	tests := []struct {
		name      string
		record    vault.Record
		now       time.Time
		wantTitle string
		wantBody  string
		wantSev   review.Severity
	}{
		{
			name:      "a review names the key",
			record:    taxKey(reviewDueAt(t0)),
			now:       t0,
			wantTitle: "Time to review “koinly-tax”",
			wantBody:  "Open its review",
			wantSev:   review.Warning,
		},
		{
			name:      "the 7-day step, shown on time, says 7 days",
			record:    botKey(expiring(t0.Add(7 * day))),
			now:       t0,
			wantTitle: "Key “freqtrade-bot” expires in 7 days",
			wantBody:  "It stops working on 17 Mar 2026 12:00 UTC",
			wantSev:   review.Warning,
		},
		{
			name:      "a problem says what is wrong and what to do",
			record:    botKey(func(r *vault.Record) { r.LastCheck.Outcome = vault.OutcomeInvalidKey }),
			now:       t0,
			wantTitle: "“freqtrade-bot”: the exchange no longer knows this key",
			wantBody:  "If you deleted it, mark it revoked.",
			wantSev:   review.Critical,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Due([]vault.Record{tt.record}, State{}, tt.now)
			if len(got) != 1 {
				t.Fatalf("Due = %q, want one reminder", ids(got))
			}
			r := got[0]
			if r.Title != tt.wantTitle || !strings.Contains(r.Body, tt.wantBody) || r.Severity != tt.wantSev {
				t.Errorf("got %q / %q / %v, want %q / …%q… / %v", r.Title, r.Body, r.Severity, tt.wantTitle, tt.wantBody, tt.wantSev)
			}
			if r.RecordID != tt.record.ID || r.Name != tt.record.Name {
				t.Errorf("record %q %q, want %q %q", r.RecordID, r.Name, tt.record.ID, tt.record.Name)
			}
		})
	}
}

// TestDue_expirySteps walks a key through its expiry the way the scheduler
// does, showing what is due and marking it, and checks that each step is
// shown exactly once, and that steps passed before the key was first seen
// (or while the machine slept) are never shown.
func TestDue_expirySteps(t *testing.T) {
	expires := t0.Add(40 * day)
	tests := []struct {
		name  string
		times []time.Time
		want  [][]review.DueKind
	}{
		{
			name:  "every step on time, each once",
			times: []time.Time{t0, expires.Add(-30 * day), expires.Add(-29 * day), expires.Add(-7 * day), expires.Add(-day), expires.Add(-time.Hour), expires, expires.Add(day)},
			want:  [][]review.DueKind{nil, {review.DueExpiry30}, nil, {review.DueExpiry7}, {review.DueExpiry1}, nil, {review.DueExpired}, nil},
		},
		{
			name:  "first seen 5 days before: the 7-day step, never the 30-day one",
			times: []time.Time{expires.Add(-5 * day), expires.Add(-4 * day), expires.Add(-day), expires},
			want:  [][]review.DueKind{{review.DueExpiry7}, nil, {review.DueExpiry1}, {review.DueExpired}},
		},
		{
			name:  "asleep from the 30-day step until after the 1-day one",
			times: []time.Time{expires.Add(-30 * day), expires.Add(-12 * time.Hour), expires.Add(-6 * time.Hour)},
			want:  [][]review.DueKind{{review.DueExpiry30}, {review.DueExpiry1}, nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := botKey(expiring(expires), noChecks, reviewDueAt(expires.Add(100*day)))
			var st State
			for i, now := range tt.times {
				rems := Due([]vault.Record{r}, st, now)
				var got []review.DueKind
				for _, rem := range rems {
					got = append(got, rem.Kind)
				}
				if !equalKinds(got, tt.want[i]) {
					t.Errorf("at %s: shown %q, want %q", now.Format(time.DateTime), got, tt.want[i])
				}
				st.markSent(ids(rems), now)
				st.Prune([]vault.Record{r}, now)
			}
		})
	}
}

func equalKinds(a, b []review.DueKind) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestNext(t *testing.T) {
	dueTax := taxKey(noChecks, reviewDueAt(t0.Add(-day)))
	tests := []struct {
		name    string
		records []vault.Record
		state   State
		want    time.Time
		wantOK  bool
	}{
		{
			name:    "the next review when nothing else is ahead",
			records: []vault.Record{taxKey(noChecks)},
			want:    t0.Add(80 * day), wantOK: true,
		},
		{
			name:    "an expiry step before the review",
			records: []vault.Record{taxKey(noChecks, expiring(t0.Add(70*day)))},
			want:    t0.Add(40 * day), wantOK: true,
		},
		{
			name:    "the earliest over several keys",
			records: []vault.Record{taxKey(noChecks), botKey(noChecks)},
			want:    t0.Add(20 * day), wantOK: true,
		},
		{
			name:    "a background check a day after the last check",
			records: []vault.Record{taxKey()},
			want:    t0.Add(23 * time.Hour), wantOK: true,
		},
		{
			name:    "no background check for a trading-bot key by default",
			records: []vault.Record{botKey()},
			want:    t0.Add(20 * day), wantOK: true,
		},
		{
			name:    "a snooze's end",
			records: []vault.Record{dueTax},
			state:   State{Snoozes: map[string]Snooze{"k1": {Until: t0.Add(day)}}},
			want:    t0.Add(day), wantOK: true,
		},
		{
			name:    "a step that falls in a snooze waits for its end",
			records: []vault.Record{taxKey(noChecks, expiring(t0.Add(32*day)))},
			state:   State{Snoozes: map[string]Snooze{"k1": {Until: t0.Add(7 * day)}}},
			want:    t0.Add(7 * day), wantOK: true,
		},
		{
			name:    "a critical step in a snooze does not wait",
			records: []vault.Record{taxKey(noChecks, expiring(t0.Add(3*day)))},
			state:   State{Snoozes: map[string]Snooze{"k1": {Until: t0.Add(7 * day)}}},
			want:    t0.Add(2 * day), wantOK: true,
		},
		{
			name:    "a due reminder already past is not a wake-up",
			records: []vault.Record{dueTax},
			state:   State{Sent: sent(t0, "k1/review/2026-03-09")},
			want:    time.Time{}, wantOK: false,
		},
		{
			name:    "nothing ahead for a revoked key",
			records: []vault.Record{taxKey(func(r *vault.Record) { r.Status = vault.StatusRevoked; r.LastCheck = nil })},
			wantOK:  false,
		},
		{
			name:   "nothing ahead in an empty vault",
			wantOK: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Next(tt.records, tt.state, t0)
			if ok != tt.wantOK || !got.Equal(tt.want) {
				t.Errorf("Next = %s, %v; want %s, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// BenchmarkDueAndPrune10k is the scheduler's look at 10 000 keys: what is
// due, and the marks pruned. Each key is reviewed once, with one index for
// the rules across keys (before, once per key over all keys: quadratic).
func BenchmarkDueAndPrune10k(b *testing.B) {
	records := make([]vault.Record, 10_000)
	for i := range records {
		r := taxKey(func(r *vault.Record) {
			r.ID, r.Name = fmt.Sprintf("k%05d", i), fmt.Sprintf("koinly-%05d", i)
			r.Account = fmt.Sprintf("account-%02d", i%20)
		})
		if i%7 == 0 {
			reviewDueAt(t0.Add(-day))(&r)
		}
		if i%13 == 0 {
			expiring(t0.Add(20 * day))(&r)
		}
		records[i] = r
	}
	b.ReportAllocs()
	for b.Loop() {
		st := State{}
		st.markSent(reminderIDs(Due(records, st, t0)), t0)
		st.Prune(records, t0)
	}
}
