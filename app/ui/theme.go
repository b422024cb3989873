package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is Fyne's default theme, following the system's light or dark
// setting, with green and amber dark enough to read as text on the light
// background: the default ones are meant for icons and fills.
type appTheme struct{ fyne.Theme }

func newAppTheme() fyne.Theme { return appTheme{theme.DefaultTheme()} }

var (
	lightSuccess = color.NRGBA{R: 0x1e, G: 0x7d, B: 0x32, A: 0xff}
	lightWarning = color.NRGBA{R: 0xb2, G: 0x5a, B: 0x00, A: 0xff}
	lightError   = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
)

// focusLight and focusDark tint a focused button: Fyne's default focus
// colour is the primary blue, which vanishes on a blue primary button, so
// a keyboard user could not see where the focus is. A shade that darkens
// (light variant) or lightens (dark variant) shows on every button colour.
var (
	focusLight = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x50}
	focusDark  = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0x50}
)

// Color returns the default colours, darker text colours in the light
// variant, and a focus colour that shows on primary buttons too.
func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameFocus {
		if v == theme.VariantLight {
			return focusLight
		}
		return focusDark
	}
	if v == theme.VariantLight {
		switch n {
		case theme.ColorNameSuccess:
			return lightSuccess
		case theme.ColorNameWarning:
			return lightWarning
		case theme.ColorNameError:
			return lightError
		}
	}
	return t.Theme.Color(n, v)
}
