package keys_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

var watchPerms = []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}

// activityFixture is a fixture on a Pro account (its counter decays fastest),
// with a watch key chosen; past is a moment before the watch began.
func activityFixture(t *testing.T) (*fixture, vault.Record) {
	t.Helper()
	f := newFixture(t)
	f.svc = keys.New(keys.Params{Store: f.store, Secrets: f.secrets, Now: f.now, Settings: testSettings(f.store.Dir(), f.dir),
		Runner: &check.Runner{Secrets: f.secrets, BaseURL: f.ex.URL(), Tier: kraken.Pro}})
	w := f.addWith(t, "watch", watchPerms, vault.PurposeCustom)
	if _, err := f.svc.SetWatchKey(context.Background(), w.ID); err != nil {
		t.Fatalf("SetWatchKey: %v", err)
	}
	return f, w
}

// addWith adds a key with the given permissions, verified on the exchange.
func (f *fixture) addWith(t *testing.T, name string, perms []kraken.Permission, purpose vault.Purpose) vault.Record {
	t.Helper()
	_, sec := f.exchangeKey(krakentest.Key{Name: name, Permissions: perms, Tier: kraken.Pro})
	nk := newKey(name, sec)
	nk.Record.Intended, nk.Record.Purpose = perms, purpose
	rec, err := f.svc.Add(context.Background(), nk)
	if err != nil {
		t.Fatalf("Add %q: %v", name, err)
	}
	if rec, _, err = f.svc.Check(context.Background(), rec.ID, ""); err != nil {
		t.Fatalf("Check %q: %v", name, err)
	}
	return rec
}

// ledgerEntry writes an entry made after the watch began.
func (f *fixture) ledgerEntry(kind, asset, amount string) krakentest.LedgerEntry {
	return f.ex.AddLedgerEntry(krakentest.LedgerEntry{Type: kind, Asset: asset, Amount: amount, Time: time.Now().Add(2 * time.Second)})
}

func poll(t *testing.T, f *fixture) keys.AccountPoll {
	t.Helper()
	polls, err := f.svc.PollActivity(context.Background())
	if err != nil || len(polls) != 1 {
		t.Fatalf("PollActivity = %+v, %v; want one account", polls, err)
	}
	return polls[0]
}

func TestService_WatchKeyRefusesMoreThanQueries(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name  string
		perms []kraken.Permission
		want  string
	}{
		{"trader", []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger, kraken.ModifyTrades}, "Orders and trades – Create & modify orders"},
		{"withdrawer", []kraken.Permission{kraken.QueryLedger, kraken.WithdrawFunds}, "Funds – Withdraw"},
		{"websocket", []kraken.Permission{kraken.QueryLedger, kraken.CreateWSToken}, "WebSocket"},
		{"blind", []kraken.Permission{kraken.QueryFunds}, "cannot read the ledger"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Intended says read-only: only what Kraken verifies counts.
			_, sec := f.exchangeKey(krakentest.Key{Name: tc.name, Permissions: tc.perms})
			nk := newKey(tc.name, sec)
			nk.Record.Intended = watchPerms
			rec, err := f.svc.Add(context.Background(), nk)
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.SetWatchKey(context.Background(), rec.ID)
			var refused *keys.WatchRefusedError
			if !errors.As(err, &refused) {
				t.Fatalf("SetWatchKey = %v, want refused", err)
			}
			if msg := keys.UserMessage(err); !strings.Contains(msg, tc.want) {
				t.Errorf("message %q does not say %q", msg, tc.want)
			}
			if st, _ := f.svc.Activity(); len(st.Watches) != 0 {
				t.Errorf("a refused key became the watch key: %+v", st.Watches)
			}
		})
	}
}

