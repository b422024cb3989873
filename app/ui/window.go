package ui

import (
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/ui/wizard"
	"github.com/keywarden/keywarden/app/vault"
)

// view names the screen the window shows.
type view int

const (
	viewList view = iota
	viewDetail
	viewReview
	viewRevoke
	viewSettings
)

// mainWindow is the one window: a body that shows one screen at a time,
// and a status line with a busy indicator below it.
type mainWindow struct {
	env   Env
	win   fyne.Window
	prefs preferences
	clip  *clipGuard

	records []vault.Record // as last loaded, in attention order
	loaded  bool
	loadErr error
	damage  string // the damaged file last reported, so it is reported once

	reminders    remind.State // the reminders file, read with the key list
	remindersErr error

	root     *fyne.Container // the body over the status line
	body     *fyne.Container
	keys     *keysList
	empty    *emptyState
	detail   *keyDetail
	review   *reviewScreen
	revoke   *revokeRunbook
	settings *settingsScreen
	wizard   *wizard.Wizard
	view     view
	viewID   string

	// Dialogs last opened, kept so tests can drive them.
	editor      *editDialog
	confirm     *dialog.ConfirmDialog
	codePrompt  *codePrompt
	damaged     *damagedDialog
	lastMessage string

	leakTicks map[string]*[leakStepCount]bool // the leak steps done, by key

	activity *widget.Activity
	status   *widget.Label
	jobs     int          // background jobs running, on the UI goroutine
	pending  atomic.Int32 // the same, readable from any goroutine (tests)
}

func newMainWindow(env Env) *mainWindow {
	mw := &mainWindow{env: env, prefs: preferences{env.App.Preferences()}}
	env.App.Settings().SetTheme(newAppTheme())
	mw.win = env.App.NewWindow(env.title())
	mw.win.SetIcon(env.App.Metadata().Icon)
	mw.clip = newClipGuard(env.App.Clipboard())

	mw.activity = widget.NewActivity()
	mw.activity.Hide()
	mw.status = newTruncated("")
	mw.status.Hide()
	mw.keys = newKeysList(mw)
	mw.empty = newEmptyState(mw.onNewKey, mw.onTryDemo(), func() { mw.openURL(KrakenAPISettingsURL) })
	mw.body = container.NewStack(mw.keys.content)
	statusBar := container.NewBorder(nil, nil, mw.activity, nil, mw.status)
	mw.root = container.NewBorder(nil, statusBar, nil, nil, mw.body)
	mw.win.SetContent(mw.root)

	ctrl := fyne.KeyModifierShortcutDefault
	mw.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: ctrl}, func(fyne.Shortcut) { mw.onNewKey() })
	mw.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: ctrl}, func(fyne.Shortcut) { mw.onFind() })
	mw.win.SetOnClosed(mw.clip.clearNow)
	atExit(mw.clip.clearNow)
	mw.win.Resize(fyne.NewSize(900, 620))
	mw.reload()
	return mw
}

// onTryDemo returns the empty state's demo action, or nil in demo mode.
func (mw *mainWindow) onTryDemo() func() {
	if mw.env.Demo {
		return nil
	}
	return func() {
		start := mw.env.StartDemo
		if start == nil {
			start = startDemo
		}
		if err := start(); err != nil {
			mw.showError("The demo could not start", err)
			return
		}
		mw.notice("The demo opens in a window of its own; nothing in it touches your keys.")
	}
}

// onFind shows the keys list and puts the cursor in its search field.
func (mw *mainWindow) onFind() {
	mw.showList()
	mw.win.Canvas().Focus(mw.keys.search)
}

// background runs work off the UI goroutine with the busy indicator on;
// the function work returns (if any) then runs on the UI goroutine.
func (mw *mainWindow) background(what string, work func() func()) {
	mw.jobs++
	mw.pending.Add(1)
	mw.activity.Show()
	mw.activity.Start()
	mw.root.Refresh()
	mw.notice(what + "…")
	go func() {
		done := work()
		fyne.Do(func() {
			mw.jobs--
			if mw.jobs == 0 {
				mw.activity.Stop()
				mw.activity.Hide()
				mw.root.Refresh()
				if strings.HasSuffix(mw.status.Text, "…") {
					mw.notice("") // a job's own line; a result's stays
				}
			}
			if done != nil {
				done()
			}
			mw.pending.Add(-1)
		})
	}()
}

