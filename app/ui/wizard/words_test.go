package wizard

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/keywarden/keywarden/kraken"
)

// Issue 20: the Deposit permission wore a "can trade" badge, and ticking it
// said the key "can trade", though money only comes in.
func TestPermissions_DepositIsNotTrading(t *testing.T) {
	h := newHarness(t, nil)
	var words []string
	for _, o := range test.LaidOutObjects(h.wz.perms.box) {
		if b, ok := o.(*riskBadge); ok {
			words = append(words, b.words)
		}
	}
	if len(words) != len(kraken.Catalogue) {
		t.Fatalf("%d badges, want %d", len(words), len(kraken.Catalogue))
	}
	for i, info := range kraken.Catalogue {
		want := info.Risk.String()
		if info.Code == kraken.AddFunds {
			want = "money in only"
		}
		if words[i] != want {
			t.Errorf("%s's badge says %q, want %q", info.Label, words[i], want)
		}
	}
	for p, c := range h.wz.perms.checks {
		c.SetChecked(p == kraken.QueryFunds || p == kraken.AddFunds)
	}
	if s := h.wz.perms.summary.Text; strings.Contains(s, "can trade") || !strings.Contains(s, "money can only come in") {
		t.Errorf("summary %q", s)
	}
}