func TestService_PollAsksOnceAboutAWithdrawalNoKeyExplains(t *testing.T) {
	f, _ := activityFixture(t)
	f.addWith(t, "tax", vault.PurposeTaxImport.LeastPermissions(), vault.PurposeTaxImport)
	before := f.ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "withdrawal", Asset: "XXBT", Amount: "-9", Time: time.Now().Add(-time.Hour)})
	w := f.ledgerEntry("withdrawal", "XXBT", "-0.5000000000")

	p := poll(t, f)
	if p.Err != nil || p.Calls != 1 || len(p.Read) != 1 || len(p.New) != 1 {
		t.Fatalf("first poll = %+v, want one call, one entry read, one question", p)
	}
	q := p.New[0]
	if q.RefID != w.RefID || !q.Verdict.Ask || len(q.Verdict.Could) != 0 {
		t.Errorf("question = %+v, want the withdrawal, asked, no key that could", q)
	}
	if q.LedgerID == before.ID {
		t.Error("an entry from before the watch began was read")
	}
	if again := poll(t, f); len(again.Read) != 0 || len(again.New) != 0 {
		t.Errorf("second poll = %+v, want nothing new", again)
	}
	st, _ := f.svc.Activity()
	if len(st.Questions) != 1 {
		t.Fatalf("open questions = %+v, want the one", st.Questions)
	}

	closed, err := f.svc.AnswerActivity(w.RefID, true)
	if err != nil || len(closed) != 1 {
		t.Fatalf("AnswerActivity = %+v, %v", closed, err)
	}
	st, _ = f.svc.Activity()
	if len(st.Questions) != 0 || !st.Answered("", w.RefID) {
		t.Errorf("after It was me: questions %+v, answers %+v", st.Questions, st.Answers)
	}
	// The withdrawal's fee line, same refid: never asked again.
	f.ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "withdrawal", RefID: w.RefID, Asset: "XXBT", Amount: "-0.0001", Time: time.Now().Add(3 * time.Second)})
	if p := poll(t, f); len(p.Read) != 1 || len(p.New) != 0 || !p.Read[0].Answered {
		t.Errorf("poll after the answer = %+v, want the line read, answered, not asked", p)
	}
	if _, err := f.svc.AnswerActivity("NO-SUCH-REF", true); err == nil {
		t.Error("an answer for an unknown reference was taken")
	}
}

func TestService_PollAsksAboutATradeWhenEveryTradingKeyIsParked(t *testing.T) {
	f, _ := activityFixture(t)
	bot := f.addWith(t, "bot", vault.PurposeTradingBot.LeastPermissions(), vault.PurposeTradingBot)
	f.ledgerEntry("trade", "XXBT", "0.1")
	if p := poll(t, f); len(p.Read) != 1 || len(p.New) != 0 {
		t.Fatalf("a trade with an active trading key: %+v, want read, not asked", p)
	}
	if _, err := f.svc.Edit(bot.ID, keys.Edit{Name: bot.Name, Parked: true}); err != nil {
		t.Fatal(err)
	}
	f.ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "trade", Asset: "ZUSD", Amount: "-5000", Time: time.Now().Add(4 * time.Second)})
	p := poll(t, f)
	if len(p.New) != 1 {
		t.Fatalf("a trade with the trading key parked: %+v, want one question", p)
	}
	v := p.New[0].Verdict
	if !strings.Contains(v.Why, "parked") || len(v.Could) != 1 || v.Could[0] != bot.ID {
		t.Errorf("verdict = %+v, want it to name the parked bot as the key that could", v)
	}
}

func TestService_PollReads120EntriesAcrossThreePagesOnce(t *testing.T) {
	f, _ := activityFixture(t)
	base := time.Now().Add(2 * time.Second)
	for i := range 120 {
		f.ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "trade", Asset: "XXBT", Amount: fmt.Sprintf("0.%03d", i+1), Time: base.Add(time.Duration(i) * time.Millisecond * 10)})
	}
	p := poll(t, f)
	if p.Err != nil || p.More {
		t.Fatalf("poll = err %v, more %v", p.Err, p.More)
	}
	seen := map[string]int{}
	for _, r := range p.Read {
		seen[r.Entry.ID]++
	}
	if p.Calls != 3 || len(p.Read) != 120 || len(seen) != 120 {
		t.Errorf("%d calls read %d entries (%d different), want 3 calls and 120 once each", p.Calls, len(p.Read), len(seen))
	}
	if again := poll(t, f); again.Calls != 1 || len(again.Read) != 0 {
		t.Errorf("the next poll: %d calls, %d entries, want 1 and none", again.Calls, len(again.Read))
	}
}

