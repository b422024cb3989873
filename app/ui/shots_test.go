package ui

import (
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/keywarden/keywarden/app/vault"
)

// variantTheme is the default theme fixed to one variant, so screenshots
// show light and dark whatever the machine's setting.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// TestScreenshots renders every screen over the demo data to PNG files in
// the folder named by KEYWARDEN_SHOTS, to look at; it is skipped without it.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("KEYWARDEN_SHOTS")
	if dir == "" {
		t.Skip("set KEYWARDEN_SHOTS to a folder to render the screens")
	}
	sizes := map[string]fyne.Size{"900x620": fyne.NewSize(900, 620), "800x600": fyne.NewSize(800, 600)}
	variants := map[string]fyne.ThemeVariant{"light": theme.VariantLight, "dark": theme.VariantDark}
	for sizeName, size := range sizes {
		for variantName, variant := range variants {
			shoot := func(f *fixture, name string) {
				t.Helper()
				f.mw.win.Resize(size)
				img := f.mw.win.Canvas().Capture()
				path := filepath.Join(dir, "ui-"+name+"-"+sizeName+"-"+variantName+".png")
				out, err := os.Create(path)
				if err != nil {
					t.Fatal(err)
				}
				defer out.Close()
				if err := png.Encode(out, img); err != nil {
					t.Fatal(err)
				}
			}
			open := func(f *fixture) *fixture {
				f.open()
				f.app.Settings().SetTheme(variantTheme{newAppTheme(), variant})
				return f
			}

			f := newDemoFixture(t)
			f.app.Settings().SetTheme(variantTheme{newAppTheme(), variant})
			f.mw.render()
			shoot(f, "list")
			f.mw.showDetail(f.byName("freqtrade-bot-vps").ID)
			shoot(f, "detail-drift")
			f.mw.detail.scroll.ScrollToOffset(fyne.NewPos(0, 420))
			shoot(f, "detail-drift-middle")
			f.mw.detail.scroll.ScrollToBottom()
			shoot(f, "detail-drift-bottom")
			f.mw.showDetail(f.byName("accointing-tax-2024").ID)
			shoot(f, "detail-deleted")
			f.mw.showReview(f.byName("cointracker-portfolio").ID)
			shoot(f, "review")
			f.mw.showRevoke(f.byName("old-portfolio-script").ID, false)
			shoot(f, "revoke")
			f.mw.showRevoke(f.byName("koinly-tax-import").ID, true)
			shoot(f, "compromised")
			f.mw.revoke.scroll.ScrollToBottom()
			shoot(f, "compromised-bottom")
			f.mw.showSettings()
			shoot(f, "settings")
			f.mw.showDetail(f.byName("koinly-tax-import").ID)
			test.Tap(f.mw.detail.edit)
			shoot(f, "edit")
			f.mw.editor.dlg.Hide()
			f.mw.onNewKey()
			shoot(f, "wizard")
			f.mw.wizard = nil
			f.mw.showDetail(f.byName("koinly-tax-import").ID)
			test.Tap(f.mw.detail.copyKey)
			f.wait()
			shoot(f, "copied")

			long := newDemoFixture(t)
			if err := long.store.Update(func(d *vault.Data) error {
				for i := range d.Records {
					r := &d.Records[i]
					r.Name = r.Name + "-" + strings.Repeat("with-a-very-long-descriptive-suffix-", 2) + "end"
					r.UsedBy = append(r.UsedBy, "a self-hosted portfolio tracker on the home server in the basement")
					r.Account = "a.very.long.account.name.for.testing@example.com"
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			long = open(&fixture{t: t, app: long.app, store: long.store, secrets: long.secrets, ex: long.ex, env: long.env})
			shoot(long, "list-long")
			long.mw.showDetail(long.mw.records[0].ID)
			shoot(long, "detail-long")
			long.mw.showRevoke(long.mw.records[1].ID, true)
			shoot(long, "compromised-long")

			empty := open(newFixture(t))
			shoot(empty, "empty")
		}
	}
}
