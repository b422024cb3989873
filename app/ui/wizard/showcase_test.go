package wizard

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func TestWizard_showcase(t *testing.T) {
	h := newHarness(t, nil)
	bot := vault.PurposeTradingBot.LeastPermissions()
	r := vault.Restrictions{IPAllowlist: []string{"203.0.113.24"}, Expires: h.now.Add(300 * 24 * time.Hour), NonceWindow: 5}
	k := h.ex.AddKey(krakentest.Key{Name: "freqtrade-bot-vps", Permissions: append(slices.Clone(bot), kraken.WithdrawFunds),
		IPAllowlist: r.IPAllowlist, ValidUntil: r.Expires, NonceWindow: r.NonceWindow})
	rec := vault.Record{Name: "freqtrade-bot-vps", Purpose: vault.PurposeTradingBot, UsedBy: []string{"freqtrade (VPS)"},
		Intended: bot, Restrictions: r, TwoFA: vault.TwoFANone}
	secret := vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey}

	h.wz.Showcase(rec, secret, 2)
	if h.wz.current != 1 || !slices.Equal(h.wz.perms.selected(), kraken.SortPermissions(bot)) {
		t.Fatalf("step %d, ticked %v; want step 2 with %v", h.wz.current+1, h.wz.perms.selected(), bot)
	}

	h.wz.Showcase(rec, secret, 7)
	h.wait()
	if h.wz.current != 6 {
		t.Fatalf("step %d, want 7", h.wz.current+1)
	}
	diffs := differences(h.wz.verify.rows)
	if len(diffs) != 1 || diffs[0].Perm != kraken.WithdrawFunds {
		t.Fatalf("differences %+v; want withdraw-funds only", diffs)
	}
	if s := h.wz.verify.status.Text; !strings.Contains(s, "1 difference ") || !strings.Contains(s, "Fix it on the website") {
		t.Errorf("status %q", s)
	}
}
