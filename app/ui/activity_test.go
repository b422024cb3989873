package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/keywarden/keywarden/app/tray"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// demoWithdrawal is the demo's suspicious withdrawal, made now.
func (f *fixture) demoWithdrawal() krakentest.LedgerEntry {
	return f.ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "withdrawal", Asset: "XXBT", Amount: "-0.5000000000", Time: time.Now().Add(time.Second)})
}

func TestActivity_notMeOpensTheRunbookOfTheKeyThatCould(t *testing.T) {
	f := newDemoFixture(t)
	f.demoWithdrawal()
	f.mw.showActivity()
	f.wait()
	a := f.mw.activityDlg
	if a == nil || len(a.lines) != 1 || !strings.Contains(a.lines[0].Text, "0.5 BTC withdrawn at") || !strings.Contains(a.lines[0].Text, "was this you?") {
		t.Fatalf("the Activity dialog does not ask about the withdrawal: %+v", a)
	}
	test.Tap(a.notMe[0])
	f.wait()
	bot := f.byName("freqtrade-bot-vps")
	if f.mw.view != viewRevoke || f.mw.viewID != bot.ID {
		t.Errorf("Not me showed view %v of %q, want the leak runbook of the freqtrade key (it may withdraw)", f.mw.view, f.mw.viewID)
	}
	st, err := f.mw.keys.Activity()
	if err != nil || len(st.Questions) != 0 || len(st.Answers) != 1 || st.Answers[0].Me {
		t.Errorf("after Not me: %+v, %v; want the question closed with a Not me", st, err)
	}
}

func TestActivity_itWasMeIsRemembered(t *testing.T) {
	f := newDemoFixture(t)
	f.demoWithdrawal()
	f.mw.showActivity()
	f.wait()
	test.Tap(f.mw.activityDlg.me[0])
	f.wait()
	f.mw.showActivity()
	f.wait()
	if n := len(f.mw.activityDlg.lines); n != 0 {
		t.Errorf("asked again after It was me: %d questions", n)
	}
}

