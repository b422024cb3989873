package kraken

import (
	"slices"
	"strings"
)

// Permission is one of the 13 permission codes a Kraken API key can hold,
// spelled as GetApiKeyInfo reports it (for example "query-funds").
type Permission string

// The permission codes, in the order the website lists them.
const (
	QueryFunds            Permission = "query-funds"
	AddFunds              Permission = "add-funds"
	WithdrawFunds         Permission = "withdraw-funds"
	EarnFunds             Permission = "earn-funds"
	QueryOpenTrades       Permission = "query-open-trades"
	QueryClosedTrades     Permission = "query-closed-trades"
	ModifyTrades          Permission = "modify-trades"
	CloseTrades           Permission = "close-trades"
	QueryLedger           Permission = "query-ledger"
	ExportData            Permission = "export-data"
	CreateWSToken         Permission = "create-ws-token"
	AddWithdrawAddress    Permission = "add-withdraw-address"
	UpdateWithdrawAddress Permission = "update-withdraw-address"
)

// Risk says how much harm a permission can do in the wrong hands.
type Risk int

// Risk levels, from harmless to dangerous.
const (
	RiskRead    Risk = iota // reads data only
	RiskTrade               // places or cancels orders, moves funds inside the account
	RiskMoveOut             // can move money out of the account, or prepare to
)

// String returns the risk level in plain words.
func (r Risk) String() string {
	switch r {
	case RiskRead:
		return "read only"
	case RiskTrade:
		return "can trade"
	case RiskMoveOut:
		return "can move money out"
	}
	return "unknown"
}

// PermissionInfo describes one permission the way a person needs to see it.
type PermissionInfo struct {
	Code    Permission
	Group   string // the website's group heading ("Funds", "Orders and trades", ...)
	Label   string // the checkbox label on the website
	Meaning string // plain words: what a holder of the key can do with it
	Risk    Risk
}

// Catalogue lists all 13 permissions in the website's order.
var Catalogue = []PermissionInfo{
	{QueryFunds, "Funds", "Query", "See your balances.", RiskRead},
	{AddFunds, "Funds", "Deposit", "Create deposit addresses and see deposit methods. Money can only come in.", RiskTrade},
	{WithdrawFunds, "Funds", "Withdraw", "Send your money to a withdrawal address already on the account.", RiskMoveOut},
	{EarnFunds, "Funds", "Earn", "Move funds into and out of staking and other Earn products.", RiskTrade},
	{QueryOpenTrades, "Orders and trades", "Query open orders & trades", "See your open orders and open positions.", RiskRead},
	{QueryClosedTrades, "Orders and trades", "Query closed orders & trades", "See your past orders and trades.", RiskRead},
	{ModifyTrades, "Orders and trades", "Create & modify orders", "Place and change orders: buy and sell with your money.", RiskTrade},
	{CloseTrades, "Orders and trades", "Cancel & close orders", "Cancel your orders and close positions.", RiskTrade},
	{QueryLedger, "Data", "Query ledger entries", "See every movement of funds on the account.", RiskRead},
	{ExportData, "Data", "Export data", "Download your full trade and ledger history as a report.", RiskRead},
	{CreateWSToken, "WebSocket interface", "On", "Use the WebSocket API (off by default on new keys); it can read and trade as far as the other permissions allow.", RiskRead},
	{AddWithdrawAddress, "Withdrawal addresses", "Add withdrawal addresses", "Add a new address money can be withdrawn to. With Withdraw, that is everything a thief needs.", RiskMoveOut},
	{UpdateWithdrawAddress, "Withdrawal addresses", "Update withdrawal addresses", "Change where an existing withdrawal address points.", RiskMoveOut},
}

var catalogueByCode = func() map[Permission]PermissionInfo {
	m := make(map[Permission]PermissionInfo, len(Catalogue))
	for _, p := range Catalogue {
		m[p.Code] = p
	}
	return m
}()

// Info returns the catalogue entry for p, and false for a code the catalogue
// does not know (the exchange may add new ones).
func (p Permission) Info() (PermissionInfo, bool) {
	info, ok := catalogueByCode[p]
	return info, ok
}

// Known reports whether p is one of the 13 documented permission codes.
func (p Permission) Known() bool {
	_, ok := catalogueByCode[p]
	return ok
}

// Risk returns the permission's risk level. An unknown code counts as the
// most dangerous, so nothing new slips through as harmless.
func (p Permission) Risk() Risk {
	if info, ok := catalogueByCode[p]; ok {
		return info.Risk
	}
	return RiskMoveOut
}

// MaxRisk returns the highest risk among perms (RiskRead for none).
func MaxRisk(perms []Permission) Risk {
	r := RiskRead
	for _, p := range perms {
		if p.Risk() > r {
			r = p.Risk()
		}
	}
	return r
}

// depositWords name Deposit's risk: it is ranked with trading, since it
// changes the account, but money only comes in, so "can trade" would mislead.
const depositWords = "money in only"

// RiskWords says in a few words what holding p risks, for its badge: its
// risk level's words (Risk.String), but "money in only" for Deposit.
func (p Permission) RiskWords() string {
	if p == AddFunds {
		return depositWords
	}
	return p.Risk().String()
}

// RiskWords says in a few words what holding perms risks: MaxRisk's words,
// but "money in only" when Deposit is the only permission above reading:
// such a key can neither trade nor move money out.
func RiskWords(perms []Permission) string {
	r := MaxRisk(perms)
	if r != RiskTrade {
		return r.String()
	}
	for _, p := range perms {
		if p.Risk() == RiskTrade && p != AddFunds {
			return r.String()
		}
	}
	return depositWords
}

// catalogueOrder is each known code's place in Catalogue.
var catalogueOrder = func() map[Permission]int {
	m := make(map[Permission]int, len(Catalogue))
	for i, p := range Catalogue {
		m[p.Code] = i
	}
	return m
}()

// SortPermissions sorts perms in the website's order, unknown codes last
// in alphabetical order, and drops duplicates. The review rules call it
// for every key several times, so it stays cheap: a key has a handful of
// permissions.
func SortPermissions(perms []Permission) []Permission {
	out := make([]Permission, 0, len(perms))
	if len(perms) <= 2*len(Catalogue) {
		for _, p := range perms {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	} else {
		seen := make(map[Permission]bool, len(perms))
		for _, p := range perms {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(a, b Permission) int {
		oa, aok := catalogueOrder[a]
		ob, bok := catalogueOrder[b]
		switch {
		case aok && bok:
			return oa - ob
		case aok:
			return -1
		case bok:
			return 1
		}
		return strings.Compare(string(a), string(b))
	})
	return out
}
