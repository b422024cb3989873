package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/tray"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// reminderState reads the reminders file the tray part reads.
func (f *fixture) reminderState() remind.State {
	f.t.Helper()
	st, err := f.mw.keys.Reminders().Load()
	if err != nil {
		f.t.Fatal(err)
	}
	return st
}

func TestReminderSection_snooze(t *testing.T) {
	f := newDemoFixture(t)
	told := 0
	f.env.TellTray = func() { told++ }
	f.open()
	rec := f.byName("cointracker-portfolio") // due for review
	f.mw.showDetail(rec.ID)
	f.wait()
	s := f.mw.detail.reminders
	if s.snoozeDay.Hidden || s.snoozeDay.Disabled() || !s.unsnooze.Hidden {
		t.Fatal("the snooze buttons are not offered")
	}

	test.Tap(s.snoozeWeek)
	f.wait()
	until, ok := f.reminderState().SnoozedUntil(rec.ID, time.Now())
	if !ok || time.Until(until) < remind.SnoozeWeek-time.Minute || time.Until(until) > remind.SnoozeWeek {
		t.Fatalf("snoozed until %v (%v), want a week from now", until, ok)
	}
	if told != 1 {
		t.Errorf("the tray was told %d times, want once", told)
	}
	s = f.mw.detail.reminders
	if !strings.HasPrefix(s.snoozeText.Text, "Snoozed until ") || s.unsnooze.Hidden || !s.snoozeDay.Hidden {
		t.Errorf("after snoozing: %q, end-snooze hidden %v", s.snoozeText.Text, s.unsnooze.Hidden)
	}

	t.Run("a snooze from the tray's notification shows when the tray says so", func(t *testing.T) {
		other := f.byName("koinly-tax-import")
		f.mw.showDetail(other.ID)
		until := time.Now().Add(remind.SnoozeDay)
		if err := remind.OpenState(f.store.Dir()).Update(func(st *remind.State) { st.Snooze(other.ID, until) }); err != nil {
			t.Fatal(err)
		}
		f.mw.onMessage(tray.WindowChanged)
		f.wait()
		if got := f.mw.detail.reminders.snoozeText.Text; !strings.HasPrefix(got, "Snoozed until "+dateTime(until)) {
			t.Errorf("text %q", got)
		}
		f.mw.showDetail(rec.ID)
	})

	t.Run("ending the snooze", func(t *testing.T) {
		test.Tap(f.mw.detail.reminders.unsnooze)
		f.wait()
		if _, ok := f.reminderState().SnoozedUntil(rec.ID, time.Now()); ok {
			t.Error("still snoozed")
		}
		if s := f.mw.detail.reminders; s.snoozeDay.Hidden || !s.unsnooze.Hidden {
			t.Error("the snooze buttons are not back")
		}
	})
}

func TestReminderSection_backgroundCheck(t *testing.T) {
	f := newDemoFixture(t)
	section := func(name string) *reminderSection {
		t.Helper()
		f.mw.showDetail(f.byName(name).ID)
		f.wait()
		return f.mw.detail.reminders
	}

	t.Run("on by default for a tax import key", func(t *testing.T) {
		s := section("koinly-tax-import")
		if !s.autoCheck.Checked || s.autoCheck.Disabled() || !s.useDefault.Hidden {
			t.Errorf("checked %v, disabled %v, default button hidden %v", s.autoCheck.Checked, s.autoCheck.Disabled(), s.useDefault.Hidden)
		}
		if !strings.HasPrefix(s.checkText.Text, "On (the default)") {
			t.Errorf("text %q", s.checkText.Text)
		}
	})

	t.Run("off by default for a trading bot, and the setting says why", func(t *testing.T) {
		s := section("freqtrade-bot-vps")
		if s.autoCheck.Checked || s.autoCheck.Disabled() {
			t.Errorf("checked %v, disabled %v; want off and changeable", s.autoCheck.Checked, s.autoCheck.Disabled())
		}
		if !strings.Contains(s.checkText.Text, "trading-bot") {
			t.Errorf("text %q", s.checkText.Text)
		}
		if !hasLabel(s.content, remind.NonceRaceNote) {
			t.Error("the nonce note is not shown beside the setting")
		}
	})

	t.Run("turned on by hand, then back to the default", func(t *testing.T) {
		id := f.byName("freqtrade-bot-vps").ID
		f.toggle(f.mw.detail.reminders.autoCheck, true)
		if on, set := f.reminderState().AutoCheck[id]; !on || !set {
			t.Fatalf("saved %v (%v), want on", on, set)
		}
		s := f.mw.detail.reminders
		if !strings.HasPrefix(s.checkText.Text, "On (your choice)") || s.useDefault.Hidden {
			t.Errorf("text %q, default button hidden %v", s.checkText.Text, s.useDefault.Hidden)
		}
		test.Tap(s.useDefault)
		f.wait()
		if _, set := f.reminderState().AutoCheck[id]; set {
			t.Error("the choice is still saved")
		}
		if f.mw.detail.reminders.autoCheck.Checked {
			t.Error("the default for a bot is not back")
		}
	})

	t.Run("a key a running program uses is off by default", func(t *testing.T) {
		id := f.byName("koinly-tax-import").ID
		s := section("koinly-tax-import")
		f.toggle(s.inUse, true)
		if !f.reminderState().InUse[id] {
			t.Fatal("in use not saved")
		}
		s = f.mw.detail.reminders
		if s.autoCheck.Checked || !strings.Contains(s.checkText.Text, "running program") {
			t.Errorf("checked %v, text %q", s.autoCheck.Checked, s.checkText.Text)
		}
	})

	t.Run("a revoked key has nothing to set", func(t *testing.T) {
		s := section("3commas-bot-2023")
		if !hasLabel(s.content, retiredWords(f.byName("3commas-bot-2023"))) || hasLabel(s.content, remind.NonceRaceNote) {
			t.Error("a revoked key is offered reminders or checks")
		}
	})
}

