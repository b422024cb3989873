package tray

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// The window's preference keys the tray follows; app/ui keeps the same
// names (a test there holds them together).
const (
	PrefReadOnlyDays  = "review.readOnlyDays"
	PrefRiskyDays     = "review.riskyDays"
	PrefNotifications = "notifications.enabled"
)

const day = 24 * time.Hour

// Settings are the window's settings that the tray follows. The window
// keeps them in Fyne's preferences file; the tray runs no Fyne app, so it
// reads that file (ReadSettings) each time it looks at the keys.
type Settings struct {
	// ReadOnlyDays and RiskyDays are the review intervals of keys without
	// their own: keys that only read, and keys that can trade or move money.
	ReadOnlyDays, RiskyDays int
	// Notifications is false when the person turned reminders off.
	Notifications bool
}

// DefaultSettings are the settings before the person changed any.
func DefaultSettings() Settings {
	return Settings{
		ReadOnlyDays:  int(review.ReadOnlyReviewInterval / day),
		RiskyDays:     int(review.RiskyReviewInterval / day),
		Notifications: true,
	}
}

// SettingsPath returns where Fyne keeps the preferences of the app with the
// given ID on this system.
func SettingsPath(appID string) (string, error) {
	var root string
	switch runtime.GOOS {
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		root = filepath.Join(home, "Library", "Preferences", "fyne")
	case "windows":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		root = filepath.Join(home, "AppData", "Roaming", "fyne")
	default:
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", err
		}
		root = filepath.Join(dir, "fyne")
	}
	return filepath.Join(root, appID, "preferences.json"), nil
}

// ReadSettings reads the settings from Fyne's preferences file at path. A
// missing or unreadable file, or a value out of range, gives the default.
func ReadSettings(path string) Settings {
	s := DefaultSettings()
	b, err := os.ReadFile(path)
	if err != nil {
		return s
	}
	var values map[string]any
	if json.Unmarshal(b, &values) != nil {
		return s
	}
	if n, ok := values[PrefReadOnlyDays].(float64); ok {
		s.ReadOnlyDays = clampDays(int(n))
	}
	if n, ok := values[PrefRiskyDays].(float64); ok {
		s.RiskyDays = clampDays(int(n))
	}
	if on, ok := values[PrefNotifications].(bool); ok {
		s.Notifications = on
	}
	return s
}

// Effective returns r with the person's default review interval when the
// record has none of its own, as the window applies it, so the tray's
// reminders fall on the days the window shows.
func (s Settings) Effective(r vault.Record) vault.Record {
	if r.ReviewDays != 0 {
		return r
	}
	def := DefaultSettings()
	days, defDays := s.ReadOnlyDays, def.ReadOnlyDays
	if kraken.MaxRisk(review.EffectivePermissions(r)) > kraken.RiskRead {
		days, defDays = s.RiskyDays, def.RiskyDays
	}
	if days != defDays {
		r.ReviewDays = days
	}
	return r
}

func clampDays(d int) int { return min(max(d, 1), 365) }
