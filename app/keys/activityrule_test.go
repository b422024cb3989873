package keys_test

import (
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

func ruleKey(id string, status vault.Status, perms ...kraken.Permission) vault.Record {
	return vault.Record{ID: id, Name: id, Status: status, Intended: perms,
		LastCheck: &vault.Readback{Outcome: vault.OutcomeOK, Permissions: perms}}
}

func TestJudgeEntry(t *testing.T) {
	bot := ruleKey("bot", vault.StatusActive, kraken.QueryFunds, kraken.ModifyTrades)
	parkedBot := ruleKey("bot", vault.StatusParked, kraken.ModifyTrades)
	revokedBot := ruleKey("bot", vault.StatusRevoked, kraken.ModifyTrades)
	payout := ruleKey("payout", vault.StatusActive, kraken.WithdrawFunds)
	staker := ruleKey("staker", vault.StatusActive, kraken.EarnFunds)
	expected := keys.AccountWatch{WithdrawalsExpected: true, AskAbove: map[string]string{"BTC": "0.1"}}
	for _, tc := range []struct {
		name      string
		kind, amt string
		recs      []vault.Record
		w         keys.AccountWatch
		ask       bool
		could     int
	}{
		{"a withdrawal always asks", "withdrawal", "-0.01", []vault.Record{payout}, keys.AccountWatch{}, true, 1},
		{"an expected withdrawal within the amount does not", "withdrawal", "-0.1000", nil, expected, false, 0},
		{"an expected withdrawal above the amount asks", "withdrawal", "-0.1001", nil, expected, true, 0},
		{"an expected withdrawal of an asset without an amount does not", "withdrawal", "-500", nil,
			keys.AccountWatch{WithdrawalsExpected: true}, false, 0},
		{"an unreadable amount above a set limit asks", "withdrawal", "-1e9", nil, expected, true, 0},
		{"a trade with an active trading key does not", "trade", "0.1", []vault.Record{bot}, keys.AccountWatch{}, false, 1},
		{"a trade with the trading key parked asks", "trade", "0.1", []vault.Record{parkedBot}, keys.AccountWatch{}, true, 1},
		{"a trade with the trading key revoked asks, naming none", "trade", "0.1", []vault.Record{revokedBot}, keys.AccountWatch{}, true, 0},
		{"a trade with no trading key asks", "trade", "-100", nil, keys.AccountWatch{}, true, 0},
		{"a deposit with no deposit key asks", "deposit", "1", []vault.Record{bot}, keys.AccountWatch{}, true, 0},
		{"a transfer out with no withdrawing key asks", "transfer", "-1", []vault.Record{staker}, keys.AccountWatch{}, true, 0},
		{"a staking reward never asks", "staking", "0.0001", nil, keys.AccountWatch{}, false, 0},
		{"an adjustment never asks", "adjustment", "-0.5", nil, keys.AccountWatch{}, false, 0},
		{"an unknown kind taking money out asks", "teleport", "-3", []vault.Record{bot, payout}, keys.AccountWatch{}, true, 0},
		{"an unknown kind bringing money in does not", "teleport", "3", nil, keys.AccountWatch{}, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := kraken.LedgerEntry{Type: tc.kind, Asset: "XXBT", Amount: tc.amt}
			v := keys.JudgeEntry(e, tc.recs, tc.w)
			if v.Ask != tc.ask || len(v.Could) != tc.could || v.Why == "" {
				t.Errorf("JudgeEntry = %+v, want ask %v and %d keys that could", v, tc.ask, tc.could)
			}
		})
	}
	// The staking transfer's subtype makes it a staking move.
	v := keys.JudgeEntry(kraken.LedgerEntry{Type: "transfer", Subtype: "spottostaking", Asset: "XETH", Amount: "-1"}, []vault.Record{staker}, keys.AccountWatch{})
	if v.Ask || v.Permission != kraken.EarnFunds {
		t.Errorf("a move to staking with a staking key = %+v, want explained by Earn", v)
	}
}

func TestEntryWords(t *testing.T) {
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		e    kraken.LedgerEntry
		want string
	}{
		{kraken.LedgerEntry{Type: "withdrawal", Asset: "XXBT", Amount: "-0.5000000000", Time: now.Add(-58 * time.Minute)}, "0.5 BTC withdrawn at 14:02"},
		{kraken.LedgerEntry{Type: "trade", Asset: "ZUSD", Amount: "-5000.0000", Time: now.Add(-49 * time.Hour)}, "5000 USD sold at 5 Dec 14:00"},
		{kraken.LedgerEntry{Type: "x\x1b]0;pwned\a", Asset: "EVIL\u202e", Amount: "-1", Time: now}, `1 EVIL\u202e out (x\x1b]0;pwned\x07) at 15:00`},
	} {
		if got := keys.EntryWords(tc.e, now, time.UTC); got != tc.want {
			t.Errorf("EntryWords = %q, want %q", got, tc.want)
		}
		if strings.ContainsAny(keys.EntryWords(tc.e, now, time.UTC), "\x1b\a\u202e") {
			t.Error("control characters reached the words")
		}
	}
}
