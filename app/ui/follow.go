package ui

import (
	"reflect"
	"strconv"

	"fyne.io/fyne/v2"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/ui/async"
)

// The window follows what other processes change (`keywarden add` in a
// terminal, the tray part's checks and snoozes, another user session's
// settings): keys.Service.Watch reports a changed file, the list is read
// again off the UI goroutine, and the screen shown is drawn again on it,
// keeping its scroll position. What the person is in the middle of is left
// alone: the wizard, Find copies, a review or revocation under way, or a
// setting being typed; an open dialog stays open. The window keeps the fresh list for
// when they are done (the idle closer reads the new settings at once) and
// says in the status line what changed.

// follow starts watching the shared files for the window's lifetime. A
// system that cannot watch leaves the window as it was before: it reads
// the list again after its own actions and when the tray tells it.
func (mw *mainWindow) follow() {
	err := mw.keys.Watch(mw.ctx, func(c keys.Change) {
		snap := mw.readList()
		mw.env.do(func() { mw.followed(c, snap) })
	})
	if err != nil {
		fyne.LogError("the window will not follow changes other processes make", err)
	}
}

// followed takes what another process changed, on the UI goroutine.
func (mw *mainWindow) followed(c keys.Change, snap listSnapshot) {
	if mw.ctx.Err() != nil {
		return // the window closed meanwhile
	}
	if mw.jobs > 0 {
		// The window's own work reads the list again when it ends; this
		// change may be that work's own save. Look again after it.
		mw.stale = mw.stale.Merge(c)
		return
	}
	if mw.sameAs(snap) && !(c.Guard && mw.view == viewSettings) {
		return // nothing a screen shows: the window's own save coming back
	}
	if what := mw.midway(); what != "" {
		mw.take(snap)
		if text := changedText(c); text != "" {
			mw.notice(text + "; " + what)
		}
		return
	}
	last := mw.idle.last // a redraw is not the person's input
	offset, before := mw.scrollOffset()
	mw.setData(snap)
	if _, again := mw.scrollOffset(); before != nil && again != nil {
		again.ScrollToOffset(offset)
	}
	mw.idle.last = last
	if text := changedText(c); text != "" && mw.dialogOpen() {
		mw.notice(text + ".") // the dialog may show what is no longer so
	}
}

// lookAgainIfStale reads the list again for changes that came while the
// window's own work ran; background calls it when that work is done.
func (mw *mainWindow) lookAgainIfStale() {
	c := mw.stale
	if !c.Any() {
		return
	}
	mw.stale = keys.Change{}
	async.Run(mw.run, mw.readList, func(snap listSnapshot, err error) {
		if err == nil {
			mw.followed(c, snap)
		}
	})
}

// sameAs reports whether snap shows what the window shows already.
func (mw *mainWindow) sameAs(snap listSnapshot) bool {
	if snap.err != nil || mw.loadErr != nil || !mw.loaded {
		return false
	}
	a, b := mw.snap, snap.snap
	return reflect.DeepEqual(a.Records, b.Records) && reflect.DeepEqual(a.Settings, b.Settings) &&
		reflect.DeepEqual(a.Reminders, b.Reminders)
}

// midway says what the person is in the middle of that a redraw would
// throw away ("" for nothing), as the end of the status line's sentence.
// A dialog over the list or a key's detail is not: it keeps what it holds
// (a copy of the record), and the screen behind it is drawn again.
func (mw *mainWindow) midway() string {
	switch {
	case mw.view == viewWizard:
		return "the key list shows it once you are done adding this key."
	case mw.view == viewSweep:
		return "the key list shows it once you close Find copies."
	case mw.view == viewReview, mw.view == viewRevoke:
		return "this screen shows it once you go back."
	case mw.view == viewSettings && mw.dialogOpen():
		return "the settings screen shows it once you close the dialog and open it again."
	case mw.view == viewSettings && mw.settings != nil && mw.settings.typing(mw.snap.Settings):
		return "the settings screen shows it once you save or leave what you are typing."
	}
	return ""
}

// dialogOpen reports whether a dialog (or another pop-up) is over the
// window.
func (mw *mainWindow) dialogOpen() bool { return mw.win.Canvas().Overlays().Top() != nil }

// changedText says what changed elsewhere, or "" for what no screen the
// person is busy with shows (the reminders' marks, app 2FA's counters).
func changedText(c keys.Change) string {
	switch {
	case c.Keys:
		return "The key list changed in another window, the tray or a terminal"
	case c.Settings:
		return "The settings changed in another window or a terminal"
	}
	return ""
}

// scrollOffset returns the scroll position of the screen shown, when it
// is one that is drawn anew (a key's detail, the settings); the list keeps
// its own.
func (mw *mainWindow) scrollOffset() (fyne.Position, scroller) {
	switch {
	case mw.view == viewDetail && mw.detail != nil && mw.detail.scroll != nil:
		return mw.detail.scroll.Offset, mw.detail.scroll
	case mw.view == viewSettings && mw.settings != nil && mw.settings.scroll != nil:
		return mw.settings.scroll.Offset, mw.settings.scroll
	}
	return fyne.Position{}, nil
}

// scroller is a scroll container (container.Scroll).
type scroller interface{ ScrollToOffset(fyne.Position) }

// typing reports whether a field of the settings holds text that differs
// from the saved settings saved: typed, not saved yet.
func (s *settingsScreen) typing(saved keys.Settings) bool {
	return s.readOnly.Text != strconv.Itoa(saved.ReadOnlyDays) ||
		s.risky.Text != strconv.Itoa(saved.RiskyDays) ||
		s.idleClose.Text != keys.FormatIdleClose(saved.IdleCloseMinutes)
}
