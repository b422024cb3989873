package krakentest

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// LedgerPageSize is how many entries one Ledgers call answers at most
// (KRAKEN.md, Ledgers: "at most 50 entries a call, newest first").
const LedgerPageSize = 50

// maxQueryLedgers is how many ledger IDs one QueryLedgers call takes.
const maxQueryLedgers = 20

// LedgerEntry is one line of the account's ledger, as the owner's own
// activity (a trade, a withdrawal on the website, a deposit) would make it.
// Amounts are decimal strings, as the exchange sends them.
type LedgerEntry struct {
	ID      string    // the ledger ID ("LXXXXX-XXXXX-XXXXXX"); generated when empty
	RefID   string    // the trade, withdrawal or deposit it belongs to; generated when empty
	Time    time.Time // the exchange clock when empty
	Type    string    // trade, deposit, withdrawal, transfer, staking, ...
	Subtype string
	Aclass  string // "currency" when empty
	Asset   string // e.g. "XXBT", "ZUSD"
	Amount  string // signed: negative for money out
	Fee     string // "0.0000000000" when empty
	Balance string // "0.0000000000" when empty
}

// ledgerJSON is one entry as Ledgers and QueryLedgers answer it.
type ledgerJSON struct {
	RefID   string  `json:"refid"`
	Time    float64 `json:"time"`
	Type    string  `json:"type"`
	Subtype string  `json:"subtype"`
	Aclass  string  `json:"aclass"`
	Asset   string  `json:"asset"`
	Amount  string  `json:"amount"`
	Fee     string  `json:"fee"`
	Balance string  `json:"balance"`
}

// AddLedgerEntry writes an entry into the account's ledger, as the
// exchange would when something happens on the account, and returns it
// with its generated fields filled in. Every key of the Exchange belongs
// to the one account, so every key with "Query Ledger Entries" reads it.
func (e *Exchange) AddLedgerEntry(l LedgerEntry) LedgerEntry {
	if l.ID == "" {
		l.ID = "L" + newRefID()[1:]
	}
	if l.RefID == "" {
		l.RefID = newRefID()
	}
	if l.Time.IsZero() {
		l.Time = e.cfg.now()
	}
	if l.Aclass == "" {
		l.Aclass = "currency"
	}
	if l.Fee == "" {
		l.Fee = "0.0000000000"
	}
	if l.Balance == "" {
		l.Balance = "0.0000000000"
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ledger = append(e.ledger, l)
	// Newest first, as the exchange answers; ties by ID so pages are stable.
	slices.SortStableFunc(e.ledger, func(a, b LedgerEntry) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return l
}

// Ledger returns the account's ledger, newest first.
func (e *Exchange) Ledger() []LedgerEntry {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.ledger)
}

func (l LedgerEntry) json() ledgerJSON {
	return ledgerJSON{
		RefID: l.RefID, Time: float64(l.Time.UnixMilli()) / 1000, Type: l.Type, Subtype: l.Subtype,
		Aclass: l.Aclass, Asset: l.Asset, Amount: l.Amount, Fee: l.Fee, Balance: l.Balance,
	}
}

// ledgers answers Ledgers: the entries between start and end (both
// exclusive, each a Unix time or a ledger ID), of the asked type and
// assets, newest first, LedgerPageSize from offset ofs, with the count of
// all that match (KRAKEN.md, Ledgers). A bound that is neither a number
// nor a known ledger ID, or a bad offset or type, is "Invalid arguments".
func ledgers(e *Exchange, _ *keyState, p url.Values, _ time.Time) (any, string) {
	match, ok := e.ledgerFilter(p)
	ofs, err := strconv.Atoi(orDefault(p.Get("ofs"), "0"))
	if !ok || err != nil || ofs < 0 {
		return nil, errInvalidArguments
	}
	page := map[string]ledgerJSON{}
	count := 0
	for _, l := range e.ledger {
		if !match(l) {
			continue
		}
		if count >= ofs && count < ofs+LedgerPageSize {
			page[l.ID] = l.json()
		}
		count++
	}
	result := map[string]any{"ledger": page}
	if p.Get("without_count") != "true" {
		result["count"] = count
	}
	return result, ""
}

// ledgerFilter reads Ledgers' filters; ok is false when one cannot be read.
func (e *Exchange) ledgerFilter(p url.Values) (match func(LedgerEntry) bool, ok bool) {
	start, okStart := e.ledgerBound(p.Get("start"), math.Inf(-1))
	end, okEnd := e.ledgerBound(p.Get("end"), math.Inf(1))
	kind := orDefault(p.Get("type"), "all")
	if !okStart || !okEnd || !validLedgerType(kind) {
		return nil, false
	}
	var assets []string
	if a := p.Get("asset"); a != "" && a != "all" {
		assets = strings.Split(a, ",")
	}
	aclass := p.Get("aclass")
	return func(l LedgerEntry) bool {
		t := float64(l.Time.UnixMilli()) / 1000
		return t > start && t < end &&
			(kind == "all" || l.Type == kind) &&
			(assets == nil || slices.Contains(assets, l.Asset)) &&
			(aclass == "" || l.Aclass == aclass)
	}, true
}

// ledgerBound reads start or end: Unix seconds (a decimal number) or a
// ledger ID, whose entry's time is the bound. Empty gives def.
func (e *Exchange) ledgerBound(v string, def float64) (float64, bool) {
	if v == "" {
		return def, true
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return f, true
	}
	for _, l := range e.ledger {
		if l.ID == v {
			return float64(l.Time.UnixMilli()) / 1000, true
		}
	}
	return 0, false
}

// ledgerTypes are the type filter's values (KRAKEN.md, Ledgers).
var ledgerTypes = []string{"all", "trade", "deposit", "withdrawal", "transfer", "margin", "adjustment",
	"rollover", "credit", "settled", "staking", "dividend", "sale", "nft_rebate"}

func validLedgerType(t string) bool { return slices.Contains(ledgerTypes, t) }

// queryLedgers answers QueryLedgers: the entries with the given IDs (a
// comma list of at most maxQueryLedgers); unknown IDs are left out.
func queryLedgers(e *Exchange, _ *keyState, p url.Values, _ time.Time) (any, string) {
	ids := strings.Split(p.Get("id"), ",")
	if p.Get("id") == "" || len(ids) > maxQueryLedgers {
		return nil, errInvalidArguments
	}
	out := map[string]ledgerJSON{}
	for _, l := range e.ledger {
		if slices.Contains(ids, l.ID) {
			out[l.ID] = l.json()
		}
	}
	return out, ""
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// String describes the entry for test failures.
func (l LedgerEntry) String() string {
	return fmt.Sprintf("%s %s %s %s at %s", l.ID, l.Type, l.Amount, l.Asset, l.Time.UTC().Format(time.RFC3339))
}
