package review

import (
	"slices"
	"testing"

	"github.com/keywarden/keywarden/kraken"
)

func TestDrift(t *testing.T) {
	tests := []struct {
		name                   string
		intended, real         []kraken.Permission
		wantExtra, wantMissing []kraken.Permission
	}{
		{"the same sets have no drift",
			perms(kraken.QueryFunds, kraken.QueryLedger), perms(kraken.QueryLedger, kraken.QueryFunds), nil, nil},
		{"extra permissions on the exchange",
			perms(kraken.QueryFunds), perms(kraken.WithdrawFunds, kraken.QueryFunds, kraken.AddFunds),
			perms(kraken.AddFunds, kraken.WithdrawFunds), nil},
		{"permissions missing on the exchange",
			perms(kraken.QueryFunds, kraken.ExportData, kraken.QueryLedger), perms(kraken.QueryFunds),
			nil, perms(kraken.QueryLedger, kraken.ExportData)},
		{"both ways at once",
			perms(kraken.QueryFunds, kraken.ModifyTrades), perms(kraken.QueryFunds, kraken.CloseTrades),
			perms(kraken.CloseTrades), perms(kraken.ModifyTrades)},
		{"unknown codes come last", nil, perms("zz-new", kraken.QueryFunds), perms(kraken.QueryFunds, "zz-new"), nil},
		{"duplicates count once", nil, perms(kraken.QueryFunds, kraken.QueryFunds), perms(kraken.QueryFunds), nil},
		{"nothing on either side", nil, nil, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			extra, missing := Drift(tc.intended, tc.real)
			if !slices.Equal(extra, tc.wantExtra) || !slices.Equal(missing, tc.wantMissing) {
				t.Errorf("Drift = %v, %v; want %v, %v", extra, missing, tc.wantExtra, tc.wantMissing)
			}
		})
	}
}
