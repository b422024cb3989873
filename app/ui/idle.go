package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/internal/atomicfile"
	"github.com/keywarden/keywarden/app/vault"
)

// The window closes itself after the minutes without input the settings
// name (keys.Settings.IdleCloseMinutes; 0 means never), like a password
// manager's auto-lock: key facts do not stay on screen for whoever walks
// by, and an idle Fyne window costs ~60 wake-ups a second. The tray part
// stays; the screen shown is written to windowStateName so the next start
// ("Open Keywarden") brings it back. It never closes while the wizard holds
// pasted keys or background work (a check, a save) runs.
//
// Fyne has no window-wide input hook, so "input" is what the window can
// see: the pointer moving over it (activityLayer), keys the canvas gets,
// the focus moving, the focused field's text changing or the screen
// scrolling (looked at once a minute), a screen or a job starting, and the
// app coming to the foreground.

// windowStateName is the file, beside keys.json, that keeps the screen an
// idle close left, for the next start.
const windowStateName = "window-state.json"

// idleCheckEvery is how often an idle window looks at its input while
// nothing else happens: one wake-up a minute beside Fyne's 60 a second.
const idleCheckEvery = time.Minute

// windowState is the screen an idle close left.
type windowState struct {
	View   string    `json:"view"` // "list", "detail", "review", "revoke", "compromised", "settings"
	ID     string    `json:"id,omitempty"`
	Closed time.Time `json:"closed"`
}

// idleCloser watches for input and closes the window when there has been
// none for the set time. All its methods run on the UI goroutine.
type idleCloser struct {
	mw        *mainWindow
	last      time.Time // the last input seen
	focus     fyne.Focusable
	focusText string
	scrolled  float32 // the screen's scroll offsets, summed
	timer     *time.Timer
	closed    bool
}

func newIdleCloser(mw *mainWindow) *idleCloser {
	c := &idleCloser{mw: mw, last: mw.env.now()}
	mw.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		c.touch()
		mw.onCanvasKey(ev)
	})
	mw.win.Canvas().SetOnTypedRune(func(rune) { c.touch() })
	mw.env.App.Lifecycle().SetOnEnteredForeground(c.touch)
	return c
}

// start arms the timer; the window calls it once it is shown.
func (c *idleCloser) start() {
	c.timer = time.AfterFunc(idleCheckEvery, func() { fyne.Do(c.check) })
}

// stop ends the watching (the window closed).
func (c *idleCloser) stop() {
	c.closed = true
	if c.timer != nil {
		c.timer.Stop()
	}
}

// touch records input now.
func (c *idleCloser) touch() { c.last = c.mw.env.now() }

// limit is the set time without input; 0 means never.
func (c *idleCloser) limit() time.Duration {
	if c.mw.env.Demo {
		return 0 // the demo has no tray part to come back from
	}
	return time.Duration(c.mw.snap.Settings.IdleCloseMinutes) * time.Minute
}

// busy reports whether closing now would lose something: pasted keys in
// the wizard, or work in flight.
func (c *idleCloser) busy() bool {
	mw := c.mw
	return mw.jobs > 0 || (mw.wizard != nil && mw.wizard.HoldsKeys())
}

// check closes the window when it has been idle long enough, and
// otherwise looks again later.
func (c *idleCloser) check() {
	if c.closed {
		return
	}
	c.noticeFocus()
	if limit := c.limit(); limit > 0 && !c.busy() && c.mw.env.now().Sub(c.last) >= limit {
		c.closed = true
		c.mw.unlock.End() // an unlock never outlives the idle close
		c.mw.saveWindowState()
		c.mw.closeWin()
		return
	}
	if c.timer != nil {
		c.timer.Reset(idleCheckEvery)
	}
}

// noticeFocus counts the focus moving, or the focused field's text
// changing, as input.
func (c *idleCloser) noticeFocus() {
	f := c.mw.win.Canvas().Focused()
	text := ""
	switch e := f.(type) {
	case *widget.Entry:
		text = e.Text
	case *commitEntry:
		text = e.Text
	}
	scrolled := scrollSum(c.mw.body)
	if f != c.focus || text != c.focusText || scrolled != c.scrolled {
		c.focus, c.focusText, c.scrolled = f, text, scrolled
		c.touch()
	}
}

