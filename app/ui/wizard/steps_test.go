package wizard

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func TestWizard_malformedKeyBlocksNext(t *testing.T) {
	h := newHarness(t, nil)
	h.fillStep1("koinly-tax-import", "Koinly", vault.PurposeTaxImport)
	h.next()
	h.next()
	h.next()
	h.next()
	apiKey, privateKey := krakentest.NewKeyPair()
	tests := []struct {
		name, api, priv string
		field           *widget.Label
		want            string
	}{
		{"a short API key", apiKey[:55], privateKey, h.wz.keys.apiMsg, "55 characters, not 56"},
		{"a private key that is not base64", apiKey, "!" + privateKey[1:], h.wz.keys.privMsg, "not base64"},
		{"the keys swapped", privateKey, apiKey, h.wz.keys.apiMsg, "wrong way round"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.paste(tt.api, tt.priv)
			if !h.wz.next.Disabled() || h.wz.hint.Text == "" {
				t.Errorf("Next enabled (hint %q)", h.wz.hint.Text)
			}
			if tt.field.Importance != widget.DangerImportance || !strings.Contains(tt.field.Text, tt.want) {
				t.Errorf("message %q, want one containing %q", tt.field.Text, tt.want)
			}
			text := visibleText(h.win.Canvas())
			for _, secret := range []string{tt.api, tt.priv, apiKey[:20], privateKey[1:30]} {
				if strings.Contains(text, secret) {
					t.Error("the pasted value is echoed on screen")
				}
			}
		})
	}
	h.paste(apiKey, privateKey)
	if h.wz.next.Disabled() {
		t.Errorf("Next disabled with a well-formed pair: %q", h.wz.hint.Text)
	}
}

func TestWizard_names(t *testing.T) {
	existing := []vault.Record{
		{ID: "1", Name: "Koinly-Tax", UsedBy: []string{"koinly"}, Status: vault.StatusActive},
		{ID: "2", Name: "old-bot", UsedBy: []string{"freqtrade"}, Status: vault.StatusRevoked},
	}
	h := newHarness(t, nil, existing...)
	n := h.wz.names

	if !h.wz.next.Disabled() || !strings.Contains(h.wz.hint.Text, "name") {
		t.Errorf("Next enabled without a name (hint %q)", h.wz.hint.Text)
	}
	test.Type(n.name, "koinly-tax")
	if !h.wz.next.Disabled() || n.nameMsg.Importance != widget.DangerImportance || !strings.Contains(n.nameMsg.Text, "already named") {
		t.Errorf("duplicate name (case-insensitive) accepted: %q", n.nameMsg.Text)
	}
	n.name.SetText("old-bot")
	if h.wz.next.Disabled() {
		t.Errorf("the name of a revoked key is refused: %q", h.wz.hint.Text)
	}
	n.name.SetText("api-key-1605316109249")
	if h.wz.next.Disabled() || n.nameMsg.Importance != widget.WarningImportance || n.nameMsg.Hidden {
		t.Errorf("a default-looking name: Next disabled %v, message %q", h.wz.next.Disabled(), n.nameMsg.Text)
	}

	test.Type(n.usedBy, "Koinly, my laptop")
	if n.usedByMsg.Hidden || !strings.Contains(n.usedByMsg.Text, `"Koinly-Tax"`) {
		t.Errorf("no warning that Koinly already holds a key: %q", n.usedByMsg.Text)
	}
	want := "koinly-tax-import-" + h.now.Format("2006-01")
	if n.suggest.Text != "Use "+want {
		t.Errorf("suggestion button %q, want %q", n.suggest.Text, "Use "+want)
	}
	test.Tap(n.suggest)
	if n.name.Text != want || !n.nameMsg.Hidden {
		t.Errorf("after one click the name is %q (message %q)", n.name.Text, n.nameMsg.Text)
	}
}

func TestWizard_dangerousPermissionAsks(t *testing.T) {
	h := newHarness(t, nil)
	h.fillStep1("koinly-tax-import", "Koinly", vault.PurposeTaxImport)
	h.next()
	p := h.wz.perms
	withdraw := p.checks[kraken.WithdrawFunds]

	test.Tap(withdraw)
	if p.confirm == nil || len(h.win.Canvas().Overlays().List()) == 0 {
		t.Fatal("ticking Withdraw did not ask")
	}
	p.confirm.Dismiss()
	if withdraw.Checked {
		t.Error(`"No" left Withdraw ticked`)
	}
	if !p.beyond.Hidden {
		t.Errorf("beyond warning shown with nothing beyond: %q", p.beyond.Text)
	}

	test.Tap(withdraw)
	p.confirm.Confirm()
	if !withdraw.Checked {
		t.Fatal(`"Tick it" did not keep Withdraw ticked`)
	}
	if p.beyond.Hidden || !strings.Contains(p.beyond.Text, "Funds – Withdraw") || !strings.Contains(p.summary.Text, "move money out") {
		t.Errorf("no warning for a set beyond the purpose: beyond %q, summary %q", p.beyond.Text, p.summary.Text)
	}

	// Reading permissions do not ask.
	before := p.confirm
	test.Tap(p.checks[kraken.QueryOpenTrades])
	if p.confirm != before {
		t.Error("ticking a read permission asked for confirmation")
	}
}

