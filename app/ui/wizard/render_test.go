package wizard

import (
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// variantTheme is the default theme held to one variant.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// TestWizard_screenshots writes PNGs of the permissions step and of a
// verify step with differences, in the light and dark variants, to the
// folder named by KEYWARDEN_WIZARD_SHOTS (skipped when unset), so a person
// can look at them.
func TestWizard_screenshots(t *testing.T) {
	dir := os.Getenv("KEYWARDEN_WIZARD_SHOTS")
	if dir == "" {
		t.Skip("set KEYWARDEN_WIZARD_SHOTS to a folder to write the wizard's screenshots")
	}
	for _, v := range []struct {
		name    string
		variant fyne.ThemeVariant
	}{{"light", theme.VariantLight}, {"dark", theme.VariantDark}} {
		for _, size := range []fyne.Size{{Width: 900, Height: 620}, {Width: 800, Height: 600}} {
			t.Run(v.name, func(t *testing.T) {
				h := newHarness(t, nil)
				fyne.CurrentApp().Settings().SetTheme(variantTheme{theme.DefaultTheme(), v.variant})
				h.win.Resize(size)
				suffix := v.name
				if size.Width != 900 {
					suffix += "-800x600"
				}
				shot := func(name string) {
					t.Helper()
					img := h.win.Canvas().Capture()
					f, err := os.Create(filepath.Join(dir, "wizard-"+name+"-"+suffix+".png"))
					if err != nil {
						t.Fatal(err)
					}
					defer f.Close()
					if err := png.Encode(f, img); err != nil {
						t.Fatal(err)
					}
				}
				h.fillStep1("api-key-1605316109249", "Koinly", vault.PurposeTaxImport)
				shot("1-name")
				h.wz.names.name.SetText("koinly-tax-import-2026-11")
				h.next()
				test.Tap(h.wz.perms.checks[kraken.QueryOpenTrades])
				shot("2-permissions")
				test.Tap(h.wz.perms.checks[kraken.WithdrawFunds])
				shot("2-permissions-confirm")
				h.wz.perms.confirm.Dismiss()
				h.next()
				test.Type(h.wz.limits.ips, "203.0.113.7\n10.0.0.300")
				shot("3-restrictions")
				h.wz.limits.ips.SetText("203.0.113.7")
				h.next()
				shot("4-website")
				k := h.addKey(h.wz.plan(), func(k *krakentest.Key) {
					k.Permissions = append(k.Permissions, kraken.WithdrawFunds)
					k.Permissions = k.Permissions[1:]
					k.IPAllowlist = nil
				})
				h.next()
				h.paste(k.APIKey[:50], k.PrivateKey)
				shot("5-keys")
				h.paste(k.APIKey, k.PrivateKey)
				h.next()
				h.wz.twofa.setMode(vault.TwoFASeed)
				test.Type(h.wz.twofa.seed, "JBSWY3DPEHPK3PXP")
				shot("6-2fa")
				h.wz.twofa.setMode(vault.TwoFANone)
				h.next()
				h.wait()
				shot("7-verify-differences")
				h.wz.scrolls[h.wz.current].ScrollToBottom()
				shot("7-verify-bottom")
				h.wz.scrolls[h.wz.current].ScrollToTop()
				test.Tap(h.wz.save)
				shot("7-verify-confirm")
			})
		}
	}
}
