package kraken

import "testing"

// Issue 20: Deposit was labelled "can trade", though money only comes in.
func TestRiskWords(t *testing.T) {
	tests := []struct {
		perms []Permission
		want  string
	}{
		{nil, "read only"},
		{[]Permission{QueryFunds, AddFunds}, "money in only"},
		{[]Permission{AddFunds, ModifyTrades}, "can trade"},
		{[]Permission{AddFunds, WithdrawFunds}, "can move money out"},
		{[]Permission{AddFunds, "new-permission"}, "can move money out"},
	}
	for _, tc := range tests {
		if got := RiskWords(tc.perms); got != tc.want {
			t.Errorf("RiskWords(%v) = %q, want %q", tc.perms, got, tc.want)
		}
	}
	if got := AddFunds.RiskWords(); got != "money in only" {
		t.Errorf("Deposit's badge says %q", got)
	}
	if got := ModifyTrades.RiskWords(); got != "can trade" {
		t.Errorf("Create & modify orders' badge says %q", got)
	}
}
