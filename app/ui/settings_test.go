package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
)

func TestSettings(t *testing.T) {
	f := newDemoFixture(t)
	f.mw.showSettings()
	s := f.mw.settings

	if !s.startAtLogin.Disabled() {
		t.Error("start at login is enabled with nothing to call")
	}
	if s.guardButton.Text == "" || !s.guardButton.Disabled() {
		t.Errorf("app 2FA without a guard: button %q enabled", s.guardButton.Text)
	}
	f.toggle(s.notifications, false)
	if f.settings().Notifications {
		t.Error("notifications still on")
	}

	// A shorter default for read-only keys makes a healthy one due.
	koinly := f.byName("koinly-tax-import") // reviewed 10 days ago, read-only
	if st := f.mw.state(koinly); st != review.StateActive {
		t.Fatalf("koinly is %s", st)
	}
	f.enter(s.readOnly, "7")
	if got := f.settings().ReadOnlyDays; got != 7 {
		t.Fatalf("read-only days %d, want 7", got)
	}
	if st := f.mw.state(koinly); st != review.StateReviewDue {
		t.Errorf("with a 7-day default koinly is %s, want due", st)
	}
	f.enter(s.readOnly, "9999")
	if got := f.settings().ReadOnlyDays; got != 7 {
		t.Errorf("an out-of-range value was saved: %d", got)
	}
	test.Tap(s.back)
	if f.mw.view != viewList {
		t.Error("Back does not return to the list")
	}
}

func TestSettings_startAtLogin(t *testing.T) {
	f := newFixture(t)
	var calls []bool
	f.env.StartAtLogin = func(on bool) error { calls = append(calls, on); return nil }
	f.open()
	f.mw.showSettings()
	f.toggle(f.mw.settings.startAtLogin, true)
	if len(calls) != 1 || !calls[0] || !f.settings().StartAtLogin {
		t.Errorf("calls %v, setting %v", calls, f.settings().StartAtLogin)
	}
}

// settings reads the settings file as another process would.
func (f *fixture) settings() keys.Settings {
	f.t.Helper()
	s, err := f.mw.keys.Settings()
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}
