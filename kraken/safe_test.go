package kraken

import (
	"errors"
	"testing"
)

func TestCheckSafe(t *testing.T) {
	tests := []struct {
		name   string
		method string
		params []param
		want   bool
	}{
		{"GetApiKeyInfo is safe", "GetApiKeyInfo", nil, true},
		{"Balance is safe", "Balance", nil, true},
		{"ExportStatus for ledgers is safe", "ExportStatus", []param{{"report", "ledgers"}}, true},
		{"DepositMethods is safe", "DepositMethods", []param{{"asset", "XBT"}}, true},
		{"a validated order is safe", "AddOrder", []param{{"pair", "XBTUSD"}, {"validate", true}}, true},
		{"cancelling by a client order id is safe", "CancelOrder", []param{{"cl_ord_id", "5f1b7c1e-0000-4000-8000-000000000000"}}, true},

		{"an order without validate is refused", "AddOrder", []param{{"pair", "XBTUSD"}, {"type", "buy"}}, false},
		{"an order with validate false is refused", "AddOrder", []param{{"validate", false}}, false},
		{"an order with validate as a string is refused", "AddOrder", []param{{"validate", "true"}}, false},
		{"an order with an unexpected parameter is refused", "AddOrder", []param{{"validate", true}, {"close[ordertype]", "limit"}}, false},
		{"cancelling by txid is refused", "CancelOrder", []param{{"txid", "OQCLML-BW3P3-BUCMWZ"}}, false},
		{"cancelling by an integer is refused: it is a userref", "CancelOrder", []param{{"cl_ord_id", "12345"}}, false},
		{"cancelling with an empty id is refused", "CancelOrder", []param{{"cl_ord_id", ""}}, false},
		{"AddExport is refused", "AddExport", []param{{"report", "ledgers"}}, false},
		{"DepositAddresses is refused", "DepositAddresses", []param{{"asset", "XBT"}, {"new", true}}, false},
		{"Withdraw is refused", "Withdraw", nil, false},
		{"CancelAll is refused", "CancelAll", nil, false},
		{"ExportStatus with parameters besides report is refused", "ExportStatus", []param{{"report", "trades"}}, false},
		{"Balance with parameters is refused", "Balance", []param{{"asset", "XBT"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkSafe(tt.method, tt.params)
			if got := err == nil; got != tt.want {
				t.Errorf("checkSafe(%s, %v) = %v, want safe: %v", tt.method, tt.params, err, tt.want)
			}
			if err != nil && !errors.Is(err, errUnsafeCall) {
				t.Errorf("error %v does not match errUnsafeCall", err)
			}
		})
	}
}

func TestProbes_areAllSafe(t *testing.T) {
	for _, pr := range probes {
		t.Run("the "+pr.method+" probe passes the safe list", func(t *testing.T) {
			var params []param
			if pr.params != nil {
				params = pr.params()
			}
			if err := checkSafe(pr.method, params); err != nil {
				t.Error(err)
			}
		})
	}
}
