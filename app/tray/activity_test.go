package tray

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// watchedHarness is a tray harness whose service talks to a simulated
// exchange and has a watch key.
func watchedHarness(t *testing.T) (*trayHarness, *krakentest.Exchange) {
	t.Helper()
	h := newTrayHarness(t)
	ex := krakentest.New()
	t.Cleanup(ex.Close)
	secrets := vault.NewMemory()
	h.useService(secrets, &check.Runner{Secrets: secrets, BaseURL: ex.URL()})
	k := ex.AddKey(krakentest.Key{Name: "watch", Permissions: []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}})
	rec, err := h.svc.Add(context.Background(), keys.NewKey{
		Record: vault.Record{Name: "watch", Purpose: vault.PurposeCustom, TwoFA: vault.TwoFANone, Intended: []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}},
		Secret: vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.SetWatchKey(context.Background(), rec.ID); err != nil {
		t.Fatal(err)
	}
	return h, ex
}

func TestTray_pollWatchNotifiesAWithdrawalOnce(t *testing.T) {
	h, ex := watchedHarness(t)
	w := ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "withdrawal", Asset: "XXBT", Amount: "-0.5000000000"})
	tr := New(h.cfg)

	if every := tr.pollWatch(context.Background(), time.Now()); every != 15*time.Minute {
		t.Errorf("next poll in %s, want the default 15m", every)
	}
	var msgs []string
	h.rec.locked(func() { msgs = append(msgs, h.rec.questions...) })
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], w.RefID+" ") || !strings.Contains(msgs[0], "0.5 BTC withdrawn at") || !strings.Contains(msgs[0], "— was this you?") ||
		!strings.Contains(msgs[0], "keywarden activity ok "+w.RefID) {
		t.Fatalf("notifications = %q, want one asking about the 0.5 BTC withdrawal", msgs)
	}

	tr.pollWatch(context.Background(), time.Now())
	h.rec.locked(func() { msgs = append(msgs[:0], h.rec.questions...) })
	if len(msgs) != 1 {
		t.Errorf("the second poll notified again: %q", msgs)
	}
	if _, err := h.svc.AnswerActivity(w.RefID, true); err != nil {
		t.Fatal(err)
	}
	if st, _ := h.svc.Activity(); len(st.Questions) != 0 {
		t.Errorf("open questions after It was me: %+v", st.Questions)
	}
}

func TestTray_pollWatchWithoutAWatchKeyCostsNothing(t *testing.T) {
	h := newTrayHarness(t)
	ex := krakentest.New()
	t.Cleanup(ex.Close)
	secrets := vault.NewMemory()
	h.useService(secrets, &check.Runner{Secrets: secrets, BaseURL: ex.URL()})
	if every := New(h.cfg).pollWatch(context.Background(), time.Now()); every != 0 {
		t.Errorf("with no watch key the next poll is in %s, want none (0)", every)
	}
	if calls := ex.Calls(); len(calls) != 0 {
		t.Errorf("the exchange was called %d times with no watch key", len(calls))
	}
}

func TestQuestionWords_escapesExchangeText(t *testing.T) {
	q := keys.Question{RefID: "R\x1b[2J", Type: "withdrawal", Asset: "XX\u202eBT", Amount: "-1", Time: t0,
		Verdict: keys.Verdict{Ask: true, Why: "withdrawals from this account always ask"}}
	title, body := QuestionWords(q, t0, time.UTC)
	if strings.ContainsAny(title+body, "\x1b\u202e") {
		t.Errorf("control characters in the notification: %q %q", title, body)
	}
	if title != `1 XX\u202eBT withdrawn at 12:00 — was this you?` {
		t.Errorf("title = %q", title)
	}
}

// questionFor returns the notification that asks about refID (its body
// names the refid), or fails.
func questionFor(t *testing.T, got []notification, refID string) notification {
	t.Helper()
	for _, n := range got {
		if strings.Contains(n.Body, refID) {
			return n
		}
	}
	t.Fatalf("no notification asks about %s: %+v", refID, got)
	return notification{}
}

