package keys_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/keys"
)

// settingsIn returns a settings file in a fresh folder, with legacy
// preferences (nil: none) at a path of its own.
func settingsIn(t *testing.T, legacy map[string]any) *keys.SettingsFile {
	t.Helper()
	dir := t.TempDir()
	sf := testSettings(dir, dir)
	if legacy != nil {
		b, err := json.Marshal(legacy)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(sf.LegacyPath, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return sf
}

func mustLoad(t *testing.T, sf *keys.SettingsFile) keys.Settings {
	t.Helper()
	s, err := sf.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func TestSettingsFile_Load(t *testing.T) {
	t.Run("a missing file gives the defaults", func(t *testing.T) {
		sf := settingsIn(t, nil)
		want := keys.Settings{ReadOnlyDays: 90, RiskyDays: 30, Notifications: true, IdleCloseMinutes: 10, WatchMinutes: 15, UnlockMinutes: 2}
		if got := mustLoad(t, sf); got != want {
			t.Errorf("got %+v, want %+v", got, want)
		}
		if _, err := os.Stat(sf.Path()); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Load wrote the file: %v", err)
		}
	})

	t.Run("a missing file takes the values of the old toolkit preferences", func(t *testing.T) {
		sf := settingsIn(t, map[string]any{
			"review.readOnlyDays": 14, "review.riskyDays": 7, "notifications.enabled": false,
			"startAtLogin": true, "app2fa.enabled": true, "someOtherKey": "kept out",
		})
		want := keys.Settings{ReadOnlyDays: 14, RiskyDays: 7, Notifications: false, StartAtLogin: true, IdleCloseMinutes: 10, WatchMinutes: 15, UnlockMinutes: 2}
		if got := mustLoad(t, sf); got != want {
			t.Fatalf("got %+v, want %+v", got, want)
		}
		// The first change writes the migrated values with it, once.
		if err := sf.Update(func(s *keys.Settings) error { return s.Set("review-days-risky", "10") }); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(sf.LegacyPath); err != nil {
			t.Fatal(err)
		}
		want.RiskyDays = 10
		if got := mustLoad(t, sf); got != want {
			t.Errorf("after the first change: got %+v, want %+v", got, want)
		}
	})

	t.Run("legacy values out of range are put back in range", func(t *testing.T) {
		sf := settingsIn(t, map[string]any{"review.readOnlyDays": 0, "review.riskyDays": 9999})
		got := mustLoad(t, sf)
		if got.ReadOnlyDays != keys.MinReviewDays || got.RiskyDays != keys.MaxReviewDays {
			t.Errorf("got %+v", got)
		}
	})

	t.Run("a damaged legacy file gives the defaults", func(t *testing.T) {
		sf := settingsIn(t, nil)
		if err := os.WriteFile(sf.LegacyPath, []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := mustLoad(t, sf); got != keys.DefaultSettings() {
			t.Errorf("got %+v", got)
		}
	})

	t.Run("a damaged file gives the defaults and says so, and a change mends it", func(t *testing.T) {
		sf := settingsIn(t, map[string]any{"review.readOnlyDays": 14})
		if err := os.WriteFile(sf.Path(), []byte(`{"readOnlyDays": 7,`), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := sf.Load()
		if !errors.Is(err, keys.ErrSettingsDamaged) {
			t.Fatalf("got %v, want ErrSettingsDamaged", err)
		}
		// The defaults, with no unlock after an app 2FA code: a damaged
		// protection state acts as if it is on.
		closed := keys.DefaultSettings()
		closed.UnlockMinutes = 0
		if got != closed {
			t.Errorf("got %+v, want the defaults (not the legacy values), no unlock", got)
		}
		if msg := keys.UserMessage(err); !strings.Contains(msg, "damaged") || !strings.Contains(msg, "defaults") {
			t.Errorf("message %q", msg)
		}
		if err := sf.Update(func(s *keys.Settings) error { return s.Set("notifications", "off") }); err != nil {
			t.Fatal(err)
		}
		want := closed
		want.Notifications = false
		if got := mustLoad(t, sf); got != want {
			t.Errorf("after a change: got %+v, want %+v", got, want)
		}
	})

	t.Run("values out of range in the file are put back in range", func(t *testing.T) {
		sf := settingsIn(t, nil)
		if err := os.WriteFile(sf.Path(), []byte(`{"readOnlyDays": -5, "riskyDays": 1000, "notifications": true}`), 0o600); err != nil {
			t.Fatal(err)
		}
		got := mustLoad(t, sf)
		if got.ReadOnlyDays != keys.MinReviewDays || got.RiskyDays != keys.MaxReviewDays {
			t.Errorf("got %+v", got)
		}
	})

	t.Run("settings missing from the file keep their defaults", func(t *testing.T) {
		sf := settingsIn(t, nil)
		if err := os.WriteFile(sf.Path(), []byte(`{"riskyDays": 20}`), 0o600); err != nil {
			t.Fatal(err)
		}
		want := keys.DefaultSettings()
		want.RiskyDays = 20
		if got := mustLoad(t, sf); got != want {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})
}

func TestSettingsFile_Update(t *testing.T) {
	t.Run("a change is written atomically, private, and read back", func(t *testing.T) {
		sf := settingsIn(t, nil)
		if err := sf.Update(func(s *keys.Settings) error {
			if err := s.Set("review-days-read-only", " 45 "); err != nil {
				return err
			}
			return s.Set("notifications", "OFF")
		}); err != nil {
			t.Fatal(err)
		}
		want := keys.Settings{ReadOnlyDays: 45, RiskyDays: 30, IdleCloseMinutes: 10, WatchMinutes: 15, UnlockMinutes: 2}
		if got := mustLoad(t, sf); got != want {
			t.Errorf("got %+v, want %+v", got, want)
		}
		st, err := os.Stat(sf.Path())
		if err != nil {
			t.Fatal(err)
		}
		if perm := st.Mode().Perm(); perm != 0o600 && runtime.GOOS != "windows" { // Windows has no mode bits
			t.Errorf("mode %v, want 0600", perm)
		}
		ents, err := os.ReadDir(filepath.Dir(sf.Path()))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if name := e.Name(); strings.Contains(name, "tmp") {
				t.Errorf("a temporary file is left: %s", name)
			}
		}
		var onDisk map[string]any
		b, _ := os.ReadFile(sf.Path())
		if err := json.Unmarshal(b, &onDisk); err != nil || onDisk["readOnlyDays"] != float64(45) {
			t.Errorf("file %s: %v", b, err)
		}
	})

	t.Run("a refused change writes nothing", func(t *testing.T) {
		sf := settingsIn(t, nil)
		if err := sf.Update(func(s *keys.Settings) error { return s.Set("review-days-risky", "12") }); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(sf.Path())
		err := sf.Update(func(s *keys.Settings) error {
			s.Notifications = false
			return s.Set("review-days-risky", "0")
		})
		var serr *keys.SettingError
		if !errors.As(err, &serr) {
			t.Fatalf("got %v, want a *SettingError", err)
		}
		if after, _ := os.ReadFile(sf.Path()); !slices.Equal(after, before) {
			t.Errorf("the file changed: %s", after)
		}
	})

	t.Run("changes made at once by several processes are all kept", func(t *testing.T) {
		sf := settingsIn(t, nil)
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			other := keys.OpenSettings(filepath.Dir(sf.Path())) // another process's view
			other.LegacyPath = sf.LegacyPath
			wg.Go(func() {
				errs[i] = other.Update(func(s *keys.Settings) error {
					switch i % 4 {
					case 0:
						s.ReadOnlyDays = 11
					case 1:
						s.RiskyDays = 12
					case 2:
						s.Notifications = false
					default:
						s.StartAtLogin = true
					}
					return nil
				})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("update %d: %v", i, err)
			}
		}
		want := keys.Settings{ReadOnlyDays: 11, RiskyDays: 12, Notifications: false, StartAtLogin: true, IdleCloseMinutes: 10, WatchMinutes: 15, UnlockMinutes: 2}
		if got := mustLoad(t, sf); got != want {
			t.Errorf("got %+v, want %+v: a change was lost", got, want)
		}
	})

}

func TestSettings_Set(t *testing.T) {
	tests := []struct {
		name, setting, value string
		want                 keys.Settings // when ok
		ok                   bool
	}{
		{"read-only days", "review-days-read-only", "7", keys.Settings{ReadOnlyDays: 7, RiskyDays: 30, Notifications: true, IdleCloseMinutes: 10, WatchMinutes: 15, UnlockMinutes: 2}, true},
		{"risky days at the upper limit", "review-days-risky", "365", keys.Settings{ReadOnlyDays: 90, RiskyDays: 365, Notifications: true, IdleCloseMinutes: 10, WatchMinutes: 15, UnlockMinutes: 2}, true},
		{"risky days at the lower limit", "review-days-risky", "1", keys.Settings{ReadOnlyDays: 90, RiskyDays: 1, Notifications: true, IdleCloseMinutes: 10, WatchMinutes: 15, UnlockMinutes: 2}, true},
		{"notifications off", "notifications", "off", keys.Settings{ReadOnlyDays: 90, RiskyDays: 30, IdleCloseMinutes: 10, WatchMinutes: 15, UnlockMinutes: 2}, true},
		{"notifications no", "notifications", "no", keys.Settings{ReadOnlyDays: 90, RiskyDays: 30, IdleCloseMinutes: 10, WatchMinutes: 15, UnlockMinutes: 2}, true},
		{"idle close after 5 minutes", "idle-close-minutes", "5", keys.Settings{ReadOnlyDays: 90, RiskyDays: 30, Notifications: true, IdleCloseMinutes: 5, WatchMinutes: 15, UnlockMinutes: 2}, true},
		{"idle close never", "idle-close-minutes", "never", keys.Settings{ReadOnlyDays: 90, RiskyDays: 30, Notifications: true, WatchMinutes: 15, UnlockMinutes: 2}, true},
		{"idle close at the upper limit", "idle-close-minutes", "1440", keys.Settings{ReadOnlyDays: 90, RiskyDays: 30, Notifications: true, IdleCloseMinutes: 1440, WatchMinutes: 15, UnlockMinutes: 2}, true},
		{"idle close beyond a day", "idle-close-minutes", "1441", keys.Settings{}, false},
		{"idle close negative", "idle-close-minutes", "-1", keys.Settings{}, false},
		{"idle close as a fraction", "idle-close-minutes", "2.5", keys.Settings{}, false},
		{"watch every 30 minutes", "watch-minutes", "30", keys.Settings{ReadOnlyDays: 90, RiskyDays: 30, Notifications: true, IdleCloseMinutes: 10, WatchMinutes: 30, UnlockMinutes: 2}, true},
		{"watch more often than every 5 minutes", "watch-minutes", "4", keys.Settings{}, false},
		{"watch never", "watch-minutes", "never", keys.Settings{}, false},
		{"zero days", "review-days-read-only", "0", keys.Settings{}, false},
		{"too many days", "review-days-risky", "366", keys.Settings{}, false},
		{"negative days", "review-days-risky", "-3", keys.Settings{}, false},
		{"days not a number", "review-days-read-only", "a week", keys.Settings{}, false},
		{"days as a fraction", "review-days-read-only", "7.5", keys.Settings{}, false},
		{"empty days", "review-days-read-only", "", keys.Settings{}, false},
		{"notifications maybe", "notifications", "maybe", keys.Settings{}, false},
		{"start at login is not a plain value", "start-at-login", "on", keys.Settings{}, false},
		{"app 2FA is not a setting here", "app-2fa", "on", keys.Settings{}, false},
		{"an unknown name", "review-days", "7", keys.Settings{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := keys.DefaultSettings()
			err := s.Set(tt.setting, tt.value)
			if tt.ok {
				if err != nil {
					t.Fatalf("Set: %v", err)
				}
				if s != tt.want {
					t.Errorf("got %+v, want %+v", s, tt.want)
				}
				if got, err := s.Get(tt.setting); err != nil || (tt.setting != "notifications" && strings.TrimSpace(got) != tt.value) {
					t.Errorf("Get = %q, %v", got, err)
				}
				return
			}
			var serr *keys.SettingError
			if !errors.As(err, &serr) {
				t.Fatalf("got %v, want a *SettingError", err)
			}
			if s != keys.DefaultSettings() {
				t.Errorf("a refused value changed the settings: %+v", s)
			}
			msg := keys.UserMessage(err)
			if msg == "" || strings.HasPrefix(msg, "Something went wrong") || !strings.HasSuffix(msg, ".") {
				t.Errorf("message %q", msg)
			}
		})
	}

	t.Run("every name lists and reads back", func(t *testing.T) {
		s := keys.Settings{ReadOnlyDays: 12, RiskyDays: 3, Notifications: false, StartAtLogin: true, IdleCloseMinutes: 15, WatchMinutes: 20, UnlockMinutes: 5}
		want := map[string]string{"review-days-read-only": "12", "review-days-risky": "3", "notifications": "off", "start-at-login": "on", "idle-close-minutes": "15", "watch-minutes": "20", "unlock-minutes": "5"}
		got := map[string]string{}
		for _, name := range keys.SettingNames() {
			v, err := s.Get(name)
			if err != nil {
				t.Fatal(err)
			}
			got[name] = v
		}
		if len(got) != len(want) {
			t.Fatalf("names %v", keys.SettingNames())
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %q, want %q", k, got[k], v)
			}
		}
		if _, err := s.Get("nope"); err == nil {
			t.Error("Get of an unknown name succeeded")
		}
	})
}

// The unlock after an app 2FA code (issue 20 item 12): 2 minutes by
// default, 0 asks every time, never longer than the idle close, and a
// file from before the setting gets the default.
func TestSettings_AppCodeGrace(t *testing.T) {
	s := keys.DefaultSettings()
	if got := s.AppCodeGrace(); got != 2*time.Minute {
		t.Errorf("default %v, want 2m", got)
	}
	if err := s.Set("unlock-minutes", "0"); err != nil || s.AppCodeGrace() != 0 {
		t.Errorf("0: %v %v, want ask every time", s.AppCodeGrace(), err)
	}
	s.UnlockMinutes, s.IdleCloseMinutes = 10, 3
	if got := s.AppCodeGrace(); got != 3*time.Minute {
		t.Errorf("unlock 10, idle close 3: %v, want 3m (never past the idle close)", got)
	}
	s.IdleCloseMinutes = 0
	if got := s.AppCodeGrace(); got != 10*time.Minute {
		t.Errorf("idle close never: %v, want 10m", got)
	}
	for _, bad := range []string{"-1", "16", "two", "1.5"} {
		if err := s.Set("unlock-minutes", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	sf := settingsIn(t, nil)
	if err := os.WriteFile(sf.Path(), []byte(`{"readOnlyDays": 7}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := mustLoad(t, sf); got.UnlockMinutes != keys.DefaultUnlockMinutes {
		t.Errorf("a file from before the setting: %d, want the default", got.UnlockMinutes)
	}
}
