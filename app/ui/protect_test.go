package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/guard"
)

func TestCopySecret_asksForTheAppCodeFirst(t *testing.T) {
	f := newDemoFixture(t)
	g := guard.New(f.secrets, nil)
	enrol(t, g)
	f.mw.env.Guard = g

	rec := f.byName("koinly-tax-import")
	f.mw.showDetail(rec.ID)
	test.Tap(f.mw.detail.copyKey)
	f.wait()
	if got := f.app.Clipboard().Content(); got != "" {
		t.Error("the API key was copied without the app 2FA code")
	}
	if len(f.mw.win.Canvas().Overlays().List()) == 0 {
		t.Error("no code prompt is shown")
	}
}

// enrol turns app 2FA on for g with a first code, as Settings does.
func enrol(t *testing.T, g *guard.Guard) {
	t.Helper()
	k, err := g.BeginEnrolment("test")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	code, _ := totp.GenerateCode(k.Secret(), now)
	if err := g.ConfirmEnrolment(k, code, now); err != nil {
		t.Fatal(err)
	}
}

// enrolIn turns app 2FA on for a guard over dir, as Settings would, then
// deletes guard.json: the seed stays in the keyring.
func enrolIn(t *testing.T, f *fixture, dir string) *guard.Guard {
	t.Helper()
	enrol(t, guard.Open(dir, f.secrets, nil))
	if err := os.Remove(filepath.Join(dir, guard.StateName)); err != nil {
		t.Fatal(err)
	}
	return guard.Open(dir, f.secrets, nil) // as after a restart
}

// eventually polls cond, on the test goroutine, for up to 5 s: the keyring
// question runs on a goroutine of its own and comes back through fyne.Do.
func eventually(f *fixture, cond func() bool) bool {
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		f.wait()
		if cond() {
			return true
		}
	}
	return false
}

// TestCopySecret_guardFileLost: with guard.json deleted and the seed in
// the keyring, copying a secret still asks for the code, and Settings shows
// app 2FA as on.
func TestCopySecret_guardFileLost(t *testing.T) {
	f := newDemoFixture(t)
	f.mw.env.Guard = enrolIn(t, f, t.TempDir())
	rec := f.byName("koinly-tax-import")
	f.mw.showDetail(rec.ID)
	test.Tap(f.mw.detail.copyKey)
	if !eventually(f, func() bool { return len(f.mw.win.Canvas().Overlays().List()) > 0 }) {
		t.Error("no code prompt is shown")
	}
	if got := f.app.Clipboard().Content(); got != "" {
		t.Fatal("the API key was copied without the app 2FA code")
	}

	f.mw.showSettings()
	if !eventually(f, func() bool { return strings.HasPrefix(f.mw.settings.guardState.Text, "On") }) {
		t.Errorf("Settings says %q with the seed in the keyring", f.mw.settings.guardState.Text)
	}
}
