package kraken_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// addEntries writes n withdrawals into the simulated ledger, one a second
// from base, and returns them oldest first.
func addEntries(ex *krakentest.Exchange, base time.Time, n int) []krakentest.LedgerEntry {
	out := make([]krakentest.LedgerEntry, n)
	for i := range n {
		out[i] = ex.AddLedgerEntry(krakentest.LedgerEntry{
			Time: base.Add(time.Duration(i) * time.Second), Type: "withdrawal", Asset: "XXBT",
			Amount: fmt.Sprintf("-0.%010d", i+1),
		})
	}
	return out
}

func TestClient_Ledgers_pagesAndFields(t *testing.T) {
	ex, clock := newSimulation(t)
	k := ex.AddKey(krakentest.Key{Permissions: []kraken.Permission{kraken.QueryLedger}, Tier: kraken.Pro})
	c := simulatedClient(t, ex, clock, k, kraken.WithTier(kraken.Pro))
	base := clock.Now().Add(-time.Hour).Truncate(time.Second)
	added := addEntries(ex, base, 120)

	seen := map[string]bool{}
	pages := 0
	for ofs := 0; ; ofs += kraken.LedgerPageSize {
		page, err := c.Ledgers(t.Context(), nil, kraken.LedgerQuery{Ofs: ofs})
		if err != nil {
			t.Fatalf("Ledgers ofs %d: %v", ofs, err)
		}
		pages++
		if page.Count != 120 {
			t.Errorf("Count = %d, want 120", page.Count)
		}
		for i, e := range page.Entries {
			if seen[e.ID] {
				t.Errorf("entry %s read twice", e.ID)
			}
			seen[e.ID] = true
			if i > 0 && e.Time.After(page.Entries[i-1].Time) {
				t.Errorf("page %d not newest first at %d", pages, i)
			}
		}
		if len(page.Entries) < kraken.LedgerPageSize {
			break
		}
	}
	if pages != 3 || len(seen) != 120 {
		t.Fatalf("read %d entries in %d pages, want 120 in 3", len(seen), pages)
	}

	newest := added[119]
	page, err := c.Ledgers(t.Context(), nil, kraken.LedgerQuery{Start: added[117].ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != 2 || page.Entries[0].ID != newest.ID {
		t.Fatalf("after the 118th entry: %+v, want the two newest", page.Entries)
	}
	got := page.Entries[0]
	want := kraken.LedgerEntry{ID: newest.ID, RefID: newest.RefID, Time: newest.Time.UTC(), Type: "withdrawal",
		Aclass: "currency", Asset: "XXBT", Amount: newest.Amount, Fee: "0.0000000000", Balance: "0.0000000000"}
	if got != want {
		t.Errorf("entry = %+v\nwant    %+v", got, want)
	}

	byTime, err := c.Ledgers(t.Context(), nil, kraken.LedgerQuery{Start: strconv.FormatInt(added[117].Time.Unix(), 10)})
	if err != nil || len(byTime.Entries) != 2 {
		t.Errorf("start as Unix seconds: %v, %d entries, want 2", err, len(byTime.Entries))
	}

	ids := []string{added[0].ID, added[5].ID, "LNOTAN-ENTRY-XXXXXX"}
	found, err := c.QueryLedgers(t.Context(), nil, ids)
	if err != nil || len(found) != 2 || found[0].ID != added[5].ID || found[1].ID != added[0].ID {
		t.Errorf("QueryLedgers = %+v, %v; want the two known entries, newest first", found, err)
	}
	assertNoUnsafeCall(t, ex)
}

func TestClient_Ledgers_costsTwoAndNeedsPermission(t *testing.T) {
	ex, clock := newSimulation(t)
	reader := ex.AddKey(krakentest.Key{Permissions: []kraken.Permission{kraken.QueryLedger}})
	c := simulatedClient(t, ex, clock, reader)
	if _, err := c.Ledgers(t.Context(), nil, kraken.LedgerQuery{}); err != nil {
		t.Fatal(err)
	}
	if got := ex.Counter(reader.APIKey); got != 2 {
		t.Errorf("the exchange's counter after one Ledgers = %v, want 2", got)
	}
	if got := c.RateCounter().Level(clock.Now()); got != 2 {
		t.Errorf("the client's counter after one Ledgers = %v, want 2", got)
	}

	funds := ex.AddKey(krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds}})
	other := simulatedClient(t, ex, clock, funds)
	if _, err := other.Ledgers(t.Context(), nil, kraken.LedgerQuery{}); !errors.Is(err, kraken.ErrPermissionDenied) {
		t.Errorf("Ledgers without Query Ledger Entries: %v, want permission denied", err)
	}
	if _, err := other.QueryLedgers(t.Context(), nil, make([]string, 21)); !errors.Is(err, kraken.ErrInvalidArguments) {
		t.Errorf("QueryLedgers with 21 IDs: %v, want refused before sending", err)
	}
}

func TestClient_Ledgers_throttledAnswerIsAnError(t *testing.T) {
	ex, clock := newSimulation(t)
	k := ex.AddKey(krakentest.Key{Permissions: []kraken.Permission{kraken.QueryLedger}})
	c := simulatedClient(t, ex, clock, k)
	ex.FailWith("Ledgers", "EGeneral:Too many requests")
	if _, err := c.Ledgers(t.Context(), nil, kraken.LedgerQuery{}); !errors.Is(err, kraken.ErrThrottled) {
		t.Errorf("Ledgers while throttled: %v, want ErrThrottled", err)
	}
}