func TestWizard_purposeRetickOnlyUntilEdited(t *testing.T) {
	h := newHarness(t, nil)
	h.fillStep1("freqtrade-bot", "freqtrade", vault.PurposeTaxImport)
	h.wz.names.purpose.SetSelected(vault.PurposeTradingBot.Label())
	if got := h.wz.perms.selected(); !permsEqual(got, vault.PurposeTradingBot.LeastPermissions()) {
		t.Fatalf("after choosing trading bot: %v", got)
	}
	h.next()
	test.Tap(h.wz.perms.checks[kraken.CreateWSToken])
	h.back()
	h.wz.names.purpose.SetSelected(vault.PurposeDashboard.Label())
	if !h.wz.perms.checks[kraken.ModifyTrades].Checked || !h.wz.perms.checks[kraken.CreateWSToken].Checked {
		t.Error("changing the purpose undid the person's own ticks")
	}
}

func TestWizard_backAndNextKeepValues(t *testing.T) {
	h := newHarness(t, nil)
	h.fillStep1("koinly-tax-import", "Koinly, Accointing", vault.PurposeTaxImport)
	h.next()
	test.Tap(h.wz.perms.checks[kraken.QueryOpenTrades])
	h.next()
	test.Type(h.wz.limits.ips, "2001:db8::/48")
	h.wz.limits.expiry.SetText(h.now.AddDate(0, 1, 0).Format(dateLayout))
	h.wz.limits.nonce.SetText("3")
	h.next()
	h.next()
	apiKey, privateKey := krakentest.NewKeyPair()
	h.paste(apiKey, privateKey)
	h.next()
	h.wz.twofa.setMode(vault.TwoFATyped)
	test.Type(h.wz.twofa.code, "123456")

	for h.wz.current > 0 {
		h.back()
	}
	for range 5 {
		h.next()
	}
	checks := []struct{ what, got, want string }{
		{"name", h.wz.names.name.Text, "koinly-tax-import"},
		{"used by", h.wz.names.usedBy.Text, "Koinly, Accointing"},
		{"purpose", h.wz.names.purpose.Selected, vault.PurposeTaxImport.Label()},
		{"IPs", h.wz.limits.ips.Text, "2001:db8::/48"},
		{"expiry", h.wz.limits.expiry.Text, h.now.AddDate(0, 1, 0).Format(dateLayout)},
		{"nonce", h.wz.limits.nonce.Text, "3"},
		{"API key", h.wz.keys.apiKey.Text, apiKey},
		{"private key", h.wz.keys.privateKey.Text, privateKey},
		{"2FA", h.wz.twofa.mode.Selected, "A code I type at each check"},
		{"code", h.wz.twofa.code.Text, "123456"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %q after Back and Next, want %q", c.what, c.got, c.want)
		}
	}
	if !h.wz.perms.checks[kraken.QueryOpenTrades].Checked {
		t.Error("a permission tick was lost")
	}
}

