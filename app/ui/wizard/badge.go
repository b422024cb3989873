package wizard

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/kraken"
)

// riskBadge is a small coloured tag naming a permission's risk: green for
// read only, orange for can trade, red for can move money out.
type riskBadge struct {
	widget.BaseWidget
	risk  kraken.Risk
	words string // the permission's own (kraken.Permission.RiskWords)
}

// newRiskBadge returns the badge of permission p.
func newRiskBadge(p kraken.Permission) *riskBadge {
	b := &riskBadge{risk: p.Risk(), words: p.RiskWords()}
	b.ExtendBaseWidget(b)
	return b
}

// colours returns the badge's background and text colour names.
func (b *riskBadge) colours() (bg, fg fyne.ThemeColorName) {
	switch b.risk {
	case kraken.RiskRead:
		return theme.ColorNameSuccess, theme.ColorNameForegroundOnSuccess
	case kraken.RiskTrade:
		return theme.ColorNameWarning, theme.ColorNameForegroundOnWarning
	}
	return theme.ColorNameError, theme.ColorNameForegroundOnError
}

// CreateRenderer draws the badge.
func (b *riskBadge) CreateRenderer() fyne.WidgetRenderer {
	r := &badgeRenderer{b: b, bg: canvas.NewRectangle(color.Transparent), text: canvas.NewText(b.words, nil)}
	r.text.TextStyle.Bold = true
	r.Refresh()
	return r
}

type badgeRenderer struct {
	b    *riskBadge
	bg   *canvas.Rectangle
	text *canvas.Text
}

func (r *badgeRenderer) padding() fyne.Size {
	p := theme.SizeForWidget(theme.SizeNameInnerPadding, r.b)
	return fyne.NewSize(p, p/3)
}

func (r *badgeRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	ts := r.text.MinSize()
	r.text.Move(fyne.NewPos((size.Width-ts.Width)/2, (size.Height-ts.Height)/2))
	r.text.Resize(ts)
}

func (r *badgeRenderer) MinSize() fyne.Size {
	p := r.padding()
	return r.text.MinSize().Add(fyne.NewSize(2*p.Width, 2*p.Height))
}

func (r *badgeRenderer) Refresh() {
	bg, fg := r.b.colours()
	r.bg.FillColor = theme.ColorForWidget(bg, r.b)
	r.bg.CornerRadius = theme.SizeForWidget(theme.SizeNameInputRadius, r.b)
	r.text.Color = theme.ColorForWidget(fg, r.b)
	r.text.TextSize = theme.SizeForWidget(theme.SizeNameCaptionText, r.b)
	r.text.Text = r.b.words
	r.bg.Refresh()
	r.text.Refresh()
}

func (r *badgeRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.text} }

func (r *badgeRenderer) Destroy() {}
