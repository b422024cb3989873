package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/autostart"
	"github.com/keywarden/keywarden/app/tray"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

func TestParseOpen(t *testing.T) {
	tests := []struct {
		args   []string
		id     string
		isOpen bool
		bad    bool
	}{
		{args: nil},
		{args: []string{"demo"}},
		{args: []string{"open", "0123456789abcdef"}, id: "0123456789abcdef", isOpen: true},
		{args: []string{"open"}, isOpen: true, bad: true},
		{args: []string{"open", "a", "b"}, isOpen: true, bad: true},
		{args: []string{"open", "k1 show"}, isOpen: true, bad: true},
		{args: []string{"open", strings.Repeat("a", 65)}, isOpen: true, bad: true},
		{args: []string{"open", "activity"}, id: "activity", isOpen: true},
		{args: []string{"open", "not-me", "TJKLXX-PNEPJ-ZJIBTY"}, id: "not-me TJKLXX-PNEPJ-ZJIBTY", isOpen: true},
		{args: []string{"open", "not-me"}, isOpen: true, bad: true},
		{args: []string{"open", "not-me", "../x"}, isOpen: true, bad: true},
		{args: []string{"open", "not-me", "R1", "R2"}, isOpen: true, bad: true},
		{args: []string{"open", "activity", "R1"}, isOpen: true, bad: true},
	}
	for _, tt := range tests {
		id, isOpen, err := parseOpen(tt.args)
		if id != tt.id || isOpen != tt.isOpen || (err != nil) != tt.bad {
			t.Errorf("parseOpen(%q) = %q, %v, %v; want %q, %v, error %v", tt.args, id, isOpen, err, tt.id, tt.isOpen, tt.bad)
		}
	}
}

func TestMainWindow_onMessage(t *testing.T) {
	f := newFixture(t)
	a := f.addKey("koinly-tax", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
	loaded := 0
	f.env.Loaded = func() { loaded++ }
	f.open()

	f.mw.onMessage("open " + a.ID)
	f.wait()
	if f.mw.view != viewReview || f.mw.viewID != a.ID {
		t.Errorf("after open: view %v %q, want the review of %s", f.mw.view, f.mw.viewID, a.ID)
	}

	t.Run("a key the tray knows and the window not yet is read first", func(t *testing.T) {
		b := f.addKey("cointracker", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
		f.mw.onMessage("open " + b.ID)
		f.wait()
		if f.mw.view != viewReview || f.mw.viewID != b.ID {
			t.Errorf("view %v %q, want the review of %s", f.mw.view, f.mw.viewID, b.ID)
		}
	})
	t.Run("a revoked key has no review: its detail shows", func(t *testing.T) {
		b := f.addKey("old-script", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
		if err := f.store.Update(func(d *vault.Data) error {
			r, err := d.ByID(b.ID)
			r.Status = vault.StatusRevoked
			return err
		}); err != nil {
			t.Fatal(err)
		}
		f.mw.onMessage("open " + b.ID)
		f.wait()
		if f.mw.view != viewDetail || f.mw.viewID != b.ID {
			t.Errorf("view %v %q, want the detail of %s", f.mw.view, f.mw.viewID, b.ID)
		}
	})
	t.Run("changed: the key list is read again", func(t *testing.T) {
		before := loaded
		f.mw.onMessage(tray.WindowChanged)
		f.wait()
		if loaded != before+1 {
			t.Errorf("Loaded called %d times, want once", loaded-before)
		}
	})
	t.Run("unknown or bad messages change nothing", func(t *testing.T) {
		f.mw.onMessage("open ../../etc")
		f.mw.onMessage("dance")
		f.wait()
		if f.mw.view != viewDetail {
			t.Errorf("view %v", f.mw.view)
		}
	})
	f.mw.onMessage(tray.WindowShow) // must not panic on the test driver
}

func TestClaimWindow(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	var stderr bytes.Buffer
	first, code := claimWindow("", &stderr)
	if code != -1 || first == nil {
		t.Fatalf("the first window: code %d, instance %v", code, first)
	}
	defer first.Close()

	second, code := claimWindow("0123456789abcdef", &stderr)
	if code != 0 || second != nil || stderr.Len() > 0 {
		t.Fatalf("the second start: code %d, instance %v, %q; want 0 and a hand-over", code, second, stderr.String())
	}
	select {
	case msg := <-first.Messages():
		if msg != "open 0123456789abcdef" {
			t.Errorf("the first window got %q", msg)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first window heard nothing")
	}
}

func TestSetStartAtLogin(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_DIRS", t.TempDir())
	exe := "/opt/keywarden/keywarden"
	if err := setStartAtLogin(exe, true); err != nil {
		t.Fatal(err)
	}
	entry, err := os.ReadFile(filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "autostart", autostart.ID+".desktop"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(entry), "Exec="+exe+" tray") {
		t.Errorf("the autostart entry does not start the tray part:\n%s", entry)
	}
	if on, err := autostart.Enabled(); !on || err != nil {
		t.Errorf("Enabled = %v, %v after turning it on", on, err)
	}
	if err := setStartAtLogin(exe, false); err != nil {
		t.Fatal(err)
	}
	if on, err := autostart.Enabled(); on || err != nil {
		t.Errorf("Enabled = %v, %v after turning it off", on, err)
	}
}