// scrollSum adds up the offsets of the scroll containers under o, so
// scrolling with the wheel (which no widget reports) counts as input.
func scrollSum(o fyne.CanvasObject) float32 {
	switch t := o.(type) {
	case *fyne.Container:
		var sum float32
		for _, ch := range t.Objects {
			sum += scrollSum(ch)
		}
		return sum
	case *container.Scroll:
		return t.Offset.X + t.Offset.Y + scrollSum(t.Content)
	}
	return 0
}

// onCanvasKey acts on a key that reached no focused widget: Enter goes on
// in the wizard (or saves on its last step); Escape leaves Settings unless
// a dialog is open over it.
func (mw *mainWindow) onCanvasKey(ev *fyne.KeyEvent) {
	switch {
	case (ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter) && mw.wizard != nil:
		mw.wizard.Next()
	case ev.Name == fyne.KeyEscape && mw.view == viewSettings && mw.settings != nil && mw.win.Canvas().Overlays().Top() == nil:
		mw.settings.leave()
	}
}

// activityLayer is the window's content with the pointer moving over it
// counted as input.
type activityLayer struct {
	widget.BaseWidget
	content fyne.CanvasObject
	touch   func()
}

var _ desktop.Hoverable = (*activityLayer)(nil)

func newActivityLayer(content fyne.CanvasObject, touch func()) *activityLayer {
	l := &activityLayer{content: content, touch: touch}
	l.ExtendBaseWidget(l)
	return l
}

func (l *activityLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(l.content)
}

// MouseIn counts the pointer entering as input.
func (l *activityLayer) MouseIn(*desktop.MouseEvent) { l.touch() }

// MouseMoved counts the pointer moving as input.
func (l *activityLayer) MouseMoved(*desktop.MouseEvent) { l.touch() }

// MouseOut does nothing.
func (l *activityLayer) MouseOut() {}

// windowStatePath is where the screen an idle close left is kept.
func (mw *mainWindow) windowStatePath() string {
	return filepath.Join(mw.keys.Dir(), windowStateName)
}

// saveWindowState writes the screen shown, for the next start.
func (mw *mainWindow) saveWindowState() {
	st := windowState{View: "list", Closed: mw.env.now()}
	switch mw.view {
	case viewDetail:
		st.View, st.ID = "detail", mw.viewID
	case viewReview:
		st.View, st.ID = "review", mw.viewID
	case viewRevoke:
		st.View, st.ID = "revoke", mw.viewID
		if mw.revoke != nil && mw.revoke.compromised {
			st.View = "compromised"
		}
	case viewSettings:
		st.View = "settings"
	}
	b, err := json.Marshal(st)
	if err == nil {
		err = atomicfile.Write(mw.windowStatePath(), b, 0o600)
	}
	if err != nil {
		fyne.LogError("could not keep the screen for the next start", err)
	}
}

// takeWindowState reads and removes the screen an idle close left; ok is
// false when there is none, or it is older than a day.
func (mw *mainWindow) takeWindowState() (st windowState, ok bool) {
	path := mw.windowStatePath()
	b, err := vault.ReadFileLimit(path, 64<<10) // regular files only: a pipe here must not hang the window
	if err != nil {
		return st, false
	}
	_ = os.Remove(path)
	if json.Unmarshal(b, &st) != nil || mw.env.now().Sub(st.Closed) > 24*time.Hour {
		return st, false
	}
	return st, true
}

// restoreScreen shows the screen st names, once the key list is read.
func (mw *mainWindow) restoreScreen(st windowState) {
	mw.background("Reading your key list", func() func() {
		snap := mw.readList()
		return func() {
			mw.setData(snap)
			if _, ok := mw.record(st.ID); !ok && st.ID != "" {
				return
			}
			switch st.View {
			case "detail":
				mw.showDetail(st.ID)
			case "review":
				mw.showReview(st.ID)
			case "revoke", "compromised":
				mw.showRevoke(st.ID, st.View == "compromised")
			case "settings":
				mw.showSettings()
			}
		}
	})
}