func TestService_PollGoesOnNextTimeWhenThereIsMore(t *testing.T) {
	f, _ := activityFixture(t)
	base := time.Now().Add(2 * time.Second)
	for i := range 200 {
		f.ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "trade", Asset: "XXBT", Amount: "0.1", Time: base.Add(time.Duration(i) * time.Second)})
	}
	first := poll(t, f)
	if first.Calls != keys.MaxLedgerCallsPerPoll || len(first.Read) != 150 || !first.More {
		t.Fatalf("first poll: %d calls, %d entries, more %v; want %d, 150, true", first.Calls, len(first.Read), first.More, keys.MaxLedgerCallsPerPoll)
	}
	late := f.ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "withdrawal", Asset: "XXBT", Amount: "-1", Time: base.Add(time.Hour)})
	seen := map[string]bool{}
	for _, r := range first.Read {
		seen[r.Entry.ID] = true
	}
	second := poll(t, f)
	for _, r := range second.Read {
		if seen[r.Entry.ID] {
			t.Errorf("%s read twice", r.Entry.ID)
		}
		seen[r.Entry.ID] = true
	}
	if len(seen) != 200 || second.More {
		t.Fatalf("after two polls %d entries read, more %v; want 200 and done", len(seen), second.More)
	}
	third := poll(t, f)
	if len(third.Read) != 1 || third.Read[0].Entry.ID != late.ID || len(third.New) != 1 {
		t.Errorf("third poll = %+v, want the withdrawal made during the pass, asked", third)
	}
}

func TestService_PollStopsOnTooManyRequests(t *testing.T) {
	f, _ := activityFixture(t)
	w := f.ledgerEntry("withdrawal", "XXBT", "-0.5")
	f.ex.FailWith("Ledgers", "EGeneral:Too many requests")
	p := poll(t, f)
	if !errors.Is(p.Err, kraken.ErrThrottled) || p.Calls != 1 || len(p.Read) != 0 {
		t.Fatalf("poll while throttled = %+v, want stopped after one call", p)
	}
	st, _ := f.svc.Activity()
	if st.Watches[0].LastProblem == "" {
		t.Error("the stop is not recorded for the faces to show")
	}
	f.ex.FailWith("Ledgers")
	if p := poll(t, f); len(p.New) != 1 || p.New[0].RefID != w.RefID {
		t.Errorf("the next poll = %+v, want the withdrawal read from where it stopped", p)
	}
}

func TestService_ActivitySinceListsWithVerdicts(t *testing.T) {
	f, _ := activityFixture(t)
	f.addWith(t, "bot", vault.PurposeTradingBot.LeastPermissions(), vault.PurposeTradingBot)
	old := f.ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "withdrawal", Asset: "XXBT", Amount: "-2", Time: time.Now().Add(-2 * time.Hour)})
	f.ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "trade", Asset: "XXBT", Amount: "0.1", Time: time.Now().Add(-time.Hour)})
	list, err := f.svc.ActivitySince(context.Background(), "", time.Now().Add(-3*time.Hour))
	if err != nil || len(list.Entries) != 2 {
		t.Fatalf("ActivitySince = %+v, %v; want two entries", list, err)
	}
	if e := list.Entries[1]; e.Entry.ID != old.ID || !e.Verdict.Ask {
		t.Errorf("the withdrawal = %+v, want it marked as needing an answer", e)
	}
	if list.Entries[0].Verdict.Ask {
		t.Errorf("the trade = %+v, want it explained by the bot", list.Entries[0])
	}
	if st, _ := f.svc.Activity(); len(st.Questions) != 0 {
		t.Errorf("a listing opened questions: %+v", st.Questions)
	}
}

