package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func TestWatch_refusesAKeyThatTrades(t *testing.T) {
	f := newFixture(t)
	f.add("bot", []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger, kraken.ModifyTrades})
	res := f.run("", "watch", "bot")
	if res.code != 1 || !strings.Contains(res.err, "a watch key must only read") || !strings.Contains(res.err, "Create & modify orders") {
		t.Fatalf("watch of a trading key:\n%s", res)
	}
	if res := f.run("", "activity"); res.code != 1 || !strings.Contains(res.err, "no watch key") {
		t.Errorf("activity without a watch key:\n%s", res)
	}
}

func TestActivity_asksAnswersAndExits3(t *testing.T) {
	f := newFixture(t)
	f.add("watcher", []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger})
	if res := f.run("", "watch", "watcher"); res.code != 0 || !strings.Contains(res.out, "now watches") {
		t.Fatalf("watch:\n%s", res)
	}
	if res := f.run("", "activity"); res.code != 0 || !strings.Contains(res.out, "Nothing needs an answer") {
		t.Fatalf("activity with an empty ledger:\n%s", res)
	}
	w := f.ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "withdrawal", Asset: "XXBT", Amount: "-0.5000000000", Time: time.Now().Add(2 * time.Second)})
	f.ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "deposit", Asset: "EVIL\x1b]0;x\a", Amount: "1", Time: time.Now().Add(3 * time.Second)})

	res := f.run("", "activity")
	if res.code != 3 {
		t.Fatalf("activity with a withdrawal: want exit 3\n%s", res)
	}
	for _, want := range []string{"0.5 BTC withdrawn at", "withdrawals from this account always ask", "keywarden activity ok " + w.RefID} {
		if !strings.Contains(res.out, want) {
			t.Errorf("activity output lacks %q:\n%s", want, res)
		}
	}
	if strings.ContainsAny(res.out+res.err, "\x1b\a") {
		t.Errorf("exchange text reached the terminal as control characters:\n%q", res.out)
	}

	res = f.run("", "activity", "--json")
	var doc struct {
		Questions []struct {
			RefID string `json:"refId"`
			Ask   bool   `json:"needsAnswer"`
		} `json:"questions"`
	}
	if err := json.Unmarshal([]byte(res.out), &doc); err != nil || res.code != 3 || len(doc.Questions) != 2 || !doc.Questions[0].Ask {
		t.Fatalf("activity --json: %v, %+v\n%s", err, doc, res)
	}

	if res := f.run("", "activity", "ok", w.RefID); res.code != 0 || !strings.Contains(res.out, "will not ask") {
		t.Fatalf("activity ok:\n%s", res)
	}
	other := doc.Questions[0].RefID
	if other == w.RefID {
		other = doc.Questions[1].RefID
	}
	res = f.run("", "activity", "not-me", other)
	if res.code != 0 || !strings.Contains(res.out, "website login itself is the likely door") {
		t.Fatalf("activity not-me with no key that could have:\n%s", res)
	}
	if res := f.run("", "activity"); res.code != 0 {
		t.Errorf("activity after both answers: want exit 0\n%s", res)
	}
	if res := f.run("", "activity", "--since", "1h"); res.code != 0 || !strings.Contains(res.out, "answered") {
		t.Errorf("activity --since 1h after the answers:\n%s", res)
	}
	if res := f.run("", "activity", "--since", "soon"); res.code != 2 {
		t.Errorf("activity --since soon: want a usage error\n%s", res)
	}
}
