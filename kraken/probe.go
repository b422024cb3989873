package kraken

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
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
	// Answers holds, for a permission left unknown by an answer that says
	// nothing about it, what the exchange said, scrubbed and capped
	// (MaxQuoted), so it can be shown instead of guessed at.
	Answers map[Permission]string
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
// Only an answer that shows the permission check passed counts as granted:
// a result, or the method's own validation of its (deliberately harmless)
// arguments, such as "EOrder:Unknown order" for the random order id or
// "EGeneral:Invalid arguments" (see PassedPermissionCheck).
// "EGeneral:Permission denied" means not granted. Any other answer says
// nothing about the permission, and it stays Unknown: a method the exchange
// does not offer, a market in cancel-only mode, an unknown asset, and any
// error string this package does not know (quoted in Answers). An earlier
// rule, "any other answer means the check passed", read throttling and
// outages as "can move money out"; it is gone. earn-funds and the
// withdrawal-address permissions have no safe probe and stay Unknown, as do
// add-funds and withdraw-funds when query-funds is not granted.
//
// Probe stops at the first answer that makes the rest meaningless and
// returns it with a nil result: authentication errors (IsAuthError) at once,
// so a failing key is not hammered into a lockout; a lockout, the rate
// counter or throttling ("EAPI:Rate limit exceeded", "EGeneral:Too many
// requests", "EService:Throttled"); the exchange down or busy; an invalid
// session; a locked account; a disabled feature; a request the exchange
// cannot read; and network failures or unreadable answers. Calls are paced
// by the Client's RateCounter; the full run costs 9 (AddOrder and
// CancelOrder are on the trading limiter, not on the REST counter).
func (c *Client) Probe(ctx context.Context, otp func() string) (*ProbeResult, error) {
	res := &ProbeResult{
		Status:  make(map[Permission]ProbeStatus, len(Catalogue)),
		Answers: make(map[Permission]string),
	}
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
		_, callErr := c.call(ctx, pr.method, otp, params...)
		status, err := probeOutcome(callErr)
		if err != nil {
			return nil, err
		}
		res.Status[pr.perm] = status
		if answer := unknownAnswer(status, callErr); answer != "" {
			res.Answers[pr.perm] = answer
		}
	}
	return res, nil
}

// probeOutcome turns a probe call's error into what it says about the
// permission, or returns the error when probing must stop.
func probeOutcome(err error) (ProbeStatus, error) {
	switch {
	case PassedPermissionCheck(err):
		return ProbeGranted, nil
	case errors.Is(err, ErrPermissionDenied):
		return ProbeNotGranted, nil
	case saysNothing(err):
		return ProbeUnknown, nil
	}
	return ProbeUnknown, err
}

// saysNothing reports whether err is an answer about the call that tells
// nothing about the permission but no reason to stop probing either.
func saysNothing(err error) bool {
	var apiErr *APIError
	switch {
	case errors.Is(err, ErrUnknownMethod), errors.Is(err, ErrMarketRestricted), errors.Is(err, ErrUnknownAsset):
		return true
	case errors.As(err, &apiErr):
		return apiErr.Unwrap() == nil // a string this package does not know
	}
	return false
}

// unknownAnswer returns what the exchange said, for a permission an answer
// left unknown; "" otherwise.
func unknownAnswer(status ProbeStatus, err error) string {
	var apiErr *APIError
	if status != ProbeUnknown || !errors.As(err, &apiErr) {
		return ""
	}
	return apiErr.Method + " answered " + quoted(apiErr)
}

// newOrderID returns a random version-4 UUID, the form cl_ord_id takes.
func newOrderID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
