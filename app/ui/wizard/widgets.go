package wizard

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// message sets a label's text and importance, hiding it when text is empty.
func message(l *widget.Label, text string, imp widget.Importance) {
	l.Importance = imp
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// wrapped returns a label that wraps at word boundaries.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// note returns a wrapped label for a message shown under a field.
func note() *widget.Label {
	l := wrapped("")
	l.Hide()
	return l
}

// fieldTitle returns a bold label naming a field.
func fieldTitle(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// tabOutEntry is a multi-line entry that leaves Tab and Shift+Tab to move
// the focus, so the keyboard is not trapped in it; Enter still starts a
// new line.
type tabOutEntry struct {
	widget.Entry
}

func newTabOutEntry() *tabOutEntry {
	e := &tabOutEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// AcceptsTab reports false: Tab moves to the next field.
func (e *tabOutEntry) AcceptsTab() bool { return false }

// stepCheck is a check box of a wizard step: Enter in it goes to the next
// step, as in the step's entries, and gaining the focus scrolls it into
// view, so a keyboard user sees where the focus is on a long step.
type stepCheck struct {
	widget.Check
	w *Wizard
}

func newStepCheck(w *Wizard, label string, changed func(bool)) *stepCheck {
	c := &stepCheck{w: w}
	c.Text = label
	c.OnChanged = changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey goes to the next step on Enter.
func (c *stepCheck) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		c.w.onNext()
		return
	}
	c.Check.TypedKey(ev)
}

// FocusGained scrolls the box into view.
func (c *stepCheck) FocusGained() {
	c.Check.FocusGained()
	c.w.reveal(c)
}

// stepEntry is a one-line entry of a wizard step that scrolls itself into
// view when it gains the focus, so a keyboard user never types blind into
// a field below the fold (the Name on step 1 at 640×480).
type stepEntry struct {
	widget.Entry
	w *Wizard
}

// newStepEntry returns a stepEntry; password masks what is typed, with
// the entry's own button to show it.
func newStepEntry(w *Wizard, password bool) *stepEntry {
	e := &stepEntry{w: w}
	e.Password = password // the renderer adds the button that shows it
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// FocusGained scrolls the field into view.
func (e *stepEntry) FocusGained() {
	e.Entry.FocusGained()
	e.w.reveal(e)
}
