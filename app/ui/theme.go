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

// Color returns the default colours, darker text colours in the light variant.
func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
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