func TestReminderSection_unreached(t *testing.T) {
	f := newDemoFixture(t)
	rec := f.byName("koinly-tax-import")
	failed := time.Now().Add(-10 * time.Minute)
	if err := f.mw.keys.Reminders().Update(func(st *remind.State) {
		st.Checked = map[string]time.Time{rec.ID: failed}
		st.Unreached = map[string]time.Time{rec.ID: failed}
	}); err != nil {
		t.Fatal(err)
	}
	f.mw.reload()
	f.wait()
	f.mw.showDetail(rec.ID)
	if got := f.mw.detail.reminders.checkText.Text; !strings.Contains(got, "got no answer") || !strings.Contains(got, dateTime(failed.Add(remind.RetryInterval))) {
		t.Errorf("text %q", got)
	}
}

func TestReminderSection_typed2FA(t *testing.T) {
	f := newFixture(t)
	rec := f.addKey("typed-2fa", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
	if err := f.store.Update(func(d *vault.Data) error {
		r, err := d.ByID(rec.ID)
		r.TwoFA = vault.TwoFATyped
		return err
	}); err != nil {
		t.Fatal(err)
	}
	f.open()
	f.mw.showDetail(rec.ID)
	s := f.mw.detail.reminders
	if s.autoCheck.Checked || !s.autoCheck.Disabled() || !strings.Contains(s.checkText.Text, "must be typed") {
		t.Errorf("checked %v, disabled %v, text %q", s.autoCheck.Checked, s.autoCheck.Disabled(), s.checkText.Text)
	}
	if s.snoozeDay.Disabled() {
		t.Error("its reminders cannot be snoozed")
	}
}

func TestReminderSection_damagedFile(t *testing.T) {
	f := newDemoFixture(t)
	path := f.mw.keys.Reminders().Path()
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	f.mw.reload()
	f.wait()
	rec := f.byName("koinly-tax-import")
	f.mw.showDetail(rec.ID)
	s := f.mw.detail.reminders
	if s.problem.Hidden || !strings.Contains(s.problem.Text, "damaged") {
		t.Fatalf("problem %q hidden %v", s.problem.Text, s.problem.Hidden)
	}
	if s.snoozeDay.Disabled() {
		t.Fatal("snoozing is not offered over a damaged file")
	}
	test.Tap(s.snoozeDay)
	f.wait()
	if _, ok := f.reminderState().SnoozedUntil(rec.ID, time.Now()); !ok {
		t.Error("the snooze was not saved over the damaged file")
	}
	if _, err := os.Stat(path + ".damaged"); err != nil {
		t.Errorf("the damaged file was not kept: %v", err)
	}
	if !f.mw.detail.reminders.problem.Hidden {
		t.Error("the problem is still shown after a good save")
	}
}

func TestReminderSection_unsavable(t *testing.T) {
	f := newDemoFixture(t)
	rec := f.byName("koinly-tax-import")
	f.mw.showDetail(rec.ID)
	f.wait()
	// A folder where the lock file goes: the file reads, but cannot be
	// locked for a change, even by root.
	if err := os.Mkdir(filepath.Join(f.store.Dir(), remind.LockName), 0o700); err != nil {
		t.Fatal(err)
	}
	test.Tap(f.mw.detail.reminders.snoozeDay)
	f.wait()
	if !strings.Contains(f.mw.lastMessage, "could not save to its reminders file") {
		t.Errorf("message %q", f.mw.lastMessage)
	}
	if s := f.mw.detail.reminders; s.snoozeDay.Hidden || s.snoozeDay.Disabled() {
		t.Error("the snooze is not offered again after the failure")
	}
}

func TestReminderSection_unreadable(t *testing.T) {
	f := newDemoFixture(t)
	if err := os.Mkdir(f.mw.keys.Reminders().Path(), 0o700); err != nil {
		t.Fatal(err)
	}
	f.mw.reload()
	f.wait()
	f.mw.showDetail(f.byName("koinly-tax-import").ID)
	f.wait()
	s := f.mw.detail.reminders
	if s.problem.Hidden || !strings.Contains(s.problem.Text, "could not read its reminders file") {
		t.Errorf("problem %q hidden %v", s.problem.Text, s.problem.Hidden)
	}
	if !s.snoozeDay.Disabled() || !s.autoCheck.Disabled() || !s.inUse.Disabled() {
		t.Error("changes are offered over a file that cannot be read")
	}
}

func TestKeyDetail_scrollToReminders(t *testing.T) {
	f := newDemoFixture(t)
	f.mw.showDetail(f.byName("freqtrade-bot-vps").ID)
	d := f.mw.detail
	d.scrollToReminders()
	if d.scroll.Offset.Y <= 0 {
		t.Fatalf("offset %v: the reminders are not scrolled to", d.scroll.Offset)
	}
	top := f.app.Driver().AbsolutePositionForObject(d.scroll)
	at := f.app.Driver().AbsolutePositionForObject(d.remindersHeading)
	if at.Y-top.Y > 1 || at.Y < top.Y {
		t.Errorf("the heading is %v below the top of the scroll", at.Y-top.Y)
	}
}
