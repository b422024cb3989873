package keys

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/internal/atomicfile"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// File names of the settings, beside keys.json.
const (
	SettingsName     = "settings.json"
	settingsLockName = "settings.lock"
)

// The limits of the review intervals, in days.
const (
	MinReviewDays = 1
	MaxReviewDays = 365
)

// The limits of the idle close, in minutes; 0 means never.
const (
	DefaultIdleCloseMinutes = 10
	MaxIdleCloseMinutes     = 24 * 60
)

// The limits of the account watch's poll, in minutes. Every 5 minutes at
// most: a poll costs at least 2 on the watch key's counter, and the ledger
// says what happened, not what is happening.
const (
	DefaultWatchMinutes = 15
	MinWatchMinutes     = 5
	MaxWatchMinutes     = 24 * 60
)

// The limits of the unlock after a correct app 2FA code, in minutes; 0
// means a code for every protected action.
const (
	DefaultUnlockMinutes = 2
	MaxUnlockMinutes     = 15
)

const day = 24 * time.Hour

// Settings are the app's own settings, shared by the window, the tray part
// and the command line through SettingsFile.
type Settings struct {
	// ReadOnlyDays and RiskyDays are the review intervals of keys without
	// their own: keys that only read, and keys that can trade or move money.
	ReadOnlyDays int `json:"readOnlyDays"`
	RiskyDays    int `json:"riskyDays"`
	// Notifications is false when the person turned reminders off: see
	// NotificationsOffNote.
	Notifications bool `json:"notifications"`
	// StartAtLogin is true when the person asked Keywarden to start at login.
	StartAtLogin bool `json:"startAtLogin"`
	// App 2FA's switch is not here: it lives in guard.json with the lock
	// (app/guard), so that a damaged settings file never turns it off.
	// IdleCloseMinutes closes the window after this many minutes without
	// input (the tray part stays); 0 means never.
	IdleCloseMinutes int `json:"idleCloseMinutes"`
	// WatchMinutes is how often the tray part reads the watched accounts'
	// ledgers (the account watch).
	WatchMinutes int `json:"watchMinutes,omitempty"`
	// UnlockMinutes is how long, after a correct app 2FA code, the window
	// stays unlocked for protected actions (AppCodeGrace); 0 asks every
	// time. A file from before it gets the default (DefaultSettings).
	UnlockMinutes int `json:"unlockMinutes"`
}

// AppCodeGrace is how long a window stays unlocked for protected actions
// after a correct app 2FA code: UnlockMinutes, but never longer than the
// idle close, so an unlocked window is never left behind by someone who
// walked away (the window closes first, and the unlock ends with it).
// Zero means a code for every protected action.
func (s Settings) AppCodeGrace() time.Duration {
	m := min(max(s.UnlockMinutes, 0), MaxUnlockMinutes)
	if s.IdleCloseMinutes > 0 {
		m = min(m, s.IdleCloseMinutes)
	}
	return time.Duration(m) * time.Minute
}

// NotificationsOffNote says what turning notifications off means, where
// the person turns them off (the window's Settings, `keywarden settings`).
const NotificationsOffNote = "Off means no notifications: the tray icon and its menu still show what is due. " +
	"What falls due meanwhile is kept, and summed up in one notification when you turn them back on."

// DefaultSettings are the settings before the person changed any.
func DefaultSettings() Settings {
	return Settings{
		ReadOnlyDays:     int(review.ReadOnlyReviewInterval / day),
		RiskyDays:        int(review.RiskyReviewInterval / day),
		Notifications:    true,
		IdleCloseMinutes: DefaultIdleCloseMinutes,
		WatchMinutes:     DefaultWatchMinutes,
		UnlockMinutes:    DefaultUnlockMinutes,
	}
}

// The names `keywarden settings` knows, in the order it lists them.
var settingNames = []string{"review-days-read-only", "review-days-risky", "notifications", "start-at-login", "idle-close-minutes", "watch-minutes", "unlock-minutes"}

// SettingNames returns the names Get and Set take.
func SettingNames() []string { return append([]string(nil), settingNames...) }

// Get returns the value of a setting by its name, as text.
func (s Settings) Get(name string) (string, error) {
	switch name {
	case "review-days-read-only":
		return strconv.Itoa(s.ReadOnlyDays), nil
	case "review-days-risky":
		return strconv.Itoa(s.RiskyDays), nil
	case "notifications":
		return onOff(s.Notifications), nil
	case "start-at-login":
		return onOff(s.StartAtLogin), nil
	case "idle-close-minutes":
		return FormatIdleClose(s.IdleCloseMinutes), nil
	case "watch-minutes":
		return strconv.Itoa(s.WatchMinutes), nil
	case "unlock-minutes":
		return strconv.Itoa(s.UnlockMinutes), nil
	}
	return "", unknownSetting(name)
}