func TestWizard_restrictions(t *testing.T) {
	h := newHarness(t, nil)
	h.fillStep1("freqtrade-vps", "freqtrade", vault.PurposeTradingBot)
	h.next()
	h.next()
	l := h.wz.limits
	want := startOfDay(h.now, h.now.Location()).AddDate(0, 0, 30).Format(dateLayout)
	if l.expiry.Text != want || !strings.Contains(l.expiryInfo.Text, "30 days") {
		t.Errorf("trading key expiry %q (%q), want the 30-day recommendation %s", l.expiry.Text, l.expiryInfo.Text, want)
	}

	test.Type(l.ips, "203.0.113.7\n10.0.0.300")
	if !h.wz.next.Disabled() || !strings.Contains(l.ipMsg.Text, `"10.0.0.300"`) {
		t.Errorf("bad IP: Next disabled %v, message %q", h.wz.next.Disabled(), l.ipMsg.Text)
	}
	l.ips.SetText("203.0.113.7/24")
	if !strings.Contains(l.ipMsg.Text, "203.0.113.0/24") {
		t.Errorf("a range with host bits: %q", l.ipMsg.Text)
	}
	l.ips.SetText("203.0.113.7")

	l.expiry.SetText("27/02/2027")
	if !h.wz.next.Disabled() || !strings.Contains(l.expiryMsg.Text, "year-month-day") {
		t.Errorf("a date in another format: %q", l.expiryMsg.Text)
	}
	l.expiry.SetText(h.now.Format(dateLayout))
	if !h.wz.next.Disabled() || !strings.Contains(l.expiryMsg.Text, "after today") {
		t.Errorf("today as expiry: %q", l.expiryMsg.Text)
	}
	test.Tap(l.noExpiry)
	if h.wz.next.Disabled() || l.expiryMsg.Importance != widget.WarningImportance || !strings.Contains(l.expiryMsg.Text, "can trade") {
		t.Errorf("no expiry on a trading key: Next disabled %v, message %q", h.wz.next.Disabled(), l.expiryMsg.Text)
	}
	if !l.expiry.Disabled() {
		t.Error("the date field is enabled with No expiry ticked")
	}

	l.nonce.SetText("-1")
	if !h.wz.next.Disabled() || l.nonceMsg.Hidden {
		t.Error("a negative nonce window is accepted")
	}
	l.nonce.SetText("")
	if h.wz.next.Disabled() {
		t.Errorf("an empty nonce window (0) is refused: %q", h.wz.hint.Text)
	}
	h.next()
	if list := strings.Join(h.wz.site.lines, "\n"); !strings.Contains(list, "Key expiration: leave it off") || !strings.Contains(list, "add 203.0.113.7, and nothing else") {
		t.Errorf("checklist:\n%s", list)
	}

	// The chosen date is kept even when the permissions change.
	h.back()
	test.Tap(l.noExpiry)
	l.expiry.SetText(h.now.AddDate(0, 0, 10).Format(dateLayout))
	h.back()
	test.Tap(h.wz.perms.checks[kraken.ModifyTrades])
	h.next()
	if l.expiry.Text != h.now.AddDate(0, 0, 10).Format(dateLayout) {
		t.Errorf("a date the person chose was replaced by %q", l.expiry.Text)
	}
}

func TestWizard_rotationPrefill(t *testing.T) {
	created := time.Now().AddDate(0, -1, 0)
	old := vault.Record{
		ID: "0123456789abcdef", Name: "freqtrade-vps", Purpose: vault.PurposeTradingBot, UsedBy: []string{"freqtrade", "VPS"},
		Intended:     []kraken.Permission{kraken.QueryFunds, kraken.QueryOpenTrades, kraken.ModifyTrades, kraken.CloseTrades},
		Restrictions: vault.Restrictions{IPAllowlist: []string{"198.51.100.4"}, Expires: created.AddDate(0, 0, 30), NonceWindow: 2},
		TwoFA:        vault.TwoFATyped, Created: created, Status: vault.StatusActive,
	}
	h := newHarness(t, &old, old)
	n := h.wz.names
	if n.name.Text == "" || strings.EqualFold(n.name.Text, old.Name) || !strings.HasPrefix(n.name.Text, "freqtrade-trading-bot-") {
		t.Errorf("suggested name %q", n.name.Text)
	}
	if n.usedBy.Text != "freqtrade, VPS" || n.purposeValue() != vault.PurposeTradingBot {
		t.Errorf("used by %q, purpose %q", n.usedBy.Text, n.purposeValue())
	}
	if !n.usedByMsg.Hidden {
		t.Errorf("the key being replaced counts as another key of the service: %q", n.usedByMsg.Text)
	}
	if !strings.Contains(h.wz.heading.Text, `Replace "freqtrade-vps"`) {
		t.Errorf("heading %q", h.wz.heading.Text)
	}
	h.next()
	if got := h.wz.perms.selected(); !permsEqual(got, old.Intended) {
		t.Errorf("permissions %v, want the old key's %v", got, old.Intended)
	}
	h.next()
	l := h.wz.limits
	if l.ips.Text != "198.51.100.4" || l.nonce.Text != "2" || l.expiry.Text != startOfDay(h.now, h.now.Location()).AddDate(0, 0, 30).Format(dateLayout) {
		t.Errorf("restrictions: IPs %q, nonce %q, expiry %q", l.ips.Text, l.nonce.Text, l.expiry.Text)
	}
	if h.wz.twofa.modeValue() != vault.TwoFATyped {
		t.Errorf("2FA mode %q", h.wz.twofa.modeValue())
	}
	h.wz.twofa.setMode(vault.TwoFANone)
	h.wz.current = 0
	h.wz.show(0)
	h.toVerify(nil, nil)
	test.Tap(h.wz.save)
	h.wait()
	saved := h.savedResults()
	if len(saved) != 1 || saved[0].Record.Replaces != old.ID || saved[0].Note != "replaces “freqtrade-vps”" || saved[0].Readback == nil {
		t.Fatalf("saved %+v, want Replaces %s", saved, old.ID)
	}
}
