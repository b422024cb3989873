package wheel

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestPass_wheelOverAnEntryScrollsThePage(t *testing.T) {
	test.NewTempApp(t)
	var page *container.Scroll
	entry := widget.NewEntry()
	tapped := false
	button := widget.NewButton("under the layer too", func() { tapped = true })
	rows := container.NewVBox(Pass(entry, func() fyne.Scrollable { return page }),
		Pass(button, func() fyne.Scrollable { return page }))
	for range 40 {
		rows.Add(widget.NewLabel("row"))
	}
	page = container.NewVScroll(rows)
	w := test.NewWindow(page)
	defer w.Close()
	w.Resize(fyne.NewSize(300, 200))

	test.Scroll(w.Canvas(), fyne.NewPos(50, 15), 0, -30)
	if page.Offset.Y <= 0 {
		t.Errorf("the wheel over the entry left the page at %v", page.Offset)
	}
	page.ScrollToTop()
	test.TapCanvas(w.Canvas(), fyne.CurrentApp().Driver().AbsolutePositionForObject(button).Add(fyne.NewPos(10, 10)))
	if !tapped {
		t.Error("a tap does not reach what is under the layer")
	}
}
