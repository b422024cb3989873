package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// commitEntry is a one-line entry whose value counts when the person is
// done with it: on leaving the field or pressing Enter, not on each
// keystroke (typing 400 must not store 40 on the way).
type commitEntry struct {
	widget.Entry
	onCommit func(text string)
	// onEscape, when set, runs for Escape: the screen's way back, which
	// an entry holding the focus would otherwise swallow.
	onEscape func()
}

func newCommitEntry(text string, onCommit func(string)) *commitEntry {
	e := &commitEntry{onCommit: onCommit}
	e.ExtendBaseWidget(e)
	e.SetText(text)
	e.OnSubmitted = func(string) { e.commit() }
	return e
}

// FocusLost commits the value when the cursor leaves the field.
func (e *commitEntry) FocusLost() {
	e.Entry.FocusLost()
	e.commit()
}

// TypedKey runs onEscape for Escape and treats other keys as an entry does.
func (e *commitEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(ev)
}

// commit hands the value over.
func (e *commitEntry) commit() {
	if e.onCommit != nil {
		e.onCommit(e.Text)
	}
}
