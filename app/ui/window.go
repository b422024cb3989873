package ui

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/ui/async"
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
	env Env
	win fyne.Window
	// closeWin closes the window (and so ends the window process): win.Close,
	// or a stand-in in tests.
	closeWin func()
	keys     *keys.Service
	clip     *clipGuard
	// run is the window's one way off the UI goroutine (async.Run); closed
	// with the window, so no result is drawn on a window that is gone.
	run *async.Runner
	// ctx lives as long as the window: closing it cancels the work in
	// flight (checks), whose results would have nowhere to go.
	ctx    context.Context
	cancel context.CancelFunc

	snap    *keys.Snapshot // the key list as last loaded; never nil
	records []vault.Record // snap.Records: in attention order
	loaded  bool
	loadErr error
	damage  string // the damaged file last reported, so it is reported once
	// repairMu guards repaired: two jobs may read the list at once (the
	// first load and a screen brought back, or a key the tray opens).
	repairMu sync.Mutex
	repaired bool // Repair ran once

	root     *fyne.Container // the body over the status line
	body     *fyne.Container
	list     *keysList
	empty    *emptyState
	detail   *keyDetail
	review   *reviewScreen
	revoke   *revokeRunbook
	settings *settingsScreen
	sweeper  *sweepScreen // Find copies: kept, with its results, until the window closes
	wizard   *wizard.Wizard
	view     view
	viewID   string

	// Dialogs last opened, kept so tests can drive them.
	editor      *editDialog
	codePrompt  *codePrompt
	damaged     *damagedDialog
	activityDlg *activityDialog
	ledgerLines []string // the entries the last ledger listing marked
	lastMessage string

	idle *idleCloser
	// unlock is the short unlock after a correct app 2FA code
	// (keys.Settings.AppCodeGrace): this window's, in memory only.
	unlock   guard.Unlock
	activity *widget.Activity
	status   *widget.Label
	jobs     int          // background jobs running, on the UI goroutine
	stale    keys.Change  // what other processes changed while jobs ran (follow.go)
	pending  atomic.Int32 // the same, readable from any goroutine (tests)
}

func newMainWindow(env Env) *mainWindow {
	mw := &mainWindow{env: env, keys: env.Keys, run: async.New(env.Do)}
	mw.ctx, mw.cancel = context.WithCancel(context.Background())
	mw.snap = keys.NewSnapshot(nil, keys.DefaultSettings(), remind.State{}, env.now())
	env.App.Settings().SetTheme(newAppTheme())
	mw.win = env.App.NewWindow(env.title())
	mw.win.SetIcon(env.App.Metadata().Icon)
	mw.closeWin = mw.win.Close
	mw.clip = newClipGuard(env.App.Clipboard())

	mw.activity = widget.NewActivity()
	mw.activity.Hide()
	// The status line wraps: it carries key warnings and check failures,
	// which must be read in full, not cut with "…".
	mw.status = newWrapped("")
	mw.status.Hide()
	mw.list = newKeysList(mw)
	mw.empty = newEmptyState(mw.onNewKey, mw.onTryDemo(), func() { mw.openURL(KrakenAPISettingsURL) }, mw.showSettings)
	mw.body = container.NewStack(mw.list.content)
	statusBar := container.NewBorder(nil, nil, mw.activity, nil, mw.status)
	mw.root = container.NewBorder(demoBanner(env.Demo), statusBar, nil, nil, mw.body)
	mw.idle = newIdleCloser(mw)
	mw.win.SetContent(newActivityLayer(mw.root, mw.idle.touch))

	ctrl := fyne.KeyModifierShortcutDefault
	mw.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: ctrl}, mw.shortcut(mw.onNewKey))
	mw.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: ctrl}, mw.shortcut(mw.onFind))
	mw.win.SetCloseIntercept(mw.onCloseRequest)
	mw.win.SetOnClosed(func() {
		mw.unlock.End()
		mw.run.Close()
		mw.idle.stop()
		mw.cancel()
		mw.clip.clearNow()
	})
	atExit(mw.clip.clearNow)
	size := fyne.NewSize(900, 620)
	if env.Demo {
		// Smaller, so that it does not sit exactly over the real window
		// (Fyne cannot place a window).
		size = fyne.NewSize(840, 580)
	}
	mw.win.Resize(size)
	mw.reload()
	mw.follow()
	mw.watchOnOpen()
	return mw
}

// shortcut returns a window shortcut's handler: it runs action unless a
// dialog is open. A dialog is modal; a screen changed behind it would
// leave the dialog (Remove the key?) over a screen it no longer belongs to.
func (mw *mainWindow) shortcut(action func()) func(fyne.Shortcut) {
	return func(fyne.Shortcut) {
		if mw.win.Canvas().Overlays().Top() != nil {
			return
		}
		action()
	}
}