func TestActivityFile_DamagedIsSetAside(t *testing.T) {
	dir := t.TempDir()
	af := keys.OpenActivity(dir)
	if err := os.WriteFile(af.Path(), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := af.Load(); !errors.Is(err, keys.ErrActivityDamaged) {
		t.Fatalf("Load of a damaged file = %v, want ErrActivityDamaged", err)
	}
	if msg := keys.UserMessage(fmt.Errorf("x: %w", &keys.ActivityDamagedError{Path: af.Path(), Reason: "r"})); !strings.Contains(msg, "keywarden watch NAME") {
		t.Errorf("message %q does not say how to turn the watch back on", msg)
	}
	err := af.Update(func(st *keys.ActivityState) error {
		st.Watches = append(st.Watches, keys.AccountWatch{KeyID: "k"})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, keys.ActivityDamagedName)); err != nil || string(b) != "{not json" {
		t.Errorf("the damaged file was not kept: %q, %v", b, err)
	}
	fi, err := os.Stat(af.Path())
	if err != nil || (fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows") { // Windows has no mode bits
		t.Errorf("activity.json: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	if st, err := af.Load(); err != nil || len(st.Watches) != 1 {
		t.Errorf("after the save: %+v, %v", st, err)
	}
	big := make([]byte, keys.MaxActivityFile+1)
	if err := os.WriteFile(af.Path(), big, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := af.Load(); !errors.Is(err, keys.ErrActivityDamaged) {
		t.Errorf("Load of an oversized file = %v, want it refused unread as damaged", err)
	}
}

func TestService_PollDoesNotStickOnALastIDTheExchangeRefuses(t *testing.T) {
	f, _ := activityFixture(t)
	f.ledgerEntry("trade", "XXBT", "0.1")
	poll(t, f)
	err := keys.OpenActivity(f.store.Dir()).Update(func(st *keys.ActivityState) error {
		st.Watches[0].LastID = "LGONE0-NOSUCH-ENTRY0"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := poll(t, f); !errors.Is(p.Err, kraken.ErrInvalidArguments) {
		t.Fatalf("poll from an unknown ledger ID = %+v, want the exchange's refusal", p)
	}
	w := f.ledgerEntry("withdrawal", "XXBT", "-1")
	if p := poll(t, f); p.Err != nil || len(p.New) != 1 || p.New[0].RefID != w.RefID {
		t.Errorf("the poll after = %+v, want it to go on from the time and ask about the withdrawal", p)
	}
}

// Issue 22: when the watch key stops qualifying, the watch says so once,
// with what to do, and a poll that reads again clears it.
func TestService_WatchStopIsRecordedOnceWithWhatToDo(t *testing.T) {
	f, w := activityFixture(t)
	stopped := func() keys.AccountWatch {
		t.Helper()
		st, err := f.svc.Activity()
		if err != nil || len(st.Watches) != 1 {
			t.Fatalf("Activity = %+v, %v", st, err)
		}
		return st.Watches[0]
	}

	t.Run("the exchange refusing the key twice in a row stops the watch", func(t *testing.T) {
		f.ex.FailWith("Ledgers", "EGeneral:Permission denied")
		poll(t, f)
		if s := stopped(); s.Stopped != "" || s.Denied != 1 {
			t.Errorf("after one refusal: stopped %q, denied %d; want not yet, 1", s.Stopped, s.Denied)
		}
		poll(t, f)
		s := stopped()
		if !strings.Contains(s.Stopped, "stopped: Kraken refused its watch key at the last 2 reads") || !strings.Contains(s.Stopped, "keywarden watch NAME") || s.StoppedTold {
			t.Fatalf("after two refusals: stopped %q, told %v; want why and what to do, not told yet", s.Stopped, s.StoppedTold)
		}
		if err := f.svc.MarkStopTold([]string{w.Account}); err != nil {
			t.Fatal(err)
		}
		poll(t, f)
		if s := stopped(); !s.StoppedTold || s.Stopped == "" {
			t.Errorf("a third refusal: stopped %q, told %v; want still stopped, and told once only", s.Stopped, s.StoppedTold)
		}
	})

	t.Run("a read to the end clears it", func(t *testing.T) {
		f.ex.FailWith("Ledgers")
		if p := poll(t, f); p.Err != nil {
			t.Fatal(p.Err)
		}
		if s := stopped(); s.Stopped != "" || s.StoppedTold || s.Denied != 0 {
			t.Errorf("after a good read: %+v; want the stop cleared", s)
		}
	})

	t.Run("a watch key marked leaked stops it at once", func(t *testing.T) {
		if _, err := f.svc.MarkCompromised(w.ID, "test"); err != nil {
			t.Fatal(err)
		}
		calls := len(f.ex.Calls())
		poll(t, f)
		s := stopped()
		if !strings.Contains(s.Stopped, "“watch” no longer qualifies: only an active key can watch the account") || !strings.Contains(s.Stopped, "keywarden watch NAME") {
			t.Errorf("stopped %q; want why, and what to do", s.Stopped)
		}
		if n := len(f.ex.Calls()) - calls; n != 0 {
			t.Errorf("%d calls with a leaked watch key, want none", n)
		}
	})

	t.Run("a removed watch key stops it", func(t *testing.T) {
		if err := f.svc.Remove(w.ID); err != nil {
			t.Fatal(err)
		}
		poll(t, f)
		if s := stopped(); !strings.Contains(s.Stopped, "its watch key is no longer in Keywarden") {
			t.Errorf("stopped %q; want it to say the key is gone", s.Stopped)
		}
	})
}
