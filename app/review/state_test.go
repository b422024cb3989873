package review

import (
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

func TestState(t *testing.T) {
	status := func(s vault.Status) func(r *vault.Record) { return func(r *vault.Record) { r.Status = s } }
	expiring := func(d time.Duration) func(r *vault.Record) {
		return func(r *vault.Record) { longLived(r); r.LastCheck.ValidUntil = now.Add(d) }
	}
	dueForReview := func(r *vault.Record) { r.Created, r.LastReviewed = now.Add(-100*day), time.Time{} }
	invalid := func(r *vault.Record) { r.LastCheck = &vault.Readback{At: now, Outcome: vault.OutcomeInvalidKey} }
	tests := []struct {
		name string
		r    vault.Record
		want DisplayState
	}{
		{"a healthy key is active", taxKey(), StateActive},
		{"a key whose interval elapsed is due for review", taxKey(dueForReview), StateReviewDue},
		{"a key expiring within 30 days is expiring", botKey(expiring(20 * day)), StateExpiring},
		{"a key expiring tomorrow is still expiring, not a problem", botKey(expiring(12 * time.Hour)), StateExpiring},
		{"expiring wins over due for review", botKey(expiring(20*day), dueForReview), StateExpiring},
		{"an expired key is a problem", botKey(expiring(-day)), StateProblem},
		{"a key the exchange no longer knows is a problem", taxKey(invalid), StateProblem},
		{"a key with unintended withdraw is a problem",
			taxKey(func(r *vault.Record) { r.LastCheck.Permissions = append(r.Intended, kraken.WithdrawFunds) }), StateProblem},
		{"a trading key without expiry is a problem",
			botKey(expiring(0), func(r *vault.Record) { r.LastCheck.ValidUntil = time.Time{} }), StateProblem},
		{"an info finding is no problem", taxKey(func(r *vault.Record) { r.Name = "key" }), StateActive},
		{"a parked key is parked", taxKey(status(vault.StatusParked)), StateParked},
		{"a parked key due for review says so", taxKey(status(vault.StatusParked), dueForReview), StateReviewDue},
		{"a parked key about to expire stays parked", botKey(status(vault.StatusParked), expiring(day)), StateParked},
		{"a parked key the exchange no longer knows is a problem", taxKey(status(vault.StatusParked), invalid), StateProblem},
		{"a revoked key is revoked", taxKey(status(vault.StatusRevoked), invalid), StateRevoked},
		{"a revoked key due for review is still just revoked", taxKey(status(vault.StatusRevoked), invalid, dueForReview), StateRevoked},
		{"a revoked key that still works is a problem", taxKey(status(vault.StatusRevoked)), StateProblem},
		{"a compromised key is a problem", taxKey(status(vault.StatusCompromised)), StateProblem},
		{"a compromised key already dead on the exchange is still a problem until revoked",
			taxKey(status(vault.StatusCompromised), invalid), StateProblem},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := State(tc.r, now); got != tc.want {
				t.Errorf("State = %q, want %q (findings %v)", got, tc.want, codes(Findings(tc.r, nil, now)))
			}
		})
	}
}

func TestNeedsAttention(t *testing.T) {
	tests := []struct {
		name string
		r    vault.Record
		all  []vault.Record
		want bool
	}{
		{"a healthy key does not", taxKey(), nil, false},
		{"a key with only info findings does not", taxKey(func(r *vault.Record) { r.Name = "key" }), nil, false},
		{"a key expiring in 20 days does not yet", botKey(func(r *vault.Record) { r.LastCheck.ValidUntil = now.Add(20 * day) }), nil, false},
		{"a key expiring in 7 days does", botKey(func(r *vault.Record) { r.LastCheck.ValidUntil = now.Add(7 * day) }), nil, true},
		{"a key due for review does", taxKey(func(r *vault.Record) { r.Created = now.Add(-90 * day) }), nil, true},
		{"a trading key shared by two services does",
			botKey(func(r *vault.Record) { r.UsedBy = []string{"freqtrade", "Hummingbot"} }), nil, true},
		{"a revoked key does not", taxKey(func(r *vault.Record) {
			r.Status = vault.StatusRevoked
			r.LastCheck.Outcome = vault.OutcomeInvalidKey
		}), nil, false},
		{"a compromised key does", taxKey(func(r *vault.Record) { r.Status = vault.StatusCompromised }), nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := NeedsAttention(tc.r, tc.all, now); got != tc.want {
				t.Errorf("NeedsAttention = %v, want %v (findings %v)", got, tc.want, codes(Findings(tc.r, tc.all, now)))
			}
		})
	}
}

func TestSortByAttention(t *testing.T) {
	named := func(id, name string, change ...func(r *vault.Record)) vault.Record {
		return taxKey(append([]func(r *vault.Record){func(r *vault.Record) { r.ID, r.Name = id, name }}, change...)...)
	}
	records := []vault.Record{
		named("revoked", "a-revoked", func(r *vault.Record) { r.Status = vault.StatusRevoked; r.LastCheck.Outcome = vault.OutcomeInvalidKey }),
		named("parked", "b-parked", func(r *vault.Record) { r.Status = vault.StatusParked }),
		named("active-b", "Z-active"),
		named("active-a", "y-active"),
		named("due", "c-due", func(r *vault.Record) { r.Created = now.Add(-100 * day) }),
		named("warning", "d-warning", func(r *vault.Record) { r.LastCheck.Outcome = vault.OutcomeError }),
		named("critical", "e-critical", func(r *vault.Record) { r.LastCheck.Outcome = vault.OutcomeInvalidKey }),
		named("expiring", "f-expiring", func(r *vault.Record) { longLived(r); r.LastCheck.ValidUntil = now.Add(20 * day) }),
	}
	want := []string{"critical", "warning", "expiring", "due", "active-a", "active-b", "parked", "revoked"}
	SortByAttention(records, now)
	for i, r := range records {
		if r.ID != want[i] {
			var got []string
			for _, r := range records {
				got = append(got, r.ID)
			}
			t.Fatalf("order %v, want %v", got, want)
		}
	}
	if AttentionRank(records[0], records, now) >= AttentionRank(records[1], records, now) {
		t.Error("a critical problem does not rank before a warning")
	}
}
