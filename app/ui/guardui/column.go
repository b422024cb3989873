package guardui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// column stacks objects at a fixed width. A dialog sizes itself to its
// content's MinSize, and wrapped text only knows its height once it knows
// its width: giving it the width first keeps the last lines from being cut
// off.
type column struct{ width float32 }

func newColumn(width float32, objects ...fyne.CanvasObject) *fyne.Container {
	return container.New(column{width: width}, objects...)
}

func (c column) MinSize(objects []fyne.CanvasObject) fyne.Size {
	h, n := float32(0), 0
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		h += c.fit(o, c.width)
		n++
	}
	if n > 1 {
		h += theme.Padding() * float32(n-1)
	}
	return fyne.NewSize(c.width, h)
}

func (c column) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		h := c.fit(o, size.Width)
		o.Move(fyne.NewPos(0, y))
		y += h + theme.Padding()
	}
}

// fit gives o the width w and returns the height it then needs.
func (column) fit(o fyne.CanvasObject, w float32) float32 {
	o.Resize(fyne.NewSize(w, o.MinSize().Height))
	h := o.MinSize().Height
	o.Resize(fyne.NewSize(w, h))
	return h
}
