package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
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
	// Issue 25: what "off" means is said where it is turned off.
	if !hasLabel(s.content, keys.NotificationsOffNote) {
		t.Error("Settings does not say what turning notifications off means")
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
	// Typing saves nothing on the way: "400" must not store "40".
	s.readOnly.SetText("")
	test.Type(s.readOnly, "400")
	f.wait()
	if got := f.settings().ReadOnlyDays; got != 90 {
		t.Fatalf("typing saved %d on the way", got)
	}
	s.readOnly.FocusLost() // leaving the field
	f.wait()
	if got := f.settings().ReadOnlyDays; got != 90 || s.problem.Hidden || !strings.Contains(s.problem.Text, "365") {
		t.Fatalf("an out-of-range value: saved %d, problem %q", got, s.problem.Text)
	}
	s.readOnly.SetText(" 7 ") // what the hint says, with the spaces a paste brings
	test.Tap(s.saveButton)
	f.wait()
	if got := f.settings().ReadOnlyDays; got != 7 || !s.problem.Hidden {
		t.Fatalf("read-only days %d, want 7 (problem %q)", got, s.problem.Text)
	}
	if st := f.mw.state(koinly); st != review.StateReviewDue {
		t.Errorf("with a 7-day default koinly is %s, want due", st)
	}
	s.idleClose.SetText("never")
	s.idleClose.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter commits
	f.wait()
	if got := f.settings().IdleCloseMinutes; got != 0 {
		t.Errorf("idle close %d, want never (0)", got)
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

// Settings are reachable before the first key, so app 2FA can be turned on
// first.
func TestEmptyState_reachesSettings(t *testing.T) {
	f := newFixture(t).open()
	test.Tap(f.mw.empty.settings)
	if f.mw.view != viewSettings || f.mw.settings == nil {
		t.Fatalf("Settings from the empty state shows view %v", f.mw.view)
	}
	test.Tap(f.mw.settings.back)
	if f.mw.body.Objects[0] != f.mw.empty.content {
		t.Error("Back from the settings does not return to the empty state")
	}
}