// notice shows a short message in the status line.
// An empty text hides the status line.
func (mw *mainWindow) notice(text string) {
	hide := text == ""
	mw.status.SetText(text)
	if hide != mw.status.Hidden {
		mw.status.Hidden = hide
		mw.root.Refresh() // lay the window out again with or without the line
	}
}

// reload reads the key list again.
func (mw *mainWindow) reload() {
	mw.background("Reading your key list", func() func() {
		snap := mw.readList()
		return func() { mw.setData(snap) }
	})
}

// listSnapshot is the key list and the reminders file beside it, as one
// read found them.
type listSnapshot struct {
	data         *vault.Data
	err          error
	reminders    remind.State
	remindersErr error
}

// readList reads the key list and the reminders; it runs off the UI
// goroutine.
func (mw *mainWindow) readList() listSnapshot {
	data, err := mw.env.Store.Load()
	rem, remErr := mw.reminderFile().Load()
	return listSnapshot{data: data, err: err, reminders: rem, remindersErr: remErr}
}

// update changes the key list with fn (which runs off the UI goroutine,
// under the store's lock: it must only change data), reloads it, and calls
// done on success. Failures are shown in plain words.
func (mw *mainWindow) update(what string, fn func(*vault.Data) error, done func()) {
	mw.background(what, func() func() {
		err := mw.env.Store.Update(fn)
		snap := mw.readList()
		return func() {
			mw.setData(snap)
			if err != nil {
				mw.showError("Nothing was changed", err)
				return
			}
			if done != nil {
				done()
			}
		}
	})
}

// setData takes a freshly read key list and reminders and redraws the
// current screen.
func (mw *mainWindow) setData(snap listSnapshot) {
	data, err := snap.data, snap.err
	mw.reminders, mw.remindersErr = snap.reminders, snap.remindersErr
	mw.loaded = true
	mw.loadErr = err
	if err != nil {
		mw.records = nil
		mw.showLoadError(err)
	} else {
		mw.damage = ""
		recs := make([]vault.Record, len(data.Records))
		copy(recs, data.Records)
		mw.sortRecords(recs)
		mw.records = recs
	}
	mw.render()
	if mw.env.Loaded != nil {
		mw.env.Loaded()
	}
}

// render draws the current screen again from the records.
func (mw *mainWindow) render() {
	switch mw.view {
	case viewDetail:
		mw.showDetail(mw.viewID)
	case viewReview:
		mw.showReview(mw.viewID)
	case viewRevoke:
		mw.showRevoke(mw.viewID, mw.revoke != nil && mw.revoke.compromised)
	case viewSettings:
		mw.showSettings()
	case viewWizard:
		// The wizard keeps what was typed; the list catches up when it closes.
	default:
		mw.showList()
	}
}

// show puts one screen in the body.
func (mw *mainWindow) show(v view, id string, content fyne.CanvasObject) {
	mw.view, mw.viewID = v, id
	mw.body.Objects = []fyne.CanvasObject{content}
	mw.body.Refresh()
}

// showList shows the keys list, or the empty state when there are no keys.
func (mw *mainWindow) showList() {
	mw.clearScreens()
	mw.sortRecords(mw.records) // the review defaults may have changed
	mw.keys.setRecords(mw.records)
	if mw.loaded && mw.loadErr == nil && len(mw.records) == 0 {
		mw.show(viewList, "", mw.empty.content)
		return
	}
	mw.show(viewList, "", mw.keys.content)
}

// clearScreens forgets the screens not shown any more.
func (mw *mainWindow) clearScreens() {
	mw.detail, mw.review, mw.revoke, mw.settings, mw.wizard = nil, nil, nil, nil, nil
}

// record returns the record with the given ID as last loaded.
func (mw *mainWindow) record(id string) (vault.Record, bool) {
	for _, r := range mw.records {
		if r.ID == id {
			return r, true
		}
	}
	return vault.Record{}, false
}
