package ui

import (
	"time"

	"fyne.io/fyne/v2"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// The settings Keywarden keeps in Fyne's preferences, with their defaults.
const (
	prefReadOnlyDays  = "review.readOnlyDays"
	prefRiskyDays     = "review.riskyDays"
	prefNotifications = "notifications.enabled"
	prefStartAtLogin  = "startAtLogin"

	defaultReadOnlyDays = int(review.ReadOnlyReviewInterval / (24 * time.Hour))
	defaultRiskyDays    = int(review.RiskyReviewInterval / (24 * time.Hour))
	minReviewDays       = 1
	maxReviewDays       = 365
)

// preferences is the typed face of fyne.Preferences: one getter and setter
// per setting.
type preferences struct{ p fyne.Preferences }

// ReadOnlyDays is the default review interval of keys that can only read.
func (s preferences) ReadOnlyDays() int {
	return clampDays(s.p.IntWithFallback(prefReadOnlyDays, defaultReadOnlyDays))
}

// SetReadOnlyDays sets ReadOnlyDays.
func (s preferences) SetReadOnlyDays(days int) { s.p.SetInt(prefReadOnlyDays, clampDays(days)) }

// RiskyDays is the default review interval of keys that can trade or move
// money.
func (s preferences) RiskyDays() int {
	return clampDays(s.p.IntWithFallback(prefRiskyDays, defaultRiskyDays))
}

// SetRiskyDays sets RiskyDays.
func (s preferences) SetRiskyDays(days int) { s.p.SetInt(prefRiskyDays, clampDays(days)) }

// Notifications reports whether the tray may send notifications.
func (s preferences) Notifications() bool { return s.p.BoolWithFallback(prefNotifications, true) }

// SetNotifications sets Notifications.
func (s preferences) SetNotifications(on bool) { s.p.SetBool(prefNotifications, on) }

// StartAtLogin reports whether the user asked Keywarden to start at login.
func (s preferences) StartAtLogin() bool { return s.p.BoolWithFallback(prefStartAtLogin, false) }

// SetStartAtLogin sets StartAtLogin.
func (s preferences) SetStartAtLogin(on bool) { s.p.SetBool(prefStartAtLogin, on) }

// effective returns r with the user's default review interval when the
// record has none of its own, so every rule sees the same interval.
func (s preferences) effective(r vault.Record) vault.Record {
	if r.ReviewDays != 0 {
		return r
	}
	days, def := s.ReadOnlyDays(), defaultReadOnlyDays
	if kraken.MaxRisk(review.EffectivePermissions(r)) > kraken.RiskRead {
		days, def = s.RiskyDays(), defaultRiskyDays
	}
	if days != def {
		r.ReviewDays = days
	}
	return r
}

func clampDays(d int) int {
	return min(max(d, minReviewDays), maxReviewDays)
}
