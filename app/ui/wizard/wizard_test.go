package wizard

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

var taxPerms = []kraken.Permission{kraken.QueryFunds, kraken.QueryClosedTrades, kraken.QueryLedger, kraken.ExportData}

func TestWizard_cleanVerifyThenSave(t *testing.T) {
	h := newHarness(t, nil)
	h.fillStep1("koinly-tax-import", "Koinly", vault.PurposeTaxImport)
	h.next()
	if got := h.wz.perms.selected(); !permsEqual(got, taxPerms) {
		t.Fatalf("pre-ticked %v, want the tax import's least set %v", got, taxPerms)
	}
	h.next()
	wantExpiry := startOfDay(h.now, h.now.Location()).AddDate(0, 0, 90)
	if got := h.wz.limits.expiry.Text; got != wantExpiry.Format(dateLayout) {
		t.Errorf("expiry pre-filled with %q, want the read-only recommendation %s", got, wantExpiry.Format(dateLayout))
	}
	test.Type(h.wz.limits.ips, "203.0.113.7, 198.51.100.0/24")
	h.next()

	// Step 4: the checklist names everything to do on the website.
	list := strings.Join(h.wz.site.lines, "\n")
	for _, want := range []string{"koinly-tax-import", "tick exactly these 4", "• Funds – Query\n", "• Orders and trades – Query closed orders & trades\n",
		"• Data – Query ledger entries\n• Data – Export data", "Do not tick anything else", `Leave "WebSocket interface" off`,
		"203.0.113.7, 198.51.100.0/24", wantExpiry.Format(dateLayout), "Nonce window: leave it at 0"} {
		if !strings.Contains(list, want) {
			t.Errorf("checklist lacks %q:\n%s", want, list)
		}
	}
	test.Tap(h.wz.site.copyName)
	if got := fyne.CurrentApp().Clipboard().Content(); got != "koinly-tax-import" {
		t.Errorf("Copy the name copied %q", got)
	}
	test.Tap(h.wz.site.open)
	if len(h.opened) != 1 || h.opened[0] != "https://pro.kraken.com/app/settings/api" {
		t.Errorf("Open Kraken's API page opened %v", h.opened)
	}

	k := h.addKey(h.wz.plan(), nil)
	h.next()
	h.paste("  "+k.APIKey+"\n", k.PrivateKey[:40]+"\n"+k.PrivateKey[40:]+" ")
	h.next()
	h.next()
	h.wait()

	v := h.wz.verify
	if v.readback == nil || v.readback.Outcome != vault.OutcomeOK {
		t.Fatalf("verify: %+v", v.readback)
	}
	if d := differences(v.rows); len(d) != 0 {
		t.Fatalf("differences on a key made exactly as planned: %+v", d)
	}
	if v.status.Importance != widget.SuccessImportance {
		t.Errorf("status %q is not shown as a success", v.status.Text)
	}
	if h.wz.save.Disabled() {
		t.Fatal("Save is disabled after a clean verify")
	}
	test.Tap(h.wz.save)
	h.wait()
	if v.confirm != nil {
		t.Error("a clean verify asked for a confirmation before saving")
	}

	saved := h.savedResults()
	if len(saved) != 1 {
		t.Fatalf("onSave called %d times, want 1", len(saved))
	}
	rec, sec, rb := saved[0].Record, saved[0].Secret, saved[0].Readback
	if sec.APIKey != k.APIKey || sec.PrivateKey != k.PrivateKey || sec.OTPSeed != "" || sec.OTPPassword != "" {
		t.Error("the secret is not the pasted key pair, cleaned of whitespace")
	}
	checks := []struct {
		what string
		ok   bool
	}{
		{"ID of 16 hex digits", regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(rec.ID)},
		{"name", rec.Name == "koinly-tax-import"},
		{"purpose", rec.Purpose == vault.PurposeTaxImport},
		{"used by", slices.Equal(rec.UsedBy, []string{"Koinly"})},
		{"key hint", rec.KeyHint == k.APIKey[len(k.APIKey)-4:]},
		{"intended", permsEqual(rec.Intended, taxPerms)},
		{"IP allow-list", slices.Equal(rec.Restrictions.IPAllowlist, []string{"203.0.113.7", "198.51.100.0/24"})},
		{"expiry", rec.Restrictions.Expires.Equal(wantExpiry)},
		{"nonce window", rec.Restrictions.NonceWindow == 0},
		{"2FA", rec.TwoFA == vault.TwoFANone},
		{"status", rec.Status == vault.StatusActive},
		{"created", rec.Created.Equal(h.now)},
		{"verify answer", rb != nil && rb.Outcome == vault.OutcomeOK && rb.Name == "koinly-tax-import"},
		{"replaces", rec.Replaces == ""},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("saved record: wrong %s: %+v", c.what, rec)
		}
	}
	if !h.wz.save.Disabled() || h.wz.cancel.Text != "Close" {
		t.Errorf("after saving: Save enabled %v, cancel button %q", !h.wz.save.Disabled(), h.wz.cancel.Text)
	}
	if text := visibleText(h.win.Canvas()); strings.Contains(text, k.APIKey) || strings.Contains(text, k.PrivateKey) {
		t.Error("a key is shown on screen")
	}
}

