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

// Pages on the exchange's website the runbooks link to.
const (
	// KrakenAPISettingsURL is the website page where keys are made and deleted.
	KrakenAPISettingsURL = "https://pro.kraken.com/app/settings/api"
	// KrakenSecurityURL is where the account password and 2FA are changed.
	KrakenSecurityURL = "https://pro.kraken.com/app/settings/security"
	// KrakenSupportURL is Kraken's support centre.
	KrakenSupportURL = "https://support.kraken.com/"
)

// emptyState is what the keys list shows before the first key: what the app
// is for, how to add a key, and the demo.
type emptyState struct {
	content  fyne.CanvasObject
	add      *widget.Button
	demo     *widget.Button // nil in demo mode
	website  *widget.Button
	settings *widget.Button
}

// newEmptyState builds the empty state; onAdd starts the new-key wizard,
// onDemo starts the demo (nil hides it), onWebsite opens the exchange's API
// page, onSettings shows the settings (app 2FA can be turned on before the
// first key).
func newEmptyState(onAdd, onDemo, onWebsite, onSettings func()) *emptyState {
	e := &emptyState{}
	icon := canvas.NewImageFromResource(assets.Icon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(80))

	title := widget.NewLabelWithStyle("No keys yet", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	intro := newWrapped("Keywarden keeps your Kraken API keys safe. It remembers which key went to " +
		"which service and what each may do, checks on the exchange that a key is what you meant, " +
		"reminds you when one is due for review, and guides you through revoking one.")
	intro.Alignment = fyne.TextAlignCenter

	steps := widget.NewRichTextFromMarkdown("**To add your first key:**\n\n" +
		"1. Choose **Add a key** (Ctrl+N) and tell Keywarden what the key is for.\n" +
		"2. Keywarden shows exactly which permissions to tick on Kraken's API page, and no more.\n" +
		"3. Paste the new API key and private key. They go to your system keyring, never to a file.\n" +
		"4. Keywarden asks Kraken what the key can really do, and shows any difference.")
	steps.Wrapping = fyne.TextWrapWord

	e.add = widget.NewButtonWithIcon("Add a key", theme.ContentAddIcon(), onAdd)
	e.add.Importance = widget.HighImportance
	e.website = widget.NewButtonWithIcon("Open Kraken's API page", theme.ComputerIcon(), onWebsite)
	buttons := container.NewHBox(e.add, e.website)
	e.settings = widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), onSettings)
	settingsHint := newWrapped("Want app 2FA before your first key? Turn it on in Settings.")
	settingsHint.Alignment = fyne.TextAlignCenter
	body := container.NewVBox(container.NewCenter(icon), title, intro, steps, container.NewCenter(buttons),
		container.NewCenter(e.settings), settingsHint)
	if onDemo != nil {
		e.demo = widget.NewButtonWithIcon("Try the demo", theme.MediaPlayIcon(), onDemo)
		hint := newWrapped("No Kraken account at hand? The demo opens a separate window with sample keys in every state, " +
			"over a simulated exchange. It never touches your keys.")
		hint.Alignment = fyne.TextAlignCenter
		body.Add(container.NewCenter(e.demo))
		body.Add(hint)
	}
	e.content = container.NewVScroll(container.NewCenter(fixedWidth(560, body)))
	return e
}

// openURL opens u in the user's browser, reporting failure in plain words.
func (mw *mainWindow) openURL(u string) {
	parsed, err := url.Parse(u)
	if err == nil {
		err = mw.env.App.OpenURL(parsed)
	}
	if err != nil {
		fyne.LogError("could not open "+u, err)
		mw.showMessage("The browser did not open", "Keywarden could not open your web browser. Open this page by hand: "+u)
	}
}