// Set changes a setting by its name from text, with the window's rules:
// review days are a whole number from MinReviewDays to MaxReviewDays,
// switches are on or off. start-at-login is not set here: it needs more
// than a value (the login entry, made by the window).
func (s *Settings) Set(name, value string) error {
	value = strings.TrimSpace(value)
	switch name {
	case "review-days-read-only", "review-days-risky":
		n, err := ParseReviewDays(value)
		if err != nil {
			return err
		}
		if name == "review-days-read-only" {
			s.ReadOnlyDays = n
		} else {
			s.RiskyDays = n
		}
		return nil
	case "notifications":
		on, err := parseOnOff(value)
		if err != nil {
			return err
		}
		s.Notifications = on
		return nil
	case "idle-close-minutes":
		n, err := ParseIdleClose(value)
		if err != nil {
			return err
		}
		s.IdleCloseMinutes = n
		return nil
	case "watch-minutes":
		n, err := strconv.Atoi(value)
		if err != nil || n < MinWatchMinutes || n > MaxWatchMinutes {
			return &SettingError{Name: name, Msg: fmt.Sprintf("the account watch reads the ledger every %d to %d minutes: give a whole number in that range", MinWatchMinutes, MaxWatchMinutes)}
		}
		s.WatchMinutes = n
		return nil
	case "unlock-minutes":
		n, err := ParseUnlockMinutes(value)
		if err != nil {
			return err
		}
		s.UnlockMinutes = n
		return nil
	case "start-at-login":
		return &SettingError{Name: name, Msg: fmt.Sprintf("%s cannot be set as a value here: turn it on or off in the window's settings", name)}
	}
	return unknownSetting(name)
}

// ParseReviewDays reads a review interval typed by the person.
func ParseReviewDays(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < MinReviewDays || n > MaxReviewDays {
		return 0, &SettingError{Msg: fmt.Sprintf("a review interval is a whole number of days from %d to %d", MinReviewDays, MaxReviewDays)}
	}
	return n, nil
}

// ParseIdleClose reads how many minutes without input close the window: a
// whole number from 1 to MaxIdleCloseMinutes, or "never" (also "off" or 0),
// which gives 0.
func ParseIdleClose(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "never", "off", "0":
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxIdleCloseMinutes {
		return 0, &SettingError{Msg: fmt.Sprintf("the window closes after a whole number of minutes from 1 to %d without input, or never", MaxIdleCloseMinutes)}
	}
	return n, nil
}

// ParseUnlockMinutes reads how long the window stays unlocked after a
// correct app 2FA code: a whole number of minutes from 0 (ask every time)
// to MaxUnlockMinutes.
func ParseUnlockMinutes(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > MaxUnlockMinutes {
		return 0, &SettingError{Name: "unlock-minutes", Msg: fmt.Sprintf("after an app 2FA code the window stays unlocked for a whole number of minutes from 0 (ask every time) to %d", MaxUnlockMinutes)}
	}
	return n, nil
}

// FormatIdleClose writes an idle close as ParseIdleClose reads it.
func FormatIdleClose(minutes int) string {
	if minutes <= 0 {
		return "never"
	}
	return strconv.Itoa(minutes)
}

// SettingError is a setting name or value that was refused; Msg says why in
// plain words.
type SettingError struct {
	Name string
	Msg  string
}

func (e *SettingError) Error() string { return e.Msg }

func unknownSetting(name string) error {
	return &SettingError{Name: name, Msg: fmt.Sprintf("there is no setting called %q; the settings are %s", name, strings.Join(settingNames, ", "))}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func parseOnOff(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "on", "true", "yes", "1":
		return true, nil
	case "off", "false", "no", "0":
		return false, nil
	}
	return false, &SettingError{Msg: fmt.Sprintf("%q is neither on nor off", s)}
}

// clamp puts values read from a file back in range.
func (s Settings) clamp() Settings {
	s.ReadOnlyDays = clampDays(s.ReadOnlyDays)
	s.RiskyDays = clampDays(s.RiskyDays)
	s.IdleCloseMinutes = min(max(s.IdleCloseMinutes, 0), MaxIdleCloseMinutes)
	if s.WatchMinutes == 0 { // a file from before the account watch
		s.WatchMinutes = DefaultWatchMinutes
	}
	s.WatchMinutes = min(max(s.WatchMinutes, MinWatchMinutes), MaxWatchMinutes)
	s.UnlockMinutes = min(max(s.UnlockMinutes, 0), MaxUnlockMinutes)
	return s
}

func clampDays(d int) int { return min(max(d, MinReviewDays), MaxReviewDays) }

// Effective returns r with the person's default review interval when the
// record has none of its own, so every rule, in every face, sees the same
// interval.
func (s Settings) Effective(r vault.Record) vault.Record {
	if r.ReviewDays != 0 {
		return r
	}
	def := DefaultSettings()
	days, defDays := s.ReadOnlyDays, def.ReadOnlyDays
	if kraken.MaxRisk(review.EffectivePermissions(r)) > kraken.RiskRead {
		days, defDays = s.RiskyDays, def.RiskyDays
	}
	if days != defDays && days != 0 {
		r.ReviewDays = days
	}
	return r
}

