package kraken

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// LedgerPageSize is the most entries one Ledgers call answers: the
// exchange's page (KRAKEN.md, Ledgers). A shorter page is the last one.
const LedgerPageSize = 50

// MaxLedgerIDs is the most ledger IDs one QueryLedgers call takes.
const MaxLedgerIDs = 20

// LedgerEntry is one line of the account's ledger, field for field as the
// exchange's REST reference gives it. Every text is the exchange's own,
// scrubbed of the request's secrets and capped (MaxQuoted), but not
// escaped: show it through an escaper. Amounts stay the decimal strings
// the exchange sent, so nothing is rounded; parse them where needed.
type LedgerEntry struct {
	ID      string    // the ledger ID, the key of the answer's map
	RefID   string    // the trade, withdrawal or deposit the entry belongs to
	Time    time.Time // when, to the exchange's millisecond
	Type    string    // trade, deposit, withdrawal, transfer, staking, ...
	Subtype string
	Aclass  string // asset class, "currency"
	Asset   string // the exchange's asset code, e.g. "XXBT"
	Amount  string // signed: negative when money left the account
	Fee     string
	Balance string // the asset's balance after the entry
}

// LedgerQuery is what Ledgers asks for. Start and End are exclusive
// bounds, each Unix seconds or a ledger ID; empty means unbounded. Ofs
// skips that many of the matching entries, newest first, for paging.
type LedgerQuery struct {
	Start, End string
	Ofs        int
}

// LedgerPage is one Ledgers answer: at most LedgerPageSize entries, newest
// first, and how many entries match the query in all.
type LedgerPage struct {
	Entries []LedgerEntry
	Count   int
}

// Ledgers reads one page of the account's ledger (the Ledgers call, which
// needs the key's "Query Ledger Entries" permission and costs 2 on the
// rate counter). otp returns the key's 2FA code, asked right before the
// call is signed; nil for a key without 2FA. Paging is the caller's: the
// exchange does not page by itself, so drive Ofs and stop on a short page.
func (c *Client) Ledgers(ctx context.Context, otp func() string, q LedgerQuery) (*LedgerPage, error) {
	var params []param
	if q.Start != "" {
		params = append(params, param{"start", q.Start})
	}
	if q.End != "" {
		params = append(params, param{"end", q.End})
	}
	if q.Ofs > 0 {
		params = append(params, param{"ofs", strconv.Itoa(q.Ofs)})
	}
	result, err := c.call(ctx, "Ledgers", otp, params...)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Ledger map[string]json.RawMessage `json:"ledger"`
		Count  *int                       `json:"count"`
	}
	if err := json.Unmarshal(result, &raw); err != nil {
		return nil, fmt.Errorf("kraken Ledgers: %w: %s", ErrBadResponse, describeJSONError(err))
	}
	entries, err := c.parseEntries("Ledgers", raw.Ledger)
	if err != nil {
		return nil, err
	}
	if len(entries) > LedgerPageSize {
		return nil, fmt.Errorf("kraken Ledgers: %w: %d entries in one page, more than %d", ErrBadResponse, len(entries), LedgerPageSize)
	}
	page := &LedgerPage{Entries: entries, Count: len(entries) + q.Ofs}
	if raw.Count != nil && *raw.Count >= 0 {
		page.Count = *raw.Count
	}
	return page, nil
}

// QueryLedgers reads the entries with the given ledger IDs (at most
// MaxLedgerIDs; the QueryLedgers call, cost 2, "Query Ledger Entries").
// IDs the exchange does not know are left out of the answer.
func (c *Client) QueryLedgers(ctx context.Context, otp func() string, ids []string) ([]LedgerEntry, error) {
	if len(ids) == 0 || len(ids) > MaxLedgerIDs {
		return nil, fmt.Errorf("kraken QueryLedgers: %w: from 1 to %d ledger IDs, not %d", ErrInvalidArguments, MaxLedgerIDs, len(ids))
	}
	result, err := c.call(ctx, "QueryLedgers", otp, param{"id", strings.Join(ids, ",")})
	if err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(result, &raw); err != nil {
		return nil, fmt.Errorf("kraken QueryLedgers: %w: %s", ErrBadResponse, describeJSONError(err))
	}
	return c.parseEntries("QueryLedgers", raw)
}

// ledgerJSON is one entry as the exchange sends it.
type ledgerJSON struct {
	RefID   string          `json:"refid"`
	Time    json.RawMessage `json:"time"`
	Type    string          `json:"type"`
	Subtype string          `json:"subtype"`
	Aclass  string          `json:"aclass"`
	Asset   string          `json:"asset"`
	Amount  string          `json:"amount"`
	Fee     string          `json:"fee"`
	Balance string          `json:"balance"`
}

// parseEntries reads a map of ledger ID to entry, newest first. Every text
// is scrubbed and capped; an entry without a readable time fails the whole
// answer (ErrBadResponse), since the watch cannot place it.
func (c *Client) parseEntries(method string, raw map[string]json.RawMessage) ([]LedgerEntry, error) {
	clean := func(s string) string { return Quote(c.scrub.Replace(s)) }
	out := make([]LedgerEntry, 0, len(raw))
	for id, body := range raw {
		var j ledgerJSON
		if err := json.Unmarshal(body, &j); err != nil {
			return nil, fmt.Errorf("kraken %s: %w: an entry: %s", method, ErrBadResponse, describeJSONError(err))
		}
		at, ok := ledgerTime(j.Time)
		if !ok {
			return nil, fmt.Errorf("kraken %s: %w: an entry has no readable time", method, ErrBadResponse)
		}
		out = append(out, LedgerEntry{
			ID: clean(id), RefID: clean(j.RefID), Time: at, Type: clean(j.Type), Subtype: clean(j.Subtype),
			Aclass: clean(j.Aclass), Asset: clean(j.Asset), Amount: clean(j.Amount), Fee: clean(j.Fee), Balance: clean(j.Balance),
		})
	}
	SortLedger(out)
	return out, nil
}

// SortLedger puts entries newest first, as the exchange lists them; entries
// of the same moment by ledger ID, so the order is always the same.
func SortLedger(entries []LedgerEntry) {
	slices.SortStableFunc(entries, func(a, b LedgerEntry) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
}

// ledgerTime reads an entry's time: Unix seconds with a fraction, as a JSON
// number or string.
func ledgerTime(raw json.RawMessage) (time.Time, bool) {
	text := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	secs, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(secs) || secs <= 0 || secs >= maxUnixSeconds {
		return time.Time{}, false
	}
	whole, frac := math.Modf(secs)
	return time.Unix(int64(whole), int64(math.Round(frac*1000))*int64(time.Millisecond)).UTC(), true
}
