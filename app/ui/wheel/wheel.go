// Package wheel lets the mouse wheel over a one-line entry scroll the page
// the entry sits on. Fyne 2.7.1 gives the wheel to the innermost scrollable
// object under the pointer, and every entry holds a scroller of its own
// (for text wider than the field), which takes the wheel and does nothing
// with it: the page stops scrolling whenever the pointer crosses a field.
package wheel

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Pass returns o with a transparent layer over it that hands the wheel to
// the scroller page returns (nil: nowhere). The layer takes nothing else:
// taps, the pointer and the keyboard still reach o.
func Pass(o fyne.CanvasObject, page func() fyne.Scrollable) fyne.CanvasObject {
	c := &catcher{page: page}
	c.ExtendBaseWidget(c)
	return container.NewStack(o, c)
}

// catcher is the transparent layer: it is only Scrollable.
type catcher struct {
	widget.BaseWidget
	page func() fyne.Scrollable
}

// Scrolled hands the wheel to the page.
func (c *catcher) Scrolled(ev *fyne.ScrollEvent) {
	if s := c.page(); s != nil {
		s.Scrolled(ev)
	}
}

func (c *catcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

// MinSize is nothing: the layer takes the size of what it covers.
func (c *catcher) MinSize() fyne.Size { return fyne.Size{} }
