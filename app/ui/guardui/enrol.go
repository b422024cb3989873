package guardui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/pquerna/otp"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
)

const (
	enrolWidth = 580
	qrSize     = 200
	// qrQuiet is the white margin around the QR code: scanners need it, and
	// a dark theme would otherwise put the code on a dark background.
	qrQuiet = 12
)

// enrolDialog is the enrolment: the QR code and the seed for the
// authenticator app, then a code to prove the app has it.
type enrolDialog struct {
	*codePrompt
	qr   *canvas.Image // nil if the QR code could not be made
	seed *widget.Label
}

// ShowEnrol shows the enrolment of an authenticator app for app 2FA: a QR
// code, the seed as text for entering by hand, and an entry for a code that
// confirms it. account is what the authenticator app shows beside
// "Keywarden". onDone(true) once app 2FA is on; onDone(false) on Cancel or
// when enrolment cannot start.
func ShowEnrol(win fyne.Window, g *guard.Guard, account string, now func() time.Time, onDone func(enrolled bool)) {
	showEnrol(win, g, account, now, onDone)
}

func showEnrol(win fyne.Window, g *guard.Guard, account string, now func() time.Time, onDone func(bool)) *enrolDialog {
	key, err := g.BeginEnrolment(account)
	if err != nil {
		fyne.LogError("app 2FA enrolment", err)
		d := dialog.NewInformation("App 2FA", keys.UserMessage(err), win)
		d.SetOnClosed(func() { onDone(false) })
		d.Show()
		return nil
	}
	e := &enrolDialog{}
	top := []fyne.CanvasObject{e.scanRow(key), wrapped("2. Type the 6-digit code the app now shows for Keywarden, to prove it works.")}
	e.codePrompt = newCodePrompt(win, "Protect Keywarden with an authenticator app", enrolWidth, top, "Turn on", now,
		func(code string, at time.Time) error { return g.ConfirmEnrolment(key, code, at) }, onDone)
	e.show()
	return e
}

// scanRow is the QR code beside the instructions and the seed in text.
func (e *enrolDialog) scanRow(key *otp.Key) fyne.CanvasObject {
	e.seed = widget.NewLabelWithStyle(guard.GroupSeed(key.Secret()), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	e.seed.Wrapping = fyne.TextWrapWord
	e.seed.Selectable = true

	textWidth := float32(enrolWidth - qrSize - 2*qrQuiet - theme.Padding())
	text := newColumn(textWidth,
		wrapped("1. Scan this QR code with your authenticator app (for example Aegis, Google Authenticator, Microsoft Authenticator or 1Password)."),
		wrapped("Cannot scan it? Add an entry by hand with this key; it is time-based, with 6 digits every 30 seconds:"),
		e.seed,
	)

	img, err := key.Image(qrSize, qrSize)
	if err != nil {
		fyne.LogError("app 2FA QR code", err)
		return text
	}
	e.qr = canvas.NewImageFromImage(img)
	e.qr.FillMode = canvas.ImageFillContain
	e.qr.ScaleMode = canvas.ImageScalePixels
	e.qr.SetMinSize(fyne.NewSquareSize(qrSize))
	frame := canvas.NewRectangle(color.White)
	frame.SetMinSize(fyne.NewSquareSize(qrSize + 2*qrQuiet))
	qr := container.NewStack(frame, container.NewCenter(e.qr))
	return container.NewBorder(nil, nil, container.NewVBox(qr), nil, text)
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
