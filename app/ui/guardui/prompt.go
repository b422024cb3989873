// Package guardui is the face of app 2FA (package guard): the code prompt in
// front of sensitive actions, enrolling an authenticator app, and turning
// the protection off. Keyring work runs on a goroutine and comes back
// through fyne.Do.
package guardui

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/ui/async"
)

// dialogWidth is the width of the guard's dialogs, so wrapped text has a
// width to wrap at.
const dialogWidth = 420

// Protect runs action when app 2FA is off; otherwise it asks for a
// 6-digit code (reason says what for, e.g. "Copy the private key of
// koinly-tax") and runs action, on the UI goroutine, only after Verify
// accepts it. Wrong, replayed and locked-out codes are explained in plain
// words in the dialog, which stays open; Cancel closes it without running
// action. "Off" is the keyring's answer (guard.Required), asked off the UI
// goroutine: a deleted or edited guard.json never skips the prompt. run
// is the window's async.Runner (nil: a runner posting with fyne.Do), so
// the window counts the prompt's work as its own and its tests decide when
// results arrive.
func Protect(win fyne.Window, g *guard.Guard, run *async.Runner, reason string, now func() time.Time, action func()) {
	protect(win, g, run, reason, now, action)
}

// ProtectUnlocked is Protect with the window's short unlock (guard.Unlock):
// while u is open for grace() (keys.Settings.AppCodeGrace), action runs
// without a code; a code accepted here opens it again. A lock after wrong
// codes, wherever they were typed, ends the unlock: fail closed.
func ProtectUnlocked(win fyne.Window, g *guard.Guard, run *async.Runner, reason string, now func() time.Time,
	u *guard.Unlock, grace func() time.Duration, action func()) {
	protectUnlocked(win, g, run, reason, now, u, grace, action)
}

func protectUnlocked(win fyne.Window, g *guard.Guard, run *async.Runner, reason string, now func() time.Time,
	u *guard.Unlock, grace func() time.Duration, action func()) *codePrompt {
	t := now()
	if u.Open(t, grace()) {
		if _, locked := g.LockedUntil(t); !locked {
			action()
			return nil
		}
		u.End()
	}
	verify := func(code string, at time.Time) error {
		err := g.Verify(code, at)
		if err == nil {
			u.Grant(at)
		}
		return err
	}
	return protectVerify(win, g, run, reason, now, verify, action)
}

// errRequired stands for "ask for a code" in Protect's keyring question.
var errRequired = errors.New("app 2FA is on")

// protect is Protect, returning the prompt when it was shown at once (nil
// when the keyring is asked first, or none was needed).
func protect(win fyne.Window, g *guard.Guard, run *async.Runner, reason string, now func() time.Time, action func()) *codePrompt {
	return protectVerify(win, g, run, reason, now, g.Verify, action)
}

// protectVerify is protect with the code checked by verify (g.Verify, or
// one that also opens an unlock).
func protectVerify(win fyne.Window, g *guard.Guard, run *async.Runner, reason string, now func() time.Time,
	verify func(string, time.Time) error, action func()) *codePrompt {
	if g.Enabled() {
		return askCode(win, verify, run, reason, now, action)
	}
	runOff(run, func() error {
		on, err := g.Required()
		if on && err == nil {
			return errRequired
		}
		return err
	}, func(err error) {
		if err != nil { // on, or the keyring cannot say: the prompt's Verify explains
			askCode(win, verify, run, reason, now, action)
			return
		}
		action()
	})
	return nil
}

// askCode shows the code prompt in front of action.
func askCode(win fyne.Window, verify func(string, time.Time) error, run *async.Runner, reason string, now func() time.Time, action func()) *codePrompt {
	p := newCodePrompt(win, "Type your app 2FA code", dialogWidth,
		intro(reason, "Type the 6-digit code your authenticator app shows for Keywarden."), "Continue", now,
		verify, func(ok bool) {
			if ok {
				action()
			}
		})
	p.runner = run
	p.show()
	return p
}

// LostAuthenticatorHelp tells where the way back for a lost authenticator
// app is. The window does not offer it itself: someone who can only use
// the window must not be able to turn app 2FA off.
const LostAuthenticatorHelp = "Lost your authenticator app? On a terminal, \"keywarden 2fa reset --lost-authenticator\" turns app 2FA off without a code. It needs your unlocked system keyring and is written in every key's history."

// ShowDisable asks for a code and turns app 2FA off; onDone(true) once it
// is off, onDone(false) on Cancel. When the seed is missing from the keyring
// it offers to turn app 2FA off without a code.
func ShowDisable(win fyne.Window, g *guard.Guard, now func() time.Time, onDone func(disabled bool)) {
	showDisable(win, g, now, onDone)
}

func showDisable(win fyne.Window, g *guard.Guard, now func() time.Time, onDone func(disabled bool)) *codePrompt {
	p := newCodePrompt(win, "Turn off app 2FA", dialogWidth,
		[]fyne.CanvasObject{wrapped("Afterwards, showing or copying a secret, removing a key and exporting no longer ask for a code. " +
			"Type the 6-digit code your authenticator app shows for Keywarden, to show that it is you."),
			wrapped(LostAuthenticatorHelp)}, "Turn off", now,
		g.Disable, onDone)
	p.reset = widget.NewButtonWithIcon("Turn off without a code", theme.WarningIcon(), func() {
		p.run(func(string, time.Time) error { return g.Reset() })
	})
	p.reset.Importance = widget.DangerImportance
	p.reset.Hide()
	p.body.Add(p.reset)
	p.show()
	return p
}