func TestWizard_verifyFindsDrift(t *testing.T) {
	h := newHarness(t, nil)
	h.fillStep1("koinly-tax-import", "Koinly", vault.PurposeTaxImport)
	k := h.toVerify(func(k *krakentest.Key) {
		k.Permissions = append(k.Permissions, kraken.WithdrawFunds)
		k.NonceWindow = 5
		k.Name = "api-key-1605316109249"
	}, nil)

	v := h.wz.verify
	w := h.row("Funds – Withdraw")
	if w.row.State != rowDiffers || !w.row.Danger || w.what.Importance != widget.DangerImportance || !w.what.TextStyle.Bold {
		t.Errorf("withdraw-funds is not highlighted as a dangerous difference: %+v", w.row)
	}
	if w.explain == nil || !strings.Contains(w.explain.Text, "Granted but not intended") || !strings.Contains(w.explain.Text, "can move money out") {
		t.Errorf("withdraw-funds explanation: %+v", w.explain)
	}
	if n := h.row("Nonce window"); n.row.State != rowDiffers || n.intended.Text != "0" || n.real.Text != "5" {
		t.Errorf("nonce window row %+v", n.row)
	}
	if n := h.row("Name"); n.row.State != rowDiffers || !strings.Contains(n.row.Explain, "api-key-1605316109249") {
		t.Errorf("name row %+v", n.row)
	}
	if q := h.row("Funds – Query"); q.row.State != rowSame {
		t.Errorf("a matching permission is marked %v", q.row.State)
	}
	if v.status.Importance != widget.DangerImportance || !strings.Contains(v.status.Text, "3 differences") {
		t.Errorf("status %q (importance %v)", v.status.Text, v.status.Importance)
	}
	// Issue 20: "Fix them" in the status and "Fix it" under it, on one page.
	if !strings.Contains(v.status.Text, "Fix them on the website") || !strings.Contains(v.againNote.Text, "Fix them on the website, then verify again") {
		t.Errorf("no advice to fix the 3 differences and verify again, in one number: %q / %q", v.status.Text, v.againNote.Text)
	}

	// Save asks first, naming every difference; "Go back" saves nothing.
	test.Tap(h.wz.save)
	if v.confirm == nil {
		t.Fatal("Save with differences did not ask")
	}
	for _, want := range []string{"Funds – Withdraw: granted but not intended (can move money out)", "Nonce window", "Name"} {
		if !strings.Contains(v.confirmText, want) {
			t.Errorf("confirmation does not name %q:\n%s", want, v.confirmText)
		}
	}
	v.confirm.Dismiss()
	h.wait()
	if n := len(h.savedResults()); n != 0 {
		t.Fatalf("saved %d keys after Go back", n)
	}

	// Fixed on the website, verified again: clean.
	h.ex.UpdateKey(k.APIKey, func(k *krakentest.Key) {
		k.Permissions = taxPerms
		k.NonceWindow = 0
		k.Name = "koinly-tax-import"
	})
	test.Tap(v.again)
	h.wait()
	if d := differences(v.rows); len(d) != 0 {
		t.Fatalf("differences after the fix: %+v", d)
	}
	test.Tap(h.wz.save)
	h.wait()
	if n := len(h.savedResults()); n != 1 {
		t.Fatalf("saved %d keys, want 1", n)
	}
}

