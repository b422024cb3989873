// Package ui is Keywarden's window: the keys list, the new-key wizard, review
// and revocation. Blocking work (keyring, network) runs off the UI goroutine
// and comes back through fyne.Do.
package ui

import (
	"fyne.io/fyne/v2"
)

// Title is the main window's title.
const Title = "Keywarden"

// NewMainWindow builds the main window of a.
func NewMainWindow(a fyne.App, title string) fyne.Window {
	w := a.NewWindow(title)
	w.SetIcon(a.Metadata().Icon)
	empty := newEmptyState(nil, func() { openURL(a, KrakenAPISettingsURL) })
	w.SetContent(empty.content)
	w.Resize(fyne.NewSize(900, 620))
	return w
}
