package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/ui/async"
	"github.com/keywarden/keywarden/app/vault"
)

// Each screen sees the window through the small interface it needs (as
// the wizard sees it through wizard.Deps), not through *mainWindow: what a
// screen may do is written down, and a test builds the screen alone over a
// tiny host (hosts_test.go). The screens keep calling their host mw.

// screenHost is what every screen asks of the window it is shown in.
type screenHost interface {
	// service is the key service: the screen's only way to the keys.
	service() *keys.Service
	// window is the parent of the screen's dialogs.
	window() fyne.Window
	notice(text string)
	showError(title string, err error)
	// background runs work off the UI goroutine (async.Run) with the
	// busy line on; the function it returns runs on the UI goroutine.
	background(what string, work func() func())
	showList()
	showDetail(id string)
}

// revokeHost is what the revoke runbook (and its after-a-leak steps) asks
// of the window.
type revokeHost interface {
	screenHost
	openURL(u string)
	protect(reason string, action func())
	askKeyCode(r vault.Record, then func(code string))
	checkContext() (context.Context, context.CancelFunc)
	// readList reads the key list off the UI goroutine; setData shows it.
	readList() listSnapshot
	setData(snap listSnapshot)
	do(what string, work func() error, done func())
	state(r vault.Record) review.DisplayState
	// website is the demo's simulated website; nil outside the demo.
	website() DemoWebsite
	onRotate(rec vault.Record)
	// keepRecord updates the window's copy of one record without redrawing
	// the screen shown (a tick in the leak checklist).
	keepRecord(rec vault.Record)
	// activityStepAction reads the account's ledger since the key was last
	// known good (the after-a-leak step "Look at recent account activity").
	activityStepAction(rec vault.Record) fyne.CanvasObject
}

// reviewHost is what the review screen asks of the window.
type reviewHost interface {
	screenHost
	findings(r vault.Record) []review.Finding
	markReviewed(rec vault.Record, note string)
	onRotate(rec vault.Record)
	showRevoke(id string, compromised bool)
}

// settingsHost is what the settings screen asks of the window.
type settingsHost interface {
	screenHost
	// settingsShown are the settings as the window last read them.
	settingsShown() keys.Settings
	// startAtLogin turns starting at login on or off; nil where it cannot.
	startAtLogin() func(on bool) error
	demo() bool
	// appGuard is app 2FA; nil where there is none.
	appGuard() *guard.Guard
	now() time.Time
	runner() *async.Runner
	readList() listSnapshot
	// take keeps a fresh key list without redrawing the screen.
	take(snap listSnapshot)
	tellTray()
	// shows reports whether screen is the one shown now.
	shows(screen any) bool
}

// detailHost is what a key's detail (and its reminders section) asks of
// the window.
type detailHost interface {
	screenHost
	showMessage(title, text string)
	// snapshot is the key list as the window last read it: states,
	// findings, the settings and the reminders. The reminders section
	// keeps the reminders it saved there.
	snapshot() *keys.Snapshot
	now() time.Time
	tellTray()
	nameOf(id string) string
	showReview(id string)
	showRevoke(id string, compromised bool)
	onRotate(rec vault.Record)
	editKey(rec vault.Record)
	protect(reason string, action func())
	askKeyCode(r vault.Record, then func(code string))
	checkKey(rec vault.Record, code string)
	markReviewed(rec vault.Record, note string)
	copySecret(rec vault.Record, what string, part func(vault.Secret) string)
	removeKey(rec vault.Record)
	do(what string, work func() error, done func())
}

// sweepHost is what Find copies asks of the window.
type sweepHost interface {
	screenHost
	showMessage(title, text string)
	// lifetime ends when the window closes: a sweep stops with it.
	lifetime() context.Context
	checkContext() (context.Context, context.CancelFunc)
	clipboard() fyne.Clipboard
	// keyList is the key list as the window last read it.
	keyList() []vault.Record
	readList() listSnapshot
	setData(snap listSnapshot)
}

func (mw *mainWindow) service() *keys.Service { return mw.keys }

func (mw *mainWindow) window() fyne.Window { return mw.win }

func (mw *mainWindow) website() DemoWebsite { return mw.env.Website }

func (mw *mainWindow) settingsShown() keys.Settings { return mw.snap.Settings }

func (mw *mainWindow) startAtLogin() func(on bool) error { return mw.env.StartAtLogin }

func (mw *mainWindow) demo() bool { return mw.env.Demo }

func (mw *mainWindow) appGuard() *guard.Guard { return mw.env.Guard }

func (mw *mainWindow) now() time.Time { return mw.env.now() }

func (mw *mainWindow) runner() *async.Runner { return mw.run }

func (mw *mainWindow) snapshot() *keys.Snapshot { return mw.snap }

// editKey opens the edit dialog over rec (kept in mw.editor for tests).
func (mw *mainWindow) editKey(rec vault.Record) {
	mw.editor = newEditDialog(mw, rec)
	mw.editor.dlg.Show()
}

func (mw *mainWindow) lifetime() context.Context { return mw.ctx }

func (mw *mainWindow) clipboard() fyne.Clipboard { return mw.env.App.Clipboard() }

func (mw *mainWindow) keyList() []vault.Record { return mw.records }

func (mw *mainWindow) keepRecord(rec vault.Record) {
	for i := range mw.records {
		if mw.records[i].ID == rec.ID {
			mw.records[i] = rec
		}
	}
}

func (mw *mainWindow) shows(screen any) bool {
	switch s := screen.(type) {
	case *settingsScreen:
		return s != nil && s == mw.settings
	case *keyDetail:
		return s != nil && s == mw.detail
	case *revokeRunbook:
		return s != nil && s == mw.revoke
	case *sweepScreen:
		return s != nil && s == mw.sweeper && mw.view == viewSweep
	}
	return false
}
