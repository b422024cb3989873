package tray

import (
	"github.com/keywarden/keywarden/app/internal/testkit"
	"github.com/keywarden/keywarden/app/vault"
)

// The shared fixtures (app/internal/testkit), under the short names these
// tests use.
var (
	t0          = testkit.T0
	expiring    = testkit.Expiring
	reviewDueAt = testkit.ReviewDueAt
)

const day = testkit.Day

// taxKey returns testkit.TaxKey with an expiry a year ahead; change
// alters it as a test needs.
func taxKey(change ...func(r *vault.Record)) vault.Record {
	return testkit.TaxKey(append([]func(*vault.Record){expiring(t0.Add(365 * day))}, change...)...)
}

// botKey returns testkit.BotKey with an expiry a year ahead.
func botKey(change ...func(r *vault.Record)) vault.Record {
	return testkit.BotKey(append([]func(*vault.Record){expiring(t0.Add(365 * day))}, change...)...)
}

// named gives the key another ID and name.
func named(id, name string) func(r *vault.Record) {
	return func(r *vault.Record) {
		r.ID, r.Name = id, name
		if r.LastCheck != nil {
			r.LastCheck.Name = name
		}
	}
}

// longLived makes a key added long ago and reviewed 10 days ago, so every
// expiry reminder fits its lifetime (a fresh 30-day key gets no 30-day one).
func longLived(r *vault.Record) {
	r.Created = t0.Add(-300 * day)
	r.LastReviewed = t0.Add(-10 * day)
}