func TestWizard_saveAnywayAfterConfirmation(t *testing.T) {
	h := newHarness(t, nil)
	h.fillStep1("koinly-tax-import", "Koinly", vault.PurposeTaxImport)
	h.toVerify(func(k *krakentest.Key) { k.Permissions = k.Permissions[:2] }, nil)
	if r := h.row("Data – Export data"); r.row.State != rowDiffers || r.row.Danger || !strings.Contains(r.row.Explain, "will fail") {
		t.Errorf("missing permission row %+v", r.row)
	}
	test.Tap(h.wz.save)
	h.wz.verify.confirm.Confirm()
	h.wait()
	saved := h.savedResults()
	if len(saved) != 1 {
		t.Fatalf("saved %d keys after Save anyway, want 1", len(saved))
	}
	if rb := saved[0].Readback; rb == nil || permsEqual(rb.Permissions, saved[0].Record.Intended) {
		t.Errorf("saved anyway without the differing answer: %+v", rb)
	}
}

func TestWizard_saveErrorKeepsEverything(t *testing.T) {
	h := newHarness(t, nil)
	h.saveErr = vault.ErrKeyringUnavailable
	h.fillStep1("koinly-tax-import", "Koinly", vault.PurposeTaxImport)
	k := h.toVerify(nil, nil)
	test.Tap(h.wz.save)
	h.wait()
	msg := h.wz.verify.saveMsg
	if msg.Importance != widget.DangerImportance || !strings.Contains(msg.Text, "not saved") || !strings.Contains(msg.Text, "keyring") {
		t.Errorf("save error shown as %q", msg.Text)
	}
	if h.wz.save.Disabled() {
		t.Error("Save is disabled after a failed save: the person cannot try again")
	}
	if api, priv := h.wz.keys.values(); api != k.APIKey || priv != k.PrivateKey {
		t.Error("the pasted keys were lost")
	}
	h.mu.Lock()
	h.saveErr = nil
	h.mu.Unlock()
	test.Tap(h.wz.save)
	h.wait()
	if n := len(h.savedResults()); n != 1 {
		t.Errorf("saved %d keys on the second try, want 1", n)
	}
}