// Issue 22: the question's notification carries It was me and Not me, and
// both work through a real Notifier on the session bus, wired as the tray
// part wires it.
func TestTray_questionNotificationAnswers(t *testing.T) {
	requireSessionBus(t)
	waitNoServer(t)
	srv := startNotificationServer(t, "actions", "body")
	h, ex := watchedHarness(t)
	mine := ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "withdrawal", Asset: "XXBT", Amount: "-0.5000000000"})
	notMine := ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "withdrawal", Asset: "ZUSD", Amount: "-900.0000"})
	h.startNotifying()
	h.tray.sched.WatchNow() // as "Check all" does: the still clock never leaves the grace after a start

	got := srv.wait(t, 2)
	want := []string{ActionOpen, "Answer in Keywarden", ActionItWasMe, "It was me", ActionNotMe, "Not me"}
	for _, n := range got[:2] {
		if !slices.Equal(n.Actions, want) || !strings.Contains(n.Summary, "— was this you?") {
			t.Errorf("question notification %q with actions %q; want %q", n.Summary, n.Actions, want)
		}
		if u := n.Hints["urgency"].Value(); u != byte(2) {
			t.Errorf("a question's urgency = %v, want 2: it waits for the person", u)
		}
	}
	h.rec.waitFor(t, "the menu counts both questions", func() bool { return h.rec.lastModel().Account == "Account: 2 questions" })

	t.Run("It was me is remembered through the service and closes the notification", func(t *testing.T) {
		n := questionFor(t, got, mine.RefID)
		srv.invoke(t, n.ID, ActionItWasMe)
		if closed := srv.waitClosed(t, 1); !slices.Contains(closed, n.ID) {
			t.Errorf("closed %v, want the answered notification %d", closed, n.ID)
		}
		st, err := h.svc.Activity()
		if err != nil {
			t.Fatal(err)
		}
		if !st.Answered("", mine.RefID) || len(st.Questions) != 1 || st.Questions[0].RefID != notMine.RefID {
			t.Errorf("after It was me: answers %+v, open %+v; want %s answered and only %s open", st.Answers, st.Questions, mine.RefID, notMine.RefID)
		}
		h.rec.waitFor(t, "the menu counts the one left", func() bool { return h.rec.lastModel().Account == "Account: 1 question" })
	})

	t.Run("Not me opens the window on the entry, which answers it there", func(t *testing.T) {
		n := questionFor(t, got, notMine.RefID)
		srv.invoke(t, n.ID, ActionNotMe)
		h.rec.waitFor(t, "the window is asked to answer Not me", func() bool {
			return slices.Equal(h.rec.activity, []string{notMine.RefID})
		})
		if closed := srv.waitClosed(t, 2); !slices.Contains(closed, n.ID) {
			t.Errorf("closed %v, want the Not me notification %d", closed, n.ID)
		}
		if st, _ := h.svc.Activity(); len(st.Questions) != 1 {
			t.Errorf("open questions %+v: the tray answered Not me itself, before the person saw what to do", st.Questions)
		}
	})

	t.Run("the answered question is never asked again", func(t *testing.T) {
		// A poll now, on this goroutine: Notify is a call the server has
		// answered before pollWatch returns.
		h.tray.pollWatch(context.Background(), time.Now())
		if n := len(srv.wait(t, 2)); n != 2 {
			t.Errorf("%d notifications after another poll, want still the 2 questions", n)
		}
	})
}

