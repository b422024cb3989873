package kraken

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
)

// ProbeStatus is what a probe found out about one permission.
type ProbeStatus int

// The outcomes of a probe.
const (
	ProbeUnknown    ProbeStatus = iota // no safe probe exists, or its answer says nothing
	ProbeGranted                       // the call passed the permission check
	ProbeNotGranted                    // the exchange answered "EGeneral:Permission denied"
)

// String returns the status in plain words.
func (s ProbeStatus) String() string {
	switch s {
	case ProbeGranted:
		return "granted"
	case ProbeNotGranted:
		return "not granted"
	}
	return "unknown"
}

// ProbeResult is what Probe found, for every one of the 13 permissions.
type ProbeResult struct {
	Status map[Permission]ProbeStatus
}

// Granted returns the permissions found granted, in the website's order.
func (r *ProbeResult) Granted() []Permission { return r.with(ProbeGranted) }

// Unknown returns the permissions no probe could decide, in the website's
// order. Treat them as possibly granted.
func (r *ProbeResult) Unknown() []Permission { return r.with(ProbeUnknown) }

func (r *ProbeResult) with(s ProbeStatus) []Permission {
	var out []Permission
	for _, p := range Catalogue {
		if r.Status[p.Code] == s {
			out = append(out, p.Code)
		}
	}
	return out
}

// probe is one side-effect-free call that passes only with its permission.
type probe struct {
	perm   Permission
	method string
	params func() []param
	// needsQueryFunds: the call also needs query-funds, so without it the
	// answer says nothing about perm.
	needsQueryFunds bool
}

// probes follows the exchange facts' probe table. Balance comes first: it
// is the cheapest way to find out whether the key works at all.
var probes = []probe{
	{perm: QueryFunds, method: "Balance"},
	{perm: QueryOpenTrades, method: "OpenOrders"},
	{perm: QueryClosedTrades, method: "ClosedOrders"},
	{perm: QueryLedger, method: "Ledgers"},
	{perm: ExportData, method: "ExportStatus", params: func() []param {
		return []param{{"report", "ledgers"}}
	}},
	{perm: CreateWSToken, method: "GetWebSocketsToken"},
	{perm: AddFunds, method: "DepositMethods", needsQueryFunds: true, params: func() []param {
		return []param{{"asset", "XBT"}}
	}},
	{perm: WithdrawFunds, method: "WithdrawMethods", needsQueryFunds: true},
	{perm: ModifyTrades, method: "AddOrder", params: func() []param {
		// validate=true: the exchange checks the order and never places it.
		// A tiny buy far below any price would not fill even if it were.
		return []param{
			{"ordertype", "limit"}, {"type", "buy"}, {"volume", "0.0001"},
			{"pair", "XBTUSD"}, {"price", "1"}, {"validate", true},
		}
	}},
	{perm: CloseTrades, method: "CancelOrder", params: func() []param {
		// A fresh random client order id matches no order; a bare integer
		// would be read as a userref and could cancel real ones.
		return []param{{"cl_ord_id", newOrderID()}}
	}},
}

// Probe finds out a key's permissions with side-effect-free calls, for when
// APIKeyInfo fails with ErrUnknownMethod. otp returns the key's 2FA code; it
// is asked again right before each call is signed, after any wait for the
// rate counter, so a time-based code stays fresh. Pass nil for a key without
// 2FA. (A 2FA key called without a code answers "Permission denied" to
// everything, which would look like a key with no permissions.)
//
// An answer "EGeneral:Permission denied" means not granted; any other answer,
// success or another error from the exchange (such as "EOrder:Unknown
// order"), means the call got past the permission check: granted. A method
// the exchange does not offer leaves its permission Unknown, as do earn-funds
// and the withdrawal-address permissions, which have no safe probe, and
// add-funds and withdraw-funds when query-funds is missing.
//
// Probe stops at the first error that is not an answer about a permission
// and returns it with a nil result: at once for authentication errors (see
// IsAuthError), so a failing key is not hammered into a lockout, and also
// for network failures, unreadable answers, an unavailable exchange, rate
// limits and throttling, where carrying on would only guess. Calls are paced
// by the Client's RateCounter; the full run costs 11.
func (c *Client) Probe(ctx context.Context, otp func() string) (*ProbeResult, error) {
	res := &ProbeResult{Status: make(map[Permission]ProbeStatus, len(Catalogue))}
	for _, p := range Catalogue {
		res.Status[p.Code] = ProbeUnknown
	}
	for _, pr := range probes {
		if pr.needsQueryFunds && res.Status[QueryFunds] != ProbeGranted {
			continue
		}
		var params []param
		if pr.params != nil {
			params = pr.params()
		}
		_, err := c.call(ctx, pr.method, otp, params...)
		status, err := probeOutcome(err)
		if err != nil {
			return nil, err
		}
		res.Status[pr.perm] = status
	}
	return res, nil
}

// probeOutcome turns a probe call's error into what it says about the
// permission, or returns the error when it says nothing and probing must stop.
func probeOutcome(err error) (ProbeStatus, error) {
	var apiErr *APIError
	switch {
	case err == nil:
		return ProbeGranted, nil
	case errors.Is(err, ErrPermissionDenied):
		return ProbeNotGranted, nil
	case errors.Is(err, ErrUnknownMethod):
		return ProbeUnknown, nil
	case errors.As(err, &apiErr) && (apiErr.Unwrap() == nil || marketMode(apiErr)):
		return ProbeGranted, nil // an error past the permission check
	}
	return ProbeUnknown, err
}

// marketMode reports whether the exchange refused an order only because the
// market is in cancel-only or post-only mode: the permission check passed.
func marketMode(e *APIError) bool {
	for _, m := range e.Messages {
		if strings.HasPrefix(m, "EService:Market in") {
			return true
		}
	}
	return false
}

// newOrderID returns a random version-4 UUID, the form cl_ord_id takes.
func newOrderID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
