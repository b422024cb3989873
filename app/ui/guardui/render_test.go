package guardui

import (
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/keywarden/keywarden/app/guard"
)

var errTest = errors.New("test failure")

// variantTheme is the default theme held at one variant, since the test
// app's settings name none.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (v variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return v.Theme.Color(n, v.variant)
}

// TestRender draws the prompt and the enrolment in light and dark at the
// default window size and at 800×600, checks that no text is cut off, and
// writes PNGs to $GUARDUI_PNG_DIR (default: a temporary folder) as
// guard-<dialog>-<variant>-<size>.png, to be looked at.
func TestRender(t *testing.T) {
	dir := os.Getenv("GUARDUI_PNG_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	variants := map[string]fyne.ThemeVariant{"light": theme.VariantLight, "dark": theme.VariantDark}
	sizes := map[string]fyne.Size{"900x620": fyne.NewSize(900, 620), "800x600": fyne.NewSize(800, 600)}
	dialogs := map[string]func(t *testing.T, f *fixture) (fyne.CanvasObject, *codePrompt){
		"prompt": func(t *testing.T, f *fixture) (fyne.CanvasObject, *codePrompt) {
			p := protect(f.win, f.guard, nil, "Copy the private key of koinly-tax", f.clock.now, func() {})
			return p.body, p
		},
		"prompt-wrong": func(t *testing.T, f *fixture) (fyne.CanvasObject, *codePrompt) {
			p := protect(f.win, f.guard, nil, "Copy the private key of koinly-tax", f.clock.now, func() {})
			for range guard.MaxWrong - 1 {
				p.enter(t, wrongCode(t, testSeed, t0))
			}
			return p.body, p
		},
		"prompt-checking": func(t *testing.T, f *fixture) (fyne.CanvasObject, *codePrompt) {
			slow := &slowKeyring{Memory: f.mem, release: make(chan struct{})}
			p := protect(f.win, guard.New(slow, f.app.Preferences()), nil, "Remove the key koinly-tax", f.clock.now, func() {})
			test.Type(p.entry, "123 456")
			test.Tap(p.confirm)
			t.Cleanup(func() { close(slow.release); ui.drain() })
			return p.body, p
		},
		"enrol": func(t *testing.T, f *fixture) (fyne.CanvasObject, *codePrompt) {
			e := showEnrol(f.win, f.guard, "alice@laptop", f.clock.now, func(bool) {})
			return e.body, e.codePrompt
		},
		"disable-noseed": func(t *testing.T, f *fixture) (fyne.CanvasObject, *codePrompt) {
			if err := f.mem.Delete(guard.SeedID); err != nil {
				t.Fatal(err)
			}
			p := showDisable(f.win, f.guard, f.clock.now, func(bool) {})
			p.enter(t, "123456")
			return p.body, p
		},
		"disable": func(t *testing.T, f *fixture) (fyne.CanvasObject, *codePrompt) {
			p := showDisable(f.win, f.guard, f.clock.now, func(bool) {})
			return p.body, p
		},
	}
	for dname, open := range dialogs {
		for vname, variant := range variants {
			for sname, size := range sizes {
				name := dname + "-" + vname + "-" + sname
				t.Run(name, func(t *testing.T) {
					f := newFixture(t, dname != "enrol")
					f.app.Settings().SetTheme(variantTheme{theme.DefaultTheme(), variant})
					f.win.Resize(size)
					body, _ := open(t, f)
					assertNotClipped(t, f.win, body)
					img := f.win.Canvas().Capture()
					if img.Bounds().Dx() == 0 || uniform(img) {
						t.Fatal("the capture is empty")
					}
					writePNG(t, filepath.Join(dir, "guard-"+name+".png"), img)
				})
			}
		}
	}
}

func uniform(img image.Image) bool {
	b := img.Bounds()
	first := img.At(b.Min.X, b.Min.Y)
	r0, g0, b0, _ := first.RGBA()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r != r0 || g != g0 || bl != b0 {
				return false
			}
		}
	}
	return true
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(out, img); err != nil {
		out.Close()
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
