package guardui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// EscapeEntry is a one-line entry that runs OnEscape when Escape is
// pressed in it, so a prompt built around it closes from the keyboard.
type EscapeEntry struct {
	widget.Entry
	OnEscape func()
}

// NewEscapeEntry returns an EscapeEntry; password hides what is typed.
func NewEscapeEntry(password bool) *EscapeEntry {
	e := &EscapeEntry{}
	e.Password = password
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey runs OnEscape for Escape and treats other keys as an entry does.
func (e *EscapeEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.OnEscape != nil {
		e.OnEscape()
		return
	}
	e.Entry.TypedKey(ev)
}
