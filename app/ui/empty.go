package ui

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/assets"
)

// KrakenAPISettingsURL is the website page where keys are made and deleted.
const KrakenAPISettingsURL = "https://pro.kraken.com/app/settings/api"

// emptyState is what the keys list shows before the first key: what the app
// is for and how to add a key.
type emptyState struct {
	content fyne.CanvasObject
	add     *widget.Button
	website *widget.Button
}

// newEmptyState builds the empty state; onAdd starts the new-key wizard,
// onWebsite opens the exchange's API page. A nil onAdd hides that button.
func newEmptyState(onAdd, onWebsite func()) *emptyState {
	e := &emptyState{}
	icon := canvas.NewImageFromResource(assets.Icon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(96))

	title := widget.NewLabelWithStyle("No keys yet", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabel("Keywarden keeps your Kraken API keys safe. It remembers which key went to " +
		"which service and what each may do, checks on the exchange that a key is what you meant, " +
		"reminds you when one is due for review, and guides you through revoking one.")
	intro.Wrapping = fyne.TextWrapWord
	intro.Alignment = fyne.TextAlignCenter

	steps := widget.NewRichTextFromMarkdown("**To add your first key:**\n\n" +
		"1. Choose **Add a key** and tell Keywarden what the key is for.\n" +
		"2. Keywarden shows exactly which permissions to tick on Kraken's API page, and no more.\n" +
		"3. Paste the new API key and private key. They go to your system keyring, never to a file.\n" +
		"4. Keywarden asks Kraken what the key can really do, and shows any difference.")
	steps.Wrapping = fyne.TextWrapWord

	e.website = widget.NewButtonWithIcon("Open Kraken's API page", theme.ComputerIcon(), onWebsite)
	buttons := container.NewHBox(e.website)
	if onAdd != nil {
		e.add = widget.NewButtonWithIcon("Add a key", theme.ContentAddIcon(), onAdd)
		e.add.Importance = widget.HighImportance
		buttons = container.NewHBox(e.add, e.website)
	}
	body := container.NewVBox(container.NewCenter(icon), title, intro, steps, container.NewCenter(buttons))
	e.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(560, body.MinSize().Height), body))
	return e
}

// openURL opens u in the user's browser, reporting failure in a log line.
func openURL(a fyne.App, u string) {
	parsed, err := url.Parse(u)
	if err != nil {
		fyne.LogError("bad URL "+u, err)
		return
	}
	if err := a.OpenURL(parsed); err != nil {
		fyne.LogError("could not open "+u, err)
	}
}
