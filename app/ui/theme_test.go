package ui

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// blend lays c over bg, as Fyne does for a focused button's background.
func blend(bg, c color.Color) (r, g, b float64) {
	n0 := color.NRGBAModel.Convert(bg).(color.NRGBA)
	n1 := color.NRGBAModel.Convert(c).(color.NRGBA)
	a := float64(n1.A) / 0xff
	mix := func(x, y uint8) float64 { return float64(x)*(1-a) + float64(y)*a }
	return mix(n0.R, n1.R), mix(n0.G, n1.G), mix(n0.B, n1.B)
}

// A focused primary button (Next, Save, Add a key) looks different from an
// unfocused one, in both variants.
func TestAppTheme_focusShowsOnPrimaryButtons(t *testing.T) {
	th := newAppTheme()
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		for _, bgName := range []fyne.ThemeColorName{theme.ColorNamePrimary, theme.ColorNameButton} {
			bg := th.Color(bgName, v)
			r0, g0, b0 := blend(bg, color.Transparent)
			r1, g1, b1 := blend(bg, th.Color(theme.ColorNameFocus, v))
			if d := abs(r1-r0) + abs(g1-g0) + abs(b1-b0); d < 40 {
				t.Errorf("variant %v, %s: focus changes the colour by %.0f, want at least 40", v, bgName, d)
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
