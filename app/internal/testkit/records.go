// Package testkit holds the fixtures that the tests of several packages
// share (app/remind and app/tray today), so that a key "healthy on t0"
// means the same in each and a change to the record reaches all of them.
// Only tests import it.
package testkit

import (
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// T0 is the moment the tests start from.
var T0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// Day is 24 hours.
const Day = 24 * time.Hour

// TaxKey returns a healthy read-only key (reviewed every 90 days), created
// 10 days before T0 and checked an hour before, without an expiry; change
// alters it, in order, as a test needs.
func TaxKey(change ...func(r *vault.Record)) vault.Record {
	perms := vault.PurposeTaxImport.LeastPermissions()
	r := vault.Record{
		ID:       "k1",
		Name:     "koinly-tax",
		Purpose:  vault.PurposeTaxImport,
		UsedBy:   []string{"Koinly"},
		Intended: perms,
		TwoFA:    vault.TwoFANone,
		Created:  T0.Add(-10 * Day),
		Status:   vault.StatusActive,
		LastCheck: &vault.Readback{
			At: T0.Add(-time.Hour), Outcome: vault.OutcomeOK, Name: "koinly-tax",
			Permissions: perms, Created: T0.Add(-10 * Day), LastUsed: T0.Add(-2 * time.Hour),
		},
	}
	r.AddEvent(r.Created, vault.EventAdded, "")
	r.AddEvent(r.LastCheck.At, vault.EventChecked, "")
	for _, c := range change {
		c(&r)
	}
	return r
}

// BotKey returns a healthy trading-bot key (reviewed every 30 days) with
// an IP allow-list and no expiry, built on TaxKey; change alters it.
func BotKey(change ...func(r *vault.Record)) vault.Record {
	perms := vault.PurposeTradingBot.LeastPermissions()
	r := TaxKey(func(r *vault.Record) {
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

// Expiring sets the key's expiry, as intended and as the exchange says.
func Expiring(at time.Time) func(r *vault.Record) {
	return func(r *vault.Record) {
		r.Restrictions.Expires = at
		if r.LastCheck != nil {
			r.LastCheck.ValidUntil = at
		}
	}
}

// ReviewDueAt moves the key's creation so that its review falls due at at
// (90 days after creation, 30 for a trading bot).
func ReviewDueAt(at time.Time) func(r *vault.Record) {
	return func(r *vault.Record) {
		r.Created = at.Add(-90 * Day)
		if r.Purpose == vault.PurposeTradingBot {
			r.Created = at.Add(-30 * Day)
		}
	}
}