func TestActivity_runbookListsTheLedgerSinceTheLastGoodCheck(t *testing.T) {
	f := newDemoFixture(t)
	w := f.demoWithdrawal()
	bot := f.byName("freqtrade-bot-vps")
	if got := knownGood(bot, time.Now()); !got.Equal(bot.LastCheck.At) {
		t.Errorf("known-good moment = %s, want the last good check %s", got, bot.LastCheck.At)
	}
	f.mw.showRevoke(bot.ID, true)
	f.wait()
	list, err := f.mw.keys.ActivitySince(t.Context(), bot.Account, knownGood(bot, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	f.mw.showLedger(list, knownGood(bot, time.Now()), nil)
	if len(f.mw.ledgerLines) != 1 || !strings.Contains(f.mw.ledgerLines[0], "needs your answer") {
		t.Errorf("marked entries = %q, want the withdrawal %s", f.mw.ledgerLines, w.ID)
	}
}

func TestActivity_wizardWatchPurposeMakesTheWatchKey(t *testing.T) {
	f := newFixture(t)
	watch := f.addKey("watch", []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}, kraken.QueryFunds, kraken.QueryLedger)
	bot := f.addKey("bot", []kraken.Permission{kraken.QueryLedger, kraken.ModifyTrades}, kraken.QueryLedger)
	f.open()
	watch.Purpose, bot.Purpose = vault.PurposeWatch, vault.PurposeWatch
	if msg := f.mw.watchIfMeant(bot); !strings.Contains(msg, "does not watch the account") || !strings.Contains(msg, "Create & modify orders") {
		t.Errorf("a watch-purpose key that may trade: %q, want refused", msg)
	}
	if msg := f.mw.watchIfMeant(watch); !strings.Contains(msg, "now watches the account") {
		t.Errorf("the watch key: %q", msg)
	}
	if st, err := f.mw.keys.Activity(); err != nil || len(st.Watches) != 1 || st.Watches[0].KeyID != watch.ID {
		t.Errorf("watches = %+v, %v; want the watch key", st.Watches, err)
	}
}

func TestActivity_demoAsksWhenTheWithdrawalComesIn(t *testing.T) {
	f := newDemoFixture(t)
	f.demoWithdrawal()
	f.mw.askAboutActivity()
	f.wait()
	if a := f.mw.activityDlg; a == nil || len(a.lines) != 1 {
		t.Fatalf("Activity did not open on the withdrawal: %+v", a)
	}
	if !strings.Contains(f.mw.status.Text, "1 entry of your account's ledger needs your answer") {
		t.Errorf("status line %q", f.mw.status.Text)
	}
}

// Issue 22: the tray's notification asks the window (`open not-me REFID`)
// for "Not me" on one entry, and (`open activity`) for Activity.
func TestActivity_trayOpensNotMeAndActivity(t *testing.T) {
	f := newDemoFixture(t)
	w := f.demoWithdrawal()
	f.mw.lookAtActivity(true) // the tray part's poll: the question is open
	f.wait()

	f.mw.onMessage(tray.WindowOpen + " " + tray.WindowNotMe + " ../" + w.RefID)
	f.wait()
	if st, _ := f.mw.keys.Activity(); len(st.Questions) != 1 {
		t.Fatalf("a malformed refid answered: open %+v", st.Questions)
	}

	f.mw.onMessage(tray.WindowOpen + " " + tray.WindowNotMe + " " + w.RefID)
	f.wait()
	bot := f.byName("freqtrade-bot-vps")
	if f.mw.view != viewRevoke || f.mw.viewID != bot.ID {
		t.Errorf("Not me from the tray showed view %v of %q, want the leak runbook of the freqtrade key (it may withdraw)", f.mw.view, f.mw.viewID)
	}
	st, err := f.mw.keys.Activity()
	if err != nil || len(st.Questions) != 0 || len(st.Answers) != 1 || st.Answers[0].Me || st.Answers[0].RefID != w.RefID {
		t.Errorf("after Not me from the tray: %+v, %v; want the question closed with a Not me", st, err)
	}

	f.mw.activityDlg = nil
	f.mw.onMessage(tray.WindowOpen + " " + tray.WindowNotMe + " " + w.RefID) // answered already
	f.wait()
	if f.mw.activityDlg == nil || len(f.mw.activityDlg.lines) != 0 {
		t.Errorf("Not me on an answered entry: Activity %+v; want Activity with nothing to answer", f.mw.activityDlg)
	}
	if st, _ := f.mw.keys.Activity(); len(st.Answers) != 1 {
		t.Errorf("answers %+v, want exactly the one Not me (none twice)", st.Answers)
	}

	f.mw.activityDlg = nil
	f.mw.onMessage(tray.WindowOpen + " " + tray.WindowActivity)
	f.wait()
	if f.mw.activityDlg == nil {
		t.Error("open activity did not show Activity")
	}
}

// With no key that could have done it, Not me from the tray says the
// website login is the likely door.
func TestActivity_trayNotMeWithNoKeyThatCould(t *testing.T) {
	f := newDemoFixture(t)
	bot := f.byName("freqtrade-bot-vps")
	if err := f.mw.keys.Remove(bot.ID); err != nil {
		t.Fatal(err)
	}
	w := f.demoWithdrawal()
	f.mw.lookAtActivity(true)
	f.wait()
	f.mw.onMessage(tray.WindowOpen + " " + tray.WindowNotMe + " " + w.RefID)
	f.wait()
	if f.mw.view == viewRevoke {
		t.Errorf("a leak runbook opened (%q), though no key may withdraw", f.mw.viewID)
	}
	if !strings.Contains(f.mw.lastMessage, "someone probably signed in to your Kraken account") {
		t.Error("Not me did not say the website login is the likely door")
	}
}

// Issue 22: a watch key marked leaked stops the watch, and Activity says
// so, with what to do.
func TestActivity_saysTheWatchStopped(t *testing.T) {
	f := newDemoFixture(t)
	st, err := f.mw.keys.Activity()
	if err != nil || len(st.Watches) != 1 {
		t.Fatalf("the demo watches %+v, %v; want one account", st.Watches, err)
	}
	if _, err := f.mw.keys.MarkCompromised(st.Watches[0].KeyID, "test"); err != nil {
		t.Fatal(err)
	}
	f.mw.showActivity()
	f.wait()
	a := f.mw.activityDlg
	if a == nil || len(a.stopped) != 1 || !strings.Contains(a.stopped[0], "stopped") || !strings.Contains(a.stopped[0], "keywarden watch NAME") {
		t.Errorf("Activity shows %+v; want the stop, with what to do", a)
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Time // zero: refused
	}{
		{"2026-03-01 14:05", time.Date(2026, 3, 1, 14, 5, 0, 0, time.UTC)},
		{" 2026-03-01 ", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"2026-03-10", time.Time{}}, // the future
		{"yesterday", time.Time{}},  // not a date
		{"01/03/2026", time.Time{}}, // ambiguous: refused
		{"2026-03-01 25:00", time.Time{}},
	} {
		got, problem := parseSince(tc.in, now, time.UTC)
		if !got.Equal(tc.want) || (problem == "") != !tc.want.IsZero() {
			t.Errorf("parseSince(%q) = %v, %q; want %v", tc.in, got, problem, tc.want)
		}
	}
}

// Issue 22: the runbook's activity step reads from the start the person
// picks; the default is the leaked key's last good check, and a start that
// is not a date is refused in words, the typing kept.
func TestActivity_runbookReadsFromTheStartThePersonPicks(t *testing.T) {
	f := newDemoFixture(t)
	w := f.demoWithdrawal()
	bot := f.byName("freqtrade-bot-vps")
	p := f.mw.newLedgerPicker(bot)
	if want := knownGood(bot, time.Now()).Local().Format(sinceLayout); p.from.Text != want {
		t.Errorf("the start shows %q, want the last good check %q", p.from.Text, want)
	}

	p.from.SetText("last tuesday")
	test.Tap(p.read)
	f.wait()
	if p.from.Text != "last tuesday" || !strings.Contains(f.mw.lastMessage, "Type the start as a date") {
		t.Errorf("a start that is no date: field %q, message %q; want it kept and refused in words", p.from.Text, f.mw.lastMessage)
	}

	picked := time.Now().Add(-48 * time.Hour).Local().Truncate(time.Minute)
	p.from.SetText(picked.Format(sinceLayout))
	test.Tap(p.read)
	f.wait()
	if !p.since.Equal(picked) {
		t.Errorf("read since %v, want the picked %v", p.since, picked)
	}
	if len(f.mw.ledgerLines) != 1 || !strings.Contains(f.mw.ledgerLines[0], "needs your answer") {
		t.Errorf("marked entries = %q, want the withdrawal %s", f.mw.ledgerLines, w.ID)
	}
}

// keywarden demo --show activity (make screenshots): the demo's withdrawal
// at once, and Activity asking about it.
func TestDemoShowActivity(t *testing.T) {
	if _, err := parseDemoArgs([]string{"--show", "activity:koinly"}); err == nil {
		t.Error("--show activity took a key name")
	}
	o, err := parseDemoArgs([]string{"--show", "activity"})
	if err != nil {
		t.Fatal(err)
	}
	f := newDemoFixture(t)
	o.exchange = f.ex
	open, err := f.mw.screenOpener(o)
	if err != nil {
		t.Fatal(err)
	}
	open()
	f.wait()
	if a := f.mw.activityDlg; a == nil || len(a.lines) != 1 || !strings.Contains(a.lines[0].Text, "0.5 BTC withdrawn") {
		t.Errorf("--show activity shows %+v; want Activity asking about the withdrawal", a)
	}
}
