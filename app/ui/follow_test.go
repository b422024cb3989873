package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/internal/childtest"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

// Some tests re-run this test binary as another Keywarden process in a
// role named by childEnv; TestMain runs the role instead of the tests.
const childEnv = "KEYWARDEN_UI_CHILD"

func TestMain(m *testing.M) {
	childtest.Main(m, childEnv, map[string]func() int{"add-key": childAddKey, "idle-minutes": childIdleMinutes})
}

// childAddKey adds a key to the key list in KW_DIR, as `keywarden add` in
// a terminal does, without telling the window.
func childAddKey() int {
	store, err := vault.Open(os.Getenv("KW_DIR"))
	if err == nil {
		rec := vault.Record{ID: vault.NewID(), Name: "from a terminal", Purpose: vault.PurposeCustom,
			TwoFA: vault.TwoFANone, Status: vault.StatusActive, KeyHint: "ABCD", Created: time.Now().Add(-time.Hour)}
		err = store.Update(func(d *vault.Data) error { _, err := d.Add(rec); return err })
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// childIdleMinutes is `keywarden settings set idle-close-minutes 1` on the
// settings in KW_DIR.
func childIdleMinutes() int {
	sf := keys.OpenSettings(os.Getenv("KW_DIR"))
	sf.LegacyPath = filepath.Join(os.Getenv("KW_DIR"), "no-legacy-preferences.json")
	if err := sf.Update(func(s *keys.Settings) error { return s.Set("idle-close-minutes", "1") }); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// otherProcess runs this test binary in role over the window's folder.
func (f *fixture) otherProcess(role string) {
	f.t.Helper()
	cmd := childtest.Command(f.t, childEnv, role, "KW_DIR="+f.store.Dir())
	if out, err := cmd.CombinedOutput(); err != nil {
		f.t.Fatalf("the other process (%s) failed: %v\n%s", role, err, out)
	}
}

// within runs the window's posted UI work until cond holds, for at most d;
// it reports whether cond held.
func (f *fixture) within(d time.Duration, cond func() bool) bool {
	f.t.Helper()
	deadline := time.After(d)
	for !cond() {
		select {
		case work := <-f.posted:
			work()
		case <-deadline:
			return cond()
		}
	}
	return true
}

// newFollowFixture opens a window over one key, with the settings' legacy
// preferences looked for in a temporary folder.
func newFollowFixture(t *testing.T) *fixture {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	f := newFixture(t)
	f.addKey("koinly-tax", nil)
	return f.open()
}

// The window follows a key another process adds, within 2 s.
func TestMainWindow_followsKeysAddedElsewhere(t *testing.T) {
	f := newFollowFixture(t)
	if got := f.mw.list.count.Text; !strings.HasPrefix(got, "1 key") {
		t.Fatalf("count %q before, want 1 key", got)
	}
	start := time.Now()
	f.otherProcess("add-key")
	if !f.within(2*time.Second, func() bool { return strings.HasPrefix(f.mw.list.count.Text, "2 keys") }) {
		t.Fatalf("2 s after another process added a key, the window still says %q, want 2 keys", f.mw.list.count.Text)
	}
	t.Logf("followed after %v", time.Since(start).Round(time.Millisecond))
}

// The settings screen and the idle closer follow `keywarden settings set
// idle-close-minutes 1` made in a terminal, within 2 s.
func TestMainWindow_followsSettingsChangedElsewhere(t *testing.T) {
	f := newFollowFixture(t)
	f.mw.showSettings()
	if got := f.mw.settings.idleClose.Text; got != "10" {
		t.Fatalf("idle minutes %q before, want 10", got)
	}
	f.otherProcess("idle-minutes")
	if !f.within(2*time.Second, func() bool { return f.mw.settings != nil && f.mw.settings.idleClose.Text == "1" }) {
		t.Fatalf("2 s after another process set idle-close-minutes 1, Settings still show %q", f.mw.settings.idleClose.Text)
	}
	if got := f.mw.idle.limit(); got != time.Minute {
		t.Errorf("the idle closer's limit is %v, want 1m0s", got)
	}
}

// A key added elsewhere while the wizard holds pasted keys leaves the
// wizard as it was, and the status line says the list changed.
func TestMainWindow_followKeepsTheWizard(t *testing.T) {
	f := newFollowFixture(t)
	f.mw.onNewKey()
	wiz := f.mw.wizard
	wiz.Showcase(f.mw.records[0], vault.Secret{APIKey: "pasted", PrivateKey: "pasted too"}, 5)
	f.otherProcess("add-key")
	if !f.within(2*time.Second, func() bool { return len(f.mw.records) == 2 }) {
		t.Fatalf("2 s after another process added a key, the window has %d keys, want 2", len(f.mw.records))
	}
	if f.mw.view != viewWizard || f.mw.wizard != wiz || !wiz.HoldsKeys() {
		t.Errorf("the wizard was replaced or lost its pasted keys (view %d, same wizard %v, holds keys %v)",
			f.mw.view, f.mw.wizard == wiz, wiz.HoldsKeys())
	}
	if got, want := f.mw.status.Text, "The key list changed in another window, the tray or a terminal"; !strings.HasPrefix(got, want) {
		t.Errorf("status line %q, want it to start with %q", got, want)
	}
}

// Nothing changed elsewhere: the window's own saves coming back through
// the watch draw nothing and say nothing.
func TestMainWindow_followIgnoresItsOwnSaves(t *testing.T) {
	f := newFollowFixture(t)
	f.mw.showSettings()
	screen := f.mw.settings
	f.mw.settings.idleClose.SetText("5")
	f.mw.settings.commit()
	f.wait()
	f.mw.notice("")
	f.within(3*keys.WatchSettle+500*time.Millisecond, func() bool { return false })
	if f.mw.settings != screen || f.mw.status.Text != "" {
		t.Errorf("the window's own save redrew the settings (%v) or said %q", f.mw.settings != screen, f.mw.status.Text)
	}
}

// A dialog open over the list stays open while the list behind it follows
// a key added elsewhere, and the status line says the list changed.
func TestMainWindow_followKeepsAnOpenDialog(t *testing.T) {
	f := newFollowFixture(t)
	f.mw.showMessage("A message", "Still here.")
	top := f.mw.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog open")
	}
	f.otherProcess("add-key")
	if !f.within(2*time.Second, func() bool { return strings.HasPrefix(f.mw.list.count.Text, "2 keys") }) {
		t.Fatalf("2 s after another process added a key, the list behind the dialog says %q, want 2 keys", f.mw.list.count.Text)
	}
	if got := f.mw.win.Canvas().Overlays().Top(); got != top {
		t.Error("the open dialog was closed or replaced")
	}
	if got, want := f.mw.status.Text, "The key list changed in another window, the tray or a terminal."; got != want {
		t.Errorf("status line %q, want %q", got, want)
	}
}