// codePrompt is a dialog that asks for a code and hands it to check off the
// UI goroutine, staying open until check accepts it or the person cancels.
type codePrompt struct {
	win     fyne.Window
	dlg     *dialog.CustomDialog
	body    *fyne.Container
	entry   *EscapeEntry
	message *widget.Label
	confirm *widget.Button
	cancel  *widget.Button
	reset   *widget.Button // only when turning off; shown when the seed is gone

	now    func() time.Time
	runner *async.Runner                          // the window's runner for work off the UI goroutine; nil: fyne.Do
	check  func(code string, now time.Time) error // may block on the keyring
	onDone func(ok bool)
	busy   bool
	closed bool
}

// runOff runs work off the UI goroutine and hands its error to done on the
// UI goroutine, through do (nil: fyne.Do). Tests replace it to decide when
// done runs.
// A panic in work is an error: the guarded action does not run.
var runOff = func(run *async.Runner, work func() error, done func(error)) {
	async.Run(run, work, func(err, panicked error) {
		if panicked != nil {
			err = panicked
		}
		done(err)
	})
}

// intro is a prompt's opening: what the code is for, in bold, and what to
// do.
func intro(reason, help string) []fyne.CanvasObject {
	r := wrapped(reason)
	r.TextStyle.Bold = true
	return []fyne.CanvasObject{r, wrapped(help)}
}

// newCodePrompt builds a prompt of the given width: the top objects, then
// the code entry and the message line. confirm labels the button that runs
// check.
func newCodePrompt(win fyne.Window, title string, width float32, top []fyne.CanvasObject, confirm string,
	now func() time.Time, check func(string, time.Time) error, onDone func(bool)) *codePrompt {
	p := &codePrompt{win: win, now: now, check: check, onDone: onDone}

	p.entry = newCodeEntry()
	p.entry.OnChanged = func(string) { p.syncConfirm() }
	p.entry.OnSubmitted = func(string) { p.submit() }
	p.entry.OnEscape = func() {
		if !p.cancel.Disabled() {
			p.finish(false)
		}
	}

	p.message = widget.NewLabel("")
	p.message.Wrapping = fyne.TextWrapWord
	p.message.Hide()

	p.body = newColumn(width, append(top, p.entry, p.message)...)

	p.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { p.finish(false) })
	p.confirm = widget.NewButtonWithIcon(confirm, theme.ConfirmIcon(), p.submit)
	p.confirm.Importance = widget.HighImportance
	p.confirm.Disable()

	p.dlg = dialog.NewCustomWithoutButtons(title, p.body, win)
	p.dlg.SetButtons([]fyne.CanvasObject{p.cancel, p.confirm})
	return p
}

// newCodeEntry is the entry for a 6-digit code.
func newCodeEntry() *EscapeEntry {
	e := NewEscapeEntry(false)
	e.SetPlaceHolder("123 456")
	e.TextStyle = fyne.TextStyle{Monospace: true}
	return e
}

// codeDigits counts the digits typed, ignoring the spaces authenticator
// apps show in the middle of a code.
func codeDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

func (p *codePrompt) show() {
	p.dlg.Show()
	p.win.Canvas().Focus(p.entry)
}

func (p *codePrompt) syncConfirm() {
	if p.busy || codeDigits(p.entry.Text) != guard.Digits {
		p.confirm.Disable()
	} else {
		p.confirm.Enable()
	}
}

func (p *codePrompt) submit() { p.run(p.check) }

// run hands the typed code to check on a goroutine and shows the outcome.
func (p *codePrompt) run(check func(string, time.Time) error) {
	if p.busy || p.closed {
		return
	}
	code, now := strings.TrimSpace(p.entry.Text), p.now()
	p.setBusy(true)
	p.say("Checking… If your system asks to unlock its keyring, unlock it.", widget.MediumImportance)
	runOff(p.runner, func() error { return check(code, now) }, p.result)
}

func (p *codePrompt) result(err error) {
	p.setBusy(false)
	if p.closed {
		return
	}
	if err == nil {
		p.finish(true)
		return
	}
	if !expected(err) {
		fyne.LogError("app 2FA", err)
	}
	p.say(keys.UserMessage(err), widget.DangerImportance)
	if p.reset != nil && errors.Is(err, guard.ErrSeedMissing) {
		p.reset.Show()
		p.dlg.Refresh()
	}
	p.entry.SetText("")
	p.win.Canvas().Focus(p.entry)
}

// expected reports the errors that are a person's typing, not a fault
// worth a log line.
func expected(err error) bool {
	return errors.Is(err, guard.ErrWrongCode) || errors.Is(err, guard.ErrReplayed) ||
		errors.Is(err, guard.ErrLocked) || errors.Is(err, guard.ErrCodeFormat)
}

func (p *codePrompt) setBusy(b bool) {
	p.busy = b
	if b {
		p.entry.Disable()
	} else {
		p.entry.Enable()
	}
	p.syncConfirm()
}

func (p *codePrompt) say(msg string, imp widget.Importance) {
	p.message.Importance = imp
	p.message.SetText(msg)
	p.message.Show()
	p.dlg.Refresh() // the dialog grows to fit the message
}

func (p *codePrompt) finish(ok bool) {
	if p.closed {
		return
	}
	p.closed = true
	p.dlg.Hide()
	if p.onDone != nil {
		p.onDone(ok)
	}
}