// demoBanner says "demo" inside the window, not only in its title; nil
// outside demo mode.
func demoBanner(demo bool) fyne.CanvasObject {
	if !demo {
		return nil
	}
	l := widget.NewLabelWithStyle("DEMO · sample keys over a simulated exchange; nothing here touches your real keys",
		fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	l.Importance = widget.WarningImportance
	l.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(l, widget.NewSeparator())
}

// onCloseRequest closes the window, after asking when the wizard holds
// pasted keys that closing would lose.
func (mw *mainWindow) onCloseRequest() {
	if mw.wizard != nil {
		mw.wizard.AskDiscard(mw.closeWin)
		return
	}
	mw.closeWin()
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
	mw.win.Canvas().Focus(mw.list.search)
}

// background runs work off the UI goroutine (async.Run) with the busy
// indicator on; the function work returns (if any) then runs on the UI
// goroutine. A panic in work is shown as an error, and the busy indicator
// still stops.
func (mw *mainWindow) background(what string, work func() func()) {
	mw.jobs++
	mw.pending.Add(1)
	mw.idle.touch()
	mw.activity.Show()
	mw.activity.Start()
	mw.root.Refresh()
	mw.notice(what + "…")
	async.Run(mw.run, work, func(done func(), err error) {
		defer mw.pending.Add(-1)
		mw.jobs--
		if mw.jobs == 0 {
			mw.activity.Stop()
			mw.activity.Hide()
			mw.root.Refresh()
			if strings.HasSuffix(mw.status.Text, "…") {
				mw.notice("") // a job's own line; a result's stays
			}
			defer mw.lookAgainIfStale() // after done has drawn the job's result
		}
		switch {
		case err != nil:
			mw.showError(what+" did not finish", err)
		case done != nil:
			done()
		}
	})
}

// notice shows a short message in the status line.
// An empty text hides the status line.
func (mw *mainWindow) notice(text string) {
	mw.status.Hidden = text == ""
	// Wrap at the window's width before the layout asks for the line's
	// height: a label not yet laid out would measure one short line.
	mw.status.Resize(fyne.NewSize(mw.root.Size().Width, mw.status.Size().Height))
	mw.status.SetText(text)
	mw.root.Refresh() // lay the window out again: the line's height follows its text
}

// reload reads the key list again.
func (mw *mainWindow) reload() {
	mw.background("Reading your key list", func() func() {
		snap := mw.readList()
		return func() { mw.setData(snap) }
	})
}

// listSnapshot is the key list as one read found it.
type listSnapshot struct {
	snap *keys.Snapshot
	err  error
}

// readList reads the key list, the settings and the reminders, after
// mending what a killed process left (once per window); it runs off the
// UI goroutine.
func (mw *mainWindow) readList() listSnapshot {
	mw.repairMu.Lock()
	if !mw.repaired {
		if _, err := mw.keys.Repair(); err == nil {
			mw.repaired = true
		}
	}
	mw.repairMu.Unlock()
	snap, err := mw.keys.Snapshot()
	return listSnapshot{snap: snap, err: err}
}

// do runs a workflow of the key service off the UI goroutine, reads the
// key list again, and calls done on success. Failures are shown in plain
// words.
func (mw *mainWindow) do(what string, work func() error, done func()) {
	mw.background(what, func() func() {
		err := work()
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

// setData takes a freshly read key list and redraws the current screen.
func (mw *mainWindow) setData(snap listSnapshot) {
	mw.take(snap)
	mw.render()
	if mw.env.Loaded != nil {
		mw.env.Loaded()
	}
}

// take keeps a freshly read key list without redrawing.
func (mw *mainWindow) take(snap listSnapshot) {
	mw.loaded = true
	mw.loadErr = snap.err
	if snap.err != nil {
		mw.snap = keys.NewSnapshot(nil, mw.snap.Settings, mw.snap.Reminders, mw.env.now())
		mw.records = nil
		mw.showLoadError(snap.err)
	} else {
		mw.damage = ""
		mw.snap = snap.snap
		mw.records = snap.snap.Records
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
	case viewSweep:
		// Find copies keeps its results; the list catches up when it closes.
	case viewWizard:
		// The wizard keeps what was typed; the list catches up when it closes.
	default:
		mw.showList()
	}
}

// show puts one screen in the body.
func (mw *mainWindow) show(v view, id string, content fyne.CanvasObject) {
	mw.idle.touch()
	if mw.jobs == 0 && (v != mw.view || id != mw.viewID) {
		mw.notice("") // a result's line belongs to the screen it happened on
	}
	mw.view, mw.viewID = v, id
	mw.body.Objects = []fyne.CanvasObject{content}
	mw.body.Refresh()
}

// showList shows the keys list, or the empty state when there are no keys.
func (mw *mainWindow) showList() {
	mw.clearScreens()
	mw.list.setRecords(mw.records)
	if mw.loaded && mw.loadErr == nil && len(mw.records) == 0 {
		mw.show(viewList, "", mw.empty.content)
		return
	}
	mw.show(viewList, "", mw.list.content)
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
