package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/ui/guardui"
	"github.com/keywarden/keywarden/app/vault"
)

// protect runs action after app 2FA accepts a code, or at once when app
// 2FA is off or the window is still unlocked by a code typed a moment ago
// (mw.unlock, for keys.Settings.AppCodeGrace). reason says what the code
// is for.
func (mw *mainWindow) protect(reason string, action func()) {
	if mw.env.Guard == nil {
		action()
		return
	}
	guardui.ProtectUnlocked(mw.win, mw.env.Guard, mw.run, reason, mw.env.now, &mw.unlock, mw.snap.Settings.AppCodeGrace, action)
}

// codePrompt asks for a code from the authenticator of a key whose 2FA
// code is typed at every check.
type codePrompt struct {
	dlg   *dialog.CustomDialog
	entry *guardui.EscapeEntry
	ok    *widget.Button
}

// askKeyCode asks for the key's own 2FA code when its checks need one typed,
// then calls then with it ("" for other keys, without asking).
func (mw *mainWindow) askKeyCode(r vault.Record, then func(code string)) {
	if r.TwoFA != vault.TwoFATyped {
		then("")
		return
	}
	p := &codePrompt{entry: guardui.NewEscapeEntry(true)}
	p.entry.SetPlaceHolder("code or 2FA password")
	submit := func() {
		code := p.entry.Text
		if code == "" {
			return
		}
		p.dlg.Hide()
		then(code)
	}
	p.entry.OnSubmitted = func(string) { submit() }
	p.entry.OnEscape = func() { p.dlg.Hide() }
	p.ok = widget.NewButton("Check", submit)
	p.ok.Importance = widget.HighImportance
	text := newWrapped("“" + r.Name + "” has its own 2FA on Kraken: every call needs a fresh code from its authenticator app (or its 2FA password). Keywarden sends it once and does not keep it.")
	body := container.NewVBox(text, p.entry)
	p.dlg = dialog.NewCustomWithoutButtons("Code for "+r.Name, fixedWidth(420, body), mw.win)
	p.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { p.dlg.Hide() }), p.ok})
	mw.codePrompt = p
	p.dlg.Show()
	mw.win.Canvas().Focus(p.entry)
}