func TestWizard_twoFactor(t *testing.T) {
	newSeed := func(t *testing.T) string {
		key, err := totp.Generate(totp.GenerateOpts{Issuer: "Kraken", AccountName: "api key"})
		if err != nil {
			t.Fatal(err)
		}
		return key.Secret()
	}

	t.Run("a seed pasted as an otpauth link is stored as base32 and makes the codes", func(t *testing.T) {
		h := newHarness(t, nil)
		seed := newSeed(t)
		h.fillStep1("cointracker", "CoinTracker", vault.PurposeTaxImport)
		h.toVerify(func(k *krakentest.Key) { k.OTPSecret = seed }, func(krakentest.Key) {
			h.wz.twofa.setMode(vault.TwoFASeed)
			if !h.wz.next.Disabled() {
				t.Error("Next is enabled with no seed")
			}
			test.Type(h.wz.twofa.seed, "not base32!")
			if !strings.Contains(h.wz.twofa.seedMsg.Text, "not an authenticator seed") {
				t.Errorf("bad seed message %q", h.wz.twofa.seedMsg.Text)
			}
			h.wz.twofa.seed.SetText("otpauth://totp/Kraken:api%20key?secret=" + strings.ToLower(seed) + "&issuer=Kraken")
		})
		if rb := h.wz.verify.readback; rb.Outcome != vault.OutcomeOK {
			t.Fatalf("verify with the seed: %+v", rb)
		}
		test.Tap(h.wz.save)
		h.wait()
		saved := h.savedResults()
		if len(saved) != 1 || saved[0].Secret.OTPSeed != seed || saved[0].Record.TwoFA != vault.TwoFASeed {
			t.Fatalf("saved %d; want the seed stored as base32 and TwoFA seed", len(saved))
		}
	})

	t.Run("a typed code: wrong, then right", func(t *testing.T) {
		h := newHarness(t, nil)
		seed := newSeed(t)
		right, _ := totp.GenerateCode(seed, time.Now())
		wrong := string('0'+(right[0]-'0'+5)%10) + right[1:]
		h.fillStep1("cointracker", "CoinTracker", vault.PurposeTaxImport)
		h.toVerify(func(k *krakentest.Key) { k.OTPSecret = seed }, func(krakentest.Key) {
			h.wz.twofa.setMode(vault.TwoFATyped)
			test.Type(h.wz.twofa.code, wrong)
		})
		v := h.wz.verify
		if v.readback.Outcome != vault.OutcomeError || !strings.Contains(v.status.Text, "code") || v.status.Importance != widget.DangerImportance {
			t.Fatalf("wrong code: outcome %q, status %q", v.readback.Outcome, v.status.Text)
		}
		if !h.wz.save.Disabled() {
			t.Error("Save is enabled after a failed verify")
		}
		if !v.again.Disabled() {
			t.Error("Verify again is enabled without a fresh code")
		}
		test.Type(v.code, right)
		if v.again.Disabled() {
			t.Fatal("Verify again is disabled with a fresh code")
		}
		test.Tap(v.again)
		h.wait()
		if v.readback.Outcome != vault.OutcomeOK || v.code.Text != "" {
			t.Fatalf("right code: %+v (code field %q)", v.readback, v.code.Text)
		}
		test.Tap(h.wz.save)
		h.wait()
		saved := h.savedResults()
		if len(saved) != 1 || saved[0].Record.TwoFA != vault.TwoFATyped || saved[0].Secret.OTPSeed != "" || saved[0].Secret.OTPPassword != "" {
			t.Fatal("a typed-code key must be saved with TwoFA typed and nothing of the 2FA in the secret")
		}
		if calls := h.ex.Calls(); len(calls) != 2 {
			t.Errorf("%d calls to the exchange, want 2 (no automatic retry)", len(calls))
		}
	})

	t.Run("a static password", func(t *testing.T) {
		h := newHarness(t, nil)
		h.fillStep1("cointracker", "CoinTracker", vault.PurposeTaxImport)
		h.toVerify(func(k *krakentest.Key) { k.OTPPassword = "correct horse" }, func(krakentest.Key) {
			h.wz.twofa.setMode(vault.TwoFAPassword)
			test.Type(h.wz.twofa.password, "correct horse")
		})
		if rb := h.wz.verify.readback; rb.Outcome != vault.OutcomeOK {
			t.Fatalf("verify: %+v", rb)
		}
		test.Tap(h.wz.save)
		h.wait()
		if s := h.savedResults(); len(s) != 1 || s[0].Secret.OTPPassword != "correct horse" || s[0].Record.TwoFA != vault.TwoFAPassword {
			t.Fatal("the password was not saved with the key")
		}
	})
}

func TestWizard_cancel(t *testing.T) {
	h := newHarness(t, nil)
	h.ex.SetLatency(200 * time.Millisecond)
	h.fillStep1("koinly-tax-import", "Koinly", vault.PurposeTaxImport)
	h.next()
	h.next()
	h.next()
	k := h.addKey(h.wz.plan(), nil)
	h.next()
	h.paste(k.APIKey, k.PrivateKey)
	h.next()
	h.next()
	if !h.wz.verify.running || h.wz.verify.progress.Hidden || !h.wz.back.Disabled() {
		t.Error("no progress shown while verifying")
	}
	test.Tap(h.wz.cancel)
	d := h.wz.DiscardDialog()
	if d == nil || h.canceled != 0 {
		t.Fatalf("Cancel threw the pasted key away without asking (canceled %d)", h.canceled)
	}
	d.Dismiss() // "Keep editing"
	if h.canceled != 0 || h.wz.keys.privateKey.Text == "" {
		t.Fatal("\"Keep editing\" left the wizard or lost the key")
	}
	test.Tap(h.wz.cancel)
	h.wz.DiscardDialog().Confirm()
	h.wait()
	if h.canceled != 1 || len(h.savedResults()) != 0 {
		t.Errorf("cancel: onCancel %d times, saved %d", h.canceled, len(h.savedResults()))
	}
	if h.wz.verify.readback != nil {
		t.Error("an abandoned verify still put its answer on screen")
	}
}

