package main

import (
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.keywarden.Keywarden")
	w := a.NewWindow("Keywarden")
	w.SetContent(widget.NewLabel("Keywarden"))
	w.ShowAndRun()
}
