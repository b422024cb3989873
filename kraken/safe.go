package kraken

import (
	"errors"
	"fmt"
)

// errUnsafeCall means code in this package tried a call outside safeCalls:
// a bug, refused before anything is sent.
var errUnsafeCall = errors.New("kraken: refusing a call outside the safe list")

// safeCalls is every private method this package may call, each with a
// check of its parameters. None of these calls can trade, move money or
// change the account: AddOrder only with validate=true, CancelOrder only by
// a client order id (a bare integer would be read as a userref and could
// cancel real orders), ExportStatus but never AddExport, DepositMethods but
// never DepositAddresses.
var safeCalls = map[string]func([]param) bool{
	"GetApiKeyInfo": noParams,
	"Balance":       noParams,
	"OpenOrders":    noParams,
	"ClosedOrders":  noParams,
	"Ledgers":       ledgerParams,
	"QueryLedgers": func(ps []param) bool {
		return len(ps) == 1 && ps[0].name == "id" && isString(ps[0].value)
	},
	"GetWebSocketsToken": noParams,
	"WithdrawMethods":    noParams,
	"ExportStatus": func(ps []param) bool {
		return len(ps) == 1 && ps[0] == param{"report", "ledgers"}
	},
	"DepositMethods": func(ps []param) bool {
		return len(ps) == 1 && ps[0].name == "asset" && isString(ps[0].value)
	},
	"AddOrder": func(ps []param) bool {
		validated := false
		for _, p := range ps {
			switch p.name {
			case "validate":
				validated = p.value == true
			case "pair", "type", "ordertype", "price", "volume":
				if !isString(p.value) {
					return false
				}
			default:
				return false
			}
		}
		return validated
	},
	"CancelOrder": func(ps []param) bool {
		if len(ps) != 1 || ps[0].name != "cl_ord_id" {
			return false
		}
		id, ok := ps[0].value.(string)
		return ok && !allDigits(id)
	},
}

// checkSafe refuses a call that is not in safeCalls.
func checkSafe(method string, params []param) error {
	ok := safeCalls[method]
	if ok == nil || !ok(params) {
		return fmt.Errorf("%w: %s", errUnsafeCall, method)
	}
	return nil
}

func noParams(ps []param) bool { return len(ps) == 0 }

// ledgerParams: Ledgers only reads, whatever its bounds and offset.
func ledgerParams(ps []param) bool {
	for _, p := range ps {
		switch p.name {
		case "start", "end", "ofs":
			if !isString(p.value) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

// allDigits reports whether s is empty or only ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