func TestWizard_cancelWithNothingPastedDoesNotAsk(t *testing.T) {
	h := newHarness(t, nil)
	h.fillStep1("koinly-tax-import", "Koinly", vault.PurposeTaxImport)
	test.Tap(h.wz.cancel)
	if h.canceled != 1 || h.wz.DiscardDialog() != nil {
		t.Errorf("Cancel with nothing pasted: onCancel %d times, asked %v", h.canceled, h.wz.DiscardDialog() != nil)
	}
}

func TestWizard_verifyError(t *testing.T) {
	h := newHarness(t, nil)
	h.fillStep1("koinly-tax-import", "Koinly", vault.PurposeTaxImport)
	k := h.toVerify(func(k *krakentest.Key) { k.OTPPassword = "forgotten" }, nil)
	v := h.wz.verify
	if v.readback.Outcome != vault.OutcomeError || !strings.Contains(v.status.Text, "permission denied") {
		t.Errorf("a 2FA key checked without its code: %q", v.status.Text)
	}
	if len(v.cells) != 0 || !h.wz.save.Disabled() {
		t.Error("a failed verify shows a comparison or allows Save")
	}
	// Going back and forth does not repeat a failed call by itself.
	h.back()
	h.next()
	if n := len(h.ex.Calls()); n != 1 {
		t.Errorf("%d calls after Back and Next, want 1", n)
	}
	if strings.Contains(visibleText(h.win.Canvas()), k.PrivateKey) {
		t.Error("the private key is on screen")
	}
}

// TestWizard_rotateWithTheOldPair: pasting the very key being replaced is
// refused by the service, and the wizard says so in the service's words
// (keys.UserMessage), not the key list's fallback ("Keywarden could not
// read or save its key list…"), keeping what was entered.
func TestWizard_rotateWithTheOldPair(t *testing.T) {
	store, err := vault.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	settings := keys.OpenSettings(store.Dir())
	settings.LegacyPath = filepath.Join(store.Dir(), "no-legacy-preferences.json") // never the person's own
	svc := keys.New(keys.Params{Store: store, Secrets: vault.NewMemory(), Settings: settings})
	old := vault.Record{ID: "0123456789abcdef", Name: "koinly-tax", Purpose: vault.PurposeTaxImport, UsedBy: []string{"Koinly"},
		Intended: []kraken.Permission{kraken.QueryFunds}, TwoFA: vault.TwoFANone, Created: time.Now().AddDate(0, -3, 0), Status: vault.StatusActive}
	h := newHarness(t, &old, old)
	h.wz.onSave = func(r Result) error {
		_, err := svc.Add(context.Background(), keys.NewKey{Record: r.Record, Secret: r.Secret, Readback: r.Readback, Note: r.Note})
		return err
	}
	k := h.toVerify(nil, nil)
	// The pair pasted is the one the old key holds.
	if _, err := svc.Add(context.Background(), keys.NewKey{Record: old, Secret: vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey}}); err != nil {
		t.Fatal(err)
	}
	test.Tap(h.wz.save)
	h.wait()
	msg := h.wz.verify.saveMsg.Text
	if !strings.Contains(msg, "being replaced") || !strings.Contains(msg, "koinly-tax") || strings.Contains(msg, "could not read or save its key list") {
		t.Errorf("rotating with the old pair is explained as %q, want the service's words for it", msg)
	}
	if api, priv := h.wz.keys.values(); api != k.APIKey || priv != k.PrivateKey {
		t.Error("the pasted keys were lost")
	}
}
