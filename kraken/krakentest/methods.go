package krakentest

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

// method is one private method the simulation offers.
type method struct {
	perms  []kraken.Permission // all needed; none for GetApiKeyInfo
	cost   float64             // rate counter increment ([RL])
	unsafe func(p url.Values) bool
	// handle answers an authenticated, permitted call: a result, or an
	// error string. It runs with the Exchange locked.
	handle func(e *Exchange, s *keyState, p url.Values, now time.Time) (any, string)
}

// methods are the calls Keywarden makes (GetApiKeyInfo and the fallback
// probes of KRAKEN.md), with the ones a probe must never be confused with
// (AddExport, DepositAddresses, Withdraw). Any other method answers
// "EGeneral:Unknown method".
var methods = map[string]method{
	"GetApiKeyInfo": {cost: 1, handle: getAPIKeyInfo},

	"Balance": {perms: perms(kraken.QueryFunds), cost: 1, handle: fixed(map[string]string{"ZUSD": "0.0000"})},

	"OpenOrders":    {perms: perms(kraken.QueryOpenTrades), cost: 1, handle: fixed(map[string]any{"open": map[string]any{}})},
	"ClosedOrders":  {perms: perms(kraken.QueryClosedTrades), cost: 1, handle: fixed(map[string]any{"closed": map[string]any{}, "count": 0})},
	"TradesHistory": {perms: perms(kraken.QueryClosedTrades), cost: 2, handle: fixed(map[string]any{"trades": map[string]any{}, "count": 0})},

	"Ledgers":      {perms: perms(kraken.QueryLedger), cost: 2, handle: ledgers},
	"QueryLedgers": {perms: perms(kraken.QueryLedger), cost: 2, handle: queryLedgers},

	"ExportStatus": {perms: perms(kraken.ExportData), cost: 1, handle: exportStatus},
	"AddExport":    {perms: perms(kraken.ExportData), cost: 1, unsafe: always, handle: addExport},

	"GetWebSocketsToken": {perms: perms(kraken.CreateWSToken), cost: 1, handle: webSocketsToken},

	"DepositMethods":   {perms: perms(kraken.AddFunds, kraken.QueryFunds), cost: 1, handle: depositMethods},
	"DepositAddresses": {perms: perms(kraken.AddFunds), cost: 1, unsafe: newDepositAddress, handle: depositAddresses},

	"WithdrawMethods": {perms: perms(kraken.WithdrawFunds, kraken.QueryFunds), cost: 1, handle: withdrawMethods},
	"Withdraw":        {perms: perms(kraken.WithdrawFunds), cost: 1, unsafe: always, handle: withdraw},

	// [RL]: orders are on a separate trading limiter, not the REST counter.
	// The simulation does not model that limiter (per pair, penalising
	// short-lived orders): it answers no order rate limit.
	"AddOrder":    {perms: perms(kraken.ModifyTrades), cost: 0, unsafe: placesOrder, handle: addOrder},
	"CancelOrder": {perms: perms(kraken.CloseTrades), cost: 0, unsafe: cancelsByTxid, handle: cancelOrder},
}

// mutating are real private methods the simulation does not offer but
// that change the account: a request for one is flagged Unsafe even
// though it answers "EGeneral:Unknown method".
var mutating = map[string]bool{
	"AddOrderBatch": true, "AmendOrder": true, "EditOrder": true,
	"CancelAll": true, "CancelAllOrdersAfter": true, "CancelOrderBatch": true,
	"WithdrawCancel": true, "WalletTransfer": true, "RemoveExport": true,
	"Stake": true, "Unstake": true, "Earn/Allocate": true, "Earn/Deallocate": true,
	"AccountTransfer": true, "CreateSubaccount": true,
	"AddWithdrawalAddress": true, "UpdateWithdrawalAddress": true,
}

func perms(p ...kraken.Permission) []kraken.Permission { return p }

func always(url.Values) bool { return true }

// newDepositAddress: DepositAddresses with new set creates an address.
// Anything but an absent or "false" value counts, to be safe.
func newDepositAddress(p url.Values) bool {
	return p.Has("new") && p.Get("new") != "false"
}

// placesOrder: AddOrder only validates when validate is exactly "true";
// a client sending anything else might trade on the real exchange.
func placesOrder(p url.Values) bool {
	return p.Get("validate") != "true"
}

// cancelsByTxid: a txid, even an unknown one, may cancel real orders (a
// bare integer is read as a userref: KRAKEN.md, Fallback probes).
func cancelsByTxid(p url.Values) bool {
	return p.Has("txid")
}

// fixed answers every permitted call with the same result: an empty
// account.
func fixed(result any) func(*Exchange, *keyState, url.Values, time.Time) (any, string) {
	return func(*Exchange, *keyState, url.Values, time.Time) (any, string) { return result, "" }
}

// keyInfo is GetApiKeyInfo's result, field for field as documented
// (KRAKEN.md, GetApiKeyInfo [K1]).
type keyInfo struct {
	APIKeyName   string   `json:"apiKeyName"`
	APIKey       string   `json:"apiKey"`
	Nonce        string   `json:"nonce"`
	NonceWindow  int      `json:"nonceWindow"`
	Permissions  []string `json:"permissions"`
	IBAN         string   `json:"iban"`
	ValidUntil   string   `json:"validUntil"`
	QueryFrom    string   `json:"queryFrom"`
	QueryTo      string   `json:"queryTo"`
	CreatedTime  string   `json:"createdTime"`
	ModifiedTime string   `json:"modifiedTime"`
	IPAllowlist  []string `json:"ipAllowlist"`
	LastUsed     *string  `json:"lastUsed"`
}

