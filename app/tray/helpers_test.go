package tray

import (
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

const day = 24 * time.Hour

// t0 is the moment the tests start from.
var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// taxKey returns a healthy read-only key (reviewed every 90 days) with an
// expiry a year ahead, created 10 days before t0 and checked an hour
// before; tests change what they need.
func taxKey(change ...func(r *vault.Record)) vault.Record {
	perms := vault.PurposeTaxImport.LeastPermissions()
	r := vault.Record{
		ID:       "k1",
		Name:     "koinly-tax",
		Purpose:  vault.PurposeTaxImport,
		UsedBy:   []string{"Koinly"},
		Intended: perms,
		TwoFA:    vault.TwoFANone,
		Created:  t0.Add(-10 * day),
		Status:   vault.StatusActive,
		LastCheck: &vault.Readback{
			At: t0.Add(-time.Hour), Outcome: vault.OutcomeOK, Name: "koinly-tax",
			Permissions: perms, Created: t0.Add(-10 * day), LastUsed: t0.Add(-2 * time.Hour),
		},
	}
	r.AddEvent(r.Created, vault.EventAdded, "")
	r.AddEvent(r.LastCheck.At, vault.EventChecked, "")
	expiring(t0.Add(365 * day))(&r)
	for _, c := range change {
		c(&r)
	}
	return r
}

// botKey returns a healthy trading-bot key (reviewed every 30 days) with
// an IP allow-list.
func botKey(change ...func(r *vault.Record)) vault.Record {
	perms := vault.PurposeTradingBot.LeastPermissions()
	r := taxKey(func(r *vault.Record) {
		r.ID, r.Name = "k2", "freqtrade-bot"
		r.Purpose = vault.PurposeTradingBot
		r.UsedBy = []string{"freqtrade"}
		r.Intended = perms
		r.Restrictions.IPAllowlist = []string{"203.0.113.7"}
		r.LastCheck.Name = r.Name
		r.LastCheck.Permissions = perms
		r.LastCheck.IPAllowlist = r.Restrictions.IPAllowlist
	})
	for _, c := range change {
		c(&r)
	}
	return r
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

// expiring sets the key's expiry, as intended and as the exchange says.
// longLived makes a key added long ago and reviewed 10 days ago, so every
// expiry reminder fits its lifetime (a fresh 30-day key gets no 30-day one).
func longLived(r *vault.Record) {
	r.Created = t0.Add(-300 * day)
	r.LastReviewed = t0.Add(-10 * day)
}

func expiring(at time.Time) func(r *vault.Record) {
	return func(r *vault.Record) {
		r.Restrictions.Expires = at
		if r.LastCheck != nil {
			r.LastCheck.ValidUntil = at
		}
	}
}

// reviewDueAt moves the key's creation so its review falls due at at.
func reviewDueAt(at time.Time) func(r *vault.Record) {
	return func(r *vault.Record) {
		r.Created = at.Add(-90 * day)
		if r.Purpose == vault.PurposeTradingBot {
			r.Created = at.Add(-30 * day)
		}
	}
}
