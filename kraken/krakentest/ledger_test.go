package krakentest

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

type ledgerAnswer struct {
	Ledger map[string]ledgerJSON `json:"ledger"`
	Count  *int                  `json:"count"`
}

func readLedger(t *testing.T, r reply) ledgerAnswer {
	t.Helper()
	if r.errString() != "" {
		t.Fatalf("Ledgers answered %s", r.errString())
	}
	var a ledgerAnswer
	if err := json.Unmarshal(r.Result, &a); err != nil {
		t.Fatalf("Ledgers result %s: %v", r.Result, err)
	}
	return a
}

func TestExchange_Ledgers(t *testing.T) {
	ex, clock := newTestExchange(t)
	k := ex.AddKey(Key{Permissions: []kraken.Permission{kraken.QueryLedger}, Tier: kraken.Pro})
	var n nonces
	base := clock.Now().Add(-time.Hour)
	var entries []LedgerEntry
	for i := range 120 {
		kind := "trade"
		if i%10 == 0 {
			kind = "withdrawal"
		}
		entries = append(entries, ex.AddLedgerEntry(LedgerEntry{Time: base.Add(time.Duration(i) * time.Second), Type: kind, Asset: "XXBT", Amount: "-0.1"}))
	}

	t.Run("fifty a page, newest first, with the count", func(t *testing.T) {
		seen := map[string]bool{}
		for _, tc := range []struct {
			ofs  string
			want int
		}{{"", 50}, {"50", 50}, {"100", 20}, {"120", 0}} {
			a := readLedger(t, call(t, ex, k, "Ledgers", n.Next(), url.Values{"ofs": {tc.ofs}}))
			if len(a.Ledger) != tc.want || a.Count == nil || *a.Count != 120 {
				t.Errorf("ofs %q: %d entries, count %v; want %d and 120", tc.ofs, len(a.Ledger), a.Count, tc.want)
			}
			for id := range a.Ledger {
				if seen[id] {
					t.Errorf("ofs %q: %s again", tc.ofs, id)
				}
				seen[id] = true
			}
			clock.Advance(10 * time.Second) // let the counter decay
		}
		if !seen[entries[119].ID] || !seen[entries[0].ID] {
			t.Error("the newest or the oldest entry was never answered")
		}
	})

	t.Run("start and end are exclusive, by ledger ID or time", func(t *testing.T) {
		a := readLedger(t, call(t, ex, k, "Ledgers", n.Next(), url.Values{"start": {entries[100].ID}, "end": {entries[110].ID}}))
		if len(a.Ledger) != 9 || *a.Count != 9 {
			t.Errorf("between the 101st and the 111th: %d entries, want 9", len(a.Ledger))
		}
		if _, ok := a.Ledger[entries[100].ID]; ok {
			t.Error("start is not exclusive")
		}
		secs := float64(entries[117].Time.UnixMilli()) / 1000
		b := readLedger(t, call(t, ex, k, "Ledgers", n.Next(), url.Values{"start": {strconvFloat(secs)}}))
		if len(b.Ledger) != 2 {
			t.Errorf("after the 118th by time: %d entries, want 2", len(b.Ledger))
		}
		clock.Advance(10 * time.Second)
	})

	t.Run("type filter and without_count", func(t *testing.T) {
		a := readLedger(t, call(t, ex, k, "Ledgers", n.Next(), url.Values{"type": {"withdrawal"}, "without_count": {"true"}}))
		if len(a.Ledger) != 12 || a.Count != nil {
			t.Errorf("withdrawals only: %d entries, count %v; want 12 and none", len(a.Ledger), a.Count)
		}
		if r := call(t, ex, k, "Ledgers", n.Next(), url.Values{"type": {"robbery"}}); r.errString() != errInvalidArguments {
			t.Errorf("an unknown type: %q, want %q", r.errString(), errInvalidArguments)
		}
		if r := call(t, ex, k, "Ledgers", n.Next(), url.Values{"start": {"LNOSUCH"}}); r.errString() != errInvalidArguments {
			t.Errorf("an unknown ledger ID: %q, want %q", r.errString(), errInvalidArguments)
		}
		clock.Advance(10 * time.Second)
	})

	t.Run("QueryLedgers finds by ID", func(t *testing.T) {
		r := call(t, ex, k, "QueryLedgers", n.Next(), url.Values{"id": {entries[3].ID + "," + entries[4].ID}})
		var got map[string]ledgerJSON
		if err := json.Unmarshal(r.Result, &got); err != nil || len(got) != 2 || got[entries[3].ID].RefID != entries[3].RefID {
			t.Errorf("QueryLedgers = %s %v, want the two entries", r.Result, err)
		}
	})

	t.Run("a key without Query Ledger Entries is refused", func(t *testing.T) {
		funds := ex.AddKey(Key{Permissions: []kraken.Permission{kraken.QueryFunds}})
		if r := call(t, ex, funds, "Ledgers", n.Next(), nil); r.errString() != errPermission {
			t.Errorf("Ledgers = %q, want %q", r.errString(), errPermission)
		}
	})
}

func strconvFloat(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}