func getAPIKeyInfo(e *Exchange, s *keyState, _ url.Values, _ time.Time) (any, string) {
	if e.cfg.noKeyInfo {
		return nil, errUnknownMethod
	}
	k := s.key
	if e.cfg.infoBeforeCall {
		k.Nonce, k.LastUsed = s.before.nonce, s.before.lastUsed
	}
	info := keyInfo{
		APIKeyName:   k.Name,
		APIKey:       k.APIKey,
		Nonce:        strconv.FormatUint(k.Nonce, 10),
		NonceWindow:  k.NonceWindow,
		Permissions:  make([]string, 0, len(k.Permissions)),
		IBAN:         k.IBAN,
		ValidUntil:   unixString(k.ValidUntil),
		QueryFrom:    unixString(k.QueryFrom),
		QueryTo:      unixString(k.QueryTo),
		CreatedTime:  unixString(k.Created),
		ModifiedTime: unixString(k.Modified),
		IPAllowlist:  append([]string{}, k.IPAllowlist...),
	}
	for _, p := range k.Permissions {
		info.Permissions = append(info.Permissions, string(p))
	}
	if !k.LastUsed.IsZero() {
		last := unixString(k.LastUsed)
		info.LastUsed = &last
	}
	return info, ""
}

// unixString formats t as the exchange does: Unix seconds as a string,
// "0" for not set.
func unixString(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	return strconv.FormatInt(t.Unix(), 10)
}

func validReport(p url.Values) bool {
	r := p.Get("report")
	return r == "trades" || r == "ledgers"
}

// exportStatus lists the account's exports of one kind: none.
func exportStatus(_ *Exchange, _ *keyState, p url.Values, _ time.Time) (any, string) {
	if !validReport(p) {
		return nil, errInvalidArguments
	}
	return []any{}, ""
}

func addExport(_ *Exchange, _ *keyState, p url.Values, _ time.Time) (any, string) {
	if !validReport(p) || p.Get("description") == "" {
		return nil, errInvalidArguments
	}
	return map[string]string{"id": newRefID()[:4]}, ""
}

// webSocketsToken answers a fresh token, valid 900 s as on the exchange.
func webSocketsToken(*Exchange, *keyState, url.Values, time.Time) (any, string) {
	token := base64.RawStdEncoding.EncodeToString(randomBytes(30))
	return map[string]any{"token": token, "expires": 900}, ""
}

func depositMethods(_ *Exchange, _ *keyState, p url.Values, _ time.Time) (any, string) {
	if p.Get("asset") == "" {
		return nil, errInvalidArguments
	}
	return []map[string]any{{
		"method": "Bitcoin", "limit": false, "fee": "0.0000000000", "gen-address": true, "minimum": "0.00010000",
	}}, ""
}

func depositAddresses(_ *Exchange, _ *keyState, p url.Values, _ time.Time) (any, string) {
	if p.Get("asset") == "" || p.Get("method") == "" {
		return nil, errInvalidArguments
	}
	addr := map[string]any{"address": "bc1q" + lowerAlnum(randomBytes(38)), "expiretm": "0"}
	if newDepositAddress(p) {
		addr["new"] = true
	}
	return []map[string]any{addr}, ""
}

func withdrawMethods(*Exchange, *keyState, url.Values, time.Time) (any, string) {
	return []map[string]any{{
		"asset": "XXBT", "method": "Bitcoin", "network": "Bitcoin", "minimum": "0.0005",
	}}, ""
}

func withdraw(_ *Exchange, _ *keyState, p url.Values, _ time.Time) (any, string) {
	if p.Get("asset") == "" || p.Get("key") == "" || p.Get("amount") == "" {
		return nil, errInvalidArguments
	}
	return map[string]string{"refid": newRefID()}, ""
}

// addOrder checks the order's arguments; with validate=true it only
// describes the order, as the exchange does, and otherwise "places" it.
func addOrder(_ *Exchange, _ *keyState, p url.Values, _ time.Time) (any, string) {
	side, kind := p.Get("type"), p.Get("ordertype")
	if (side != "buy" && side != "sell") || kind == "" || p.Get("pair") == "" || p.Get("volume") == "" {
		return nil, errInvalidArguments
	}
	if kind == "limit" && p.Get("price") == "" {
		return nil, errInvalidArguments
	}
	order := side + " " + p.Get("volume") + " " + p.Get("pair") + " @ " + kind
	if price := p.Get("price"); price != "" {
		order += " " + price
	}
	result := map[string]any{"descr": map[string]string{"order": order}}
	if placesOrder(p) {
		result["txid"] = []string{newRefID()}
	}
	return result, ""
}

// cancelOrder: the simulated account has no open orders, so whatever is
// named, by txid or by cl_ord_id, is unknown.
func cancelOrder(_ *Exchange, _ *keyState, p url.Values, _ time.Time) (any, string) {
	txid, clOrdID := p.Get("txid"), p.Get("cl_ord_id")
	if (txid == "") == (clOrdID == "") {
		return nil, errInvalidArguments
	}
	return nil, errUnknownOrder
}

func lowerAlnum(b []byte) string {
	const alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l" // bech32
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = alphabet[int(c)%len(alphabet)]
	}
	return string(out)
}