// SettingsFile is settings.json beside keys.json: read by every face,
// written atomically under a lock (atomicfile.Write, vault.LockFile).
// A missing file is taken once from the settings older versions kept in
// the toolkit's preferences (LegacyPath), then written. It is safe for
// concurrent use.
type SettingsFile struct {
	dir string
	// LegacyPath is the toolkit preferences file to migrate from; "" means
	// none. OpenSettings sets it only for the user's own folder
	// (vault.DefaultDir), so a key list kept elsewhere (KEYWARDEN_DIR, a
	// test's temporary folder, the demo) never reads the user's settings.
	LegacyPath string
}

// AppID is the application ID, which names the toolkit's preferences
// folder of older versions.
const AppID = "io.github.keywarden.Keywarden"

// OpenSettings returns the settings file in dir, the store's folder.
func OpenSettings(dir string) *SettingsFile {
	f := &SettingsFile{dir: dir}
	if def, err := vault.DefaultDir(); err == nil && sameDir(def, dir) {
		f.LegacyPath, _ = LegacyPreferencesPath(AppID)
	}
	return f
}

func sameDir(a, b string) bool {
	a, errA := filepath.Abs(a)
	b, errB := filepath.Abs(b)
	return errA == nil && errB == nil && filepath.Clean(a) == filepath.Clean(b)
}

// Path returns the path of settings.json.
func (f *SettingsFile) Path() string { return filepath.Join(f.dir, SettingsName) }

// Load reads the settings. A missing file gives the migrated or default
// settings (without writing anything); a damaged one gives the defaults and
// an error saying so.
func (f *SettingsFile) Load() (Settings, error) {
	s, _, err := f.read()
	return s, err
}

// Update changes the settings with fn and saves them, holding the lock so
// other processes' changes are not lost.
func (f *SettingsFile) Update(fn func(*Settings) error) error {
	unlock, err := vault.LockFile(filepath.Join(f.dir, settingsLockName))
	if err != nil {
		return fmt.Errorf("keys: lock the settings: %w", err)
	}
	defer unlock()
	s, old, err := f.read()
	if err != nil && !errors.Is(err, ErrSettingsDamaged) {
		return err
	}
	if err := fn(&s); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s.clamp(), "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if bytes.Equal(b, old) {
		return nil
	}
	if err := atomicfile.Write(f.Path(), b, 0o600); err != nil {
		return fmt.Errorf("keys: save the settings: %w", err)
	}
	return nil
}

// failClosedSettings are the defaults used while the settings file cannot
// be read, with no unlock after an app 2FA code: a protection whose state
// is damaged acts as if it is on.
func failClosedSettings() Settings {
	s := DefaultSettings()
	s.UnlockMinutes = 0
	return s
}

// ErrSettingsDamaged matches a settings file that could not be read.
var ErrSettingsDamaged = errors.New("the settings file is damaged; the defaults are used until a setting is changed")

func (f *SettingsFile) read() (Settings, []byte, error) {
	b, err := vault.ReadFile(f.Path()) // on Windows, so a save by another process can replace it meanwhile
	if errors.Is(err, fs.ErrNotExist) {
		return f.migrated(), nil, nil
	}
	if err != nil {
		return failClosedSettings(), nil, fmt.Errorf("keys: read the settings: %w", err)
	}
	s := DefaultSettings()
	if err := json.Unmarshal(b, &s); err != nil {
		return failClosedSettings(), b, fmt.Errorf("%w (%s: %v)", ErrSettingsDamaged, f.Path(), err)
	}
	return s.clamp(), b, nil
}

// The toolkit preference keys older versions kept the settings under.
const (
	legacyReadOnlyDays  = "review.readOnlyDays"
	legacyRiskyDays     = "review.riskyDays"
	legacyNotifications = "notifications.enabled"
	legacyStartAtLogin  = "startAtLogin"
)

// migrated returns the settings older versions kept in the toolkit's
// preferences file, or the defaults.
func (f *SettingsFile) migrated() Settings {
	s := DefaultSettings()
	if f.LegacyPath == "" {
		return s
	}
	b, err := vault.ReadFileLimit(f.LegacyPath, vault.MaxFileSize)
	if err != nil {
		return s
	}
	var values map[string]any
	if json.Unmarshal(b, &values) != nil {
		return s
	}
	if n, ok := values[legacyReadOnlyDays].(float64); ok {
		s.ReadOnlyDays = int(n)
	}
	if n, ok := values[legacyRiskyDays].(float64); ok {
		s.RiskyDays = int(n)
	}
	for key, dst := range map[string]*bool{legacyNotifications: &s.Notifications, legacyStartAtLogin: &s.StartAtLogin} {
		if on, ok := values[key].(bool); ok {
			*dst = on
		}
	}
	return s.clamp()
}

// LegacyPreferencesPath returns where the toolkit kept the preferences of
// the app with the given ID on this system.
func LegacyPreferencesPath(appID string) (string, error) {
	var root string
	switch runtime.GOOS {
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		root = filepath.Join(home, "Library", "Preferences", "fyne")
	case "windows":
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", err
		}
		root = filepath.Join(dir, "fyne")
	default:
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", err
		}
		root = filepath.Join(dir, "fyne")
	}
	return filepath.Join(root, appID, "preferences.json"), nil
}
