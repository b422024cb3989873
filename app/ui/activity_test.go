package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

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
