// Command bare is a bare Fyne window, the yardstick of make bench-idle:
// the least any Fyne 2.7 window costs while it sits there.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.keywarden.Keywarden.bench-bare")
	w := a.NewWindow("Bare Fyne window")
	w.SetContent(widget.NewLabel("A bare Fyne window."))
	w.Resize(fyne.NewSize(900, 620))
	w.ShowAndRun()
}