func TestTray_followsAnswerLinks(t *testing.T) {
	t.Setenv(EnvLinkToken, testToken)
	h, ex := watchedHarness(t)
	a := ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "withdrawal", Asset: "XXBT", Amount: "-0.1"})
	b := ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "withdrawal", Asset: "XXBT", Amount: "-0.2"})
	tr := New(h.cfg)
	tr.pollWatch(context.Background(), time.Now())

	tr.Handle(Link{Verb: LinkItWasMe, RefID: a.RefID, Token: strings.Repeat("0", linkTokenLen)}.message())
	if st, _ := h.svc.Activity(); len(st.Questions) != 2 {
		t.Fatalf("an answer link with another token answered: open %+v", st.Questions)
	}
	h.rec.locked(func() {
		if !slices.Equal(h.rec.activity, []string{""}) {
			t.Errorf("Activity opened %q, want once as it is", h.rec.activity)
		}
	})

	tr.Handle(Link{Verb: LinkItWasMe, RefID: a.RefID, Token: testToken}.message())
	tr.Handle(Link{Verb: LinkItWasMe, RefID: a.RefID, Token: testToken}.message()) // an older toast of it: only closed
	tr.Handle(Link{Verb: LinkNotMe, RefID: b.RefID, Token: testToken}.message())
	tr.Handle(Link{Verb: LinkActivity}.message())
	st, _ := h.svc.Activity()
	if !st.Answered("", a.RefID) || len(st.Questions) != 1 {
		t.Errorf("after It was me by link: answers %+v, open %+v", st.Answers, st.Questions)
	}
	h.rec.locked(func() {
		if want := []string{"", b.RefID, ""}; !slices.Equal(h.rec.activity, want) { // the second It was me opened nothing
			t.Errorf("Activity opened %q, want %q", h.rec.activity, want)
		}
		if want := []string{QuestionSubject(a.RefID), QuestionSubject(a.RefID), QuestionSubject(b.RefID)}; !slices.Equal(h.rec.closed, want) {
			t.Errorf("closed %q, want %q", h.rec.closed, want)
		}
	})
}

func TestModel_WithActivity(t *testing.T) {
	base := Model{Tooltip: "Keywarden: your key looks fine", CanCheck: true}
	q := keys.Question{RefID: "R1"}
	for _, tc := range []struct {
		name      string
		st        keys.ActivityState
		err       error
		account   string
		attention bool
	}{
		{"nothing open", keys.ActivityState{}, nil, "", false},
		{"one question", keys.ActivityState{Questions: []keys.Question{q}}, nil, "Account: 1 question", true},
		{"three", keys.ActivityState{Questions: []keys.Question{q, q, q}}, nil, "Account: 3 questions", true},
		{"a damaged file counts (fail closed)", keys.ActivityState{}, keys.ErrActivityDamaged, "Account watch: its file cannot be read — open Activity", true},
		{"a watch that stopped", keys.ActivityState{Watches: []keys.AccountWatch{{Stopped: "The account watch stopped: …"}}}, nil, "Account watch stopped — open Activity", true},
		{"questions come first", keys.ActivityState{Watches: []keys.AccountWatch{{Stopped: "…"}}, Questions: []keys.Question{q}}, nil, "Account: 1 question", true},
	} {
		m := base.WithActivity(tc.st, tc.err)
		if m.Account != tc.account || m.Attention != tc.attention {
			t.Errorf("%s: Account %q, attention %v; want %q, %v", tc.name, m.Account, m.Attention, tc.account, tc.attention)
		}
		if tc.attention && !strings.Contains(m.Tooltip, "your answer") && !strings.Contains(m.Tooltip, "the account watch stopped") {
			t.Errorf("%s: tooltip %q does not say an answer is needed", tc.name, m.Tooltip)
		}
		if !tc.attention && !m.Equal(base) {
			t.Errorf("%s: the model changed: %+v", tc.name, m)
		}
	}
}

// Issue 22: a watch key that stops qualifying is told once, as a
// notification with what to do, and stays in the menu until it reads again.
func TestTray_watchStopIsToldOnce(t *testing.T) {
	h, ex := watchedHarness(t)
	ex.FailWith("Ledgers", "EAPI:Invalid key")
	tr := New(h.cfg)
	for range 3 {
		tr.pollWatch(context.Background(), time.Now())
	}
	var msgs []string
	h.rec.locked(func() { msgs = append(msgs, h.rec.messages...) })
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "The account watch stopped ") || !strings.Contains(msgs[0], "keywarden watch NAME") {
		t.Fatalf("notifications %q; want one saying the watch stopped, and what to do", msgs)
	}
	tr.refresh()
	if m := tr.model; m.Account != "Account watch stopped — open Activity" || !m.Attention {
		t.Errorf("menu line %q, attention %v; want the stop, needing attention", m.Account, m.Attention)
	}
	ex.FailWith("Ledgers")
	tr.pollWatch(context.Background(), time.Now())
	tr.refresh()
	if m := tr.model; m.Account != "" {
		t.Errorf("after a good read the menu still says %q", m.Account)
	}
}
