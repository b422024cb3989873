package tray

import (
	"context"
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
	h.rec.locked(func() { msgs = append(msgs, h.rec.messages...) })
	if len(msgs) != 1 || !strings.Contains(msgs[0], "0.5 BTC withdrawn at") || !strings.Contains(msgs[0], "— was this you?") ||
		!strings.Contains(msgs[0], "keywarden activity ok "+w.RefID) {
		t.Fatalf("notifications = %q, want one asking about the 0.5 BTC withdrawal", msgs)
	}

	tr.pollWatch(context.Background(), time.Now())
	h.rec.locked(func() { msgs = append(msgs[:0], h.rec.messages...) })
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
