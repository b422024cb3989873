package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/keywarden/keywarden/app/autostart"
	"github.com/keywarden/keywarden/app/instance"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/tray"
)

// How the window fits with the tray part (app/tray), another process of
// the same program: the window owns the instance name "window", so a later
// start hands its request ("show", "open <recordID>") to this one and
// exits; it starts the tray part when none runs (unless KEYWARDEN_NO_TRAY
// is 1); it tells the tray "changed" when the key list or the settings
// change; and it exits when its window closes, leaving the tray running.

// parseOpen reads `keywarden open RECORD-ID`, `keywarden open activity`
// and `keywarden open not-me REFID`, the tray's ways to open the window on
// one key, on the account's questions, or on "Not me" for one ledger
// entry. target is what follows "open", as the window's message carries it
// (openTarget); ok is false for other arguments.
func parseOpen(args []string) (target string, ok bool, err error) {
	if len(args) == 0 || args[0] != tray.WindowOpen {
		return "", false, nil
	}
	target = strings.Join(args[1:], " ")
	if len(args) < 2 || !validTarget(target) {
		return "", true, errors.New("usage: keywarden open RECORD-ID, open activity or open not-me REFID (the tray uses them to show a key or the account's questions)")
	}
	return target, true, nil
}

// validTarget reports whether target is what may follow "open": a record
// ID, tray.WindowActivity, or tray.WindowNotMe and a refid.
func validTarget(target string) bool {
	switch verb, ref, two := strings.Cut(target, " "); verb {
	case tray.WindowActivity:
		return !two
	case tray.WindowNotMe:
		return two && tray.ValidRefID(ref)
	}
	return validRecordID(target)
}

// openTarget shows what a valid target asks for: a key's review, the
// Activity screen, or "Not me" on a ledger entry.
func (mw *mainWindow) openTarget(target string) {
	switch verb, ref, _ := strings.Cut(target, " "); verb {
	case tray.WindowActivity:
		mw.showActivity()
	case tray.WindowNotMe:
		mw.notMe(ref)
	default:
		mw.openKey(target)
	}
}

// validRecordID accepts what vault.NewID makes, and a little more.
func validRecordID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// claimWindow makes this process the one window, or hands the request
// (show, or open the target openID: see parseOpen) to the window that runs already. code is
// -1 when this process should go on to show the window (win is nil where
// one running copy is not enforced), else the exit code.
func claimWindow(openID string, stderr io.Writer) (win *instance.Instance, code int) {
	msg := tray.WindowShow
	if openID != "" {
		msg = tray.WindowOpen + " " + openID
	}
	for attempt := 0; ; attempt++ {
		win, err := instance.Listen(tray.InstanceWindow)
		switch {
		case err == nil:
			return win, -1
		case errors.Is(err, instance.ErrUnsupported):
			return nil, -1
		case !errors.Is(err, instance.ErrRunning):
			fmt.Fprintln(stderr, "keywarden:", err)
			return nil, 1
		}
		err = instance.Send(tray.InstanceWindow, msg)
		switch {
		case err == nil:
			return nil, 0
		case errors.Is(err, instance.ErrNotRunning) && attempt < 3:
			time.Sleep(100 * time.Millisecond) // the other window is closing: take over
		default:
			fmt.Fprintf(stderr, "keywarden: Keywarden's window is open already but did not answer (%v); close it and start again\n", err)
			return nil, 1
		}
	}
}

// closeInstance gives up the instance name, if this process owns it.
func closeInstance(in *instance.Instance) {
	if in != nil {
		_ = in.Close()
	}
}

// runWindow shows the main window over env and runs the app until the
// window closes. win, when not nil, brings the requests of later starts;
// openID, when not empty, is what to show first (a target: see parseOpen).
func runWindow(env Env, win *instance.Instance, openID string) {
	exe, err := os.Executable()
	if err != nil {
		fyne.LogError("cannot find this program's own path: no start at login, no tray", err)
	} else {
		env.StartAtLogin = func(on bool) error { return setStartAtLogin(exe, on) }
		if on, err := autostart.Enabled(); err == nil {
			// The entry may have been removed or added outside Keywarden.
			_ = env.Keys.UpdateSettings(func(s *keys.Settings) error { s.StartAtLogin = on; return nil })
		}
		go func() {
			if _, err := tray.EnsureRunning(exe); err != nil {
				fyne.LogError("the tray part did not start; reminders wait until it does", err)
			}
		}()
	}
	env.TellTray = func() { go tellTray() }

	mw := newMainWindow(env)
	if win != nil {
		go func() {
			for msg := range win.Messages() {
				fyne.Do(func() { mw.onMessage(msg) })
			}
		}()
	}
	if st, ok := mw.takeWindowState(); ok && openID == "" {
		mw.restoreScreen(st)
	}
	if openID != "" {
		mw.openTarget(openID)
	}
	mw.idle.start()
	freeStartMemory()
	mw.win.ShowAndRun()
}

// onMessage acts on a request from a later start or from the tray part.
func (mw *mainWindow) onMessage(msg string) {
	switch verb, arg, _ := strings.Cut(msg, " "); verb {
	case tray.WindowShow:
		mw.raise()
	case tray.WindowOpen:
		mw.raise()
		if validTarget(arg) {
			mw.openTarget(arg)
		}
	case tray.WindowChanged:
		mw.reload()
	}
}

// raise brings the window to the front.
func (mw *mainWindow) raise() {
	mw.win.Show()
	mw.win.RequestFocus()
}

// openKey reads the key list again and shows the review of the key with
// the given ID (its detail, for a revoked or leaked key, which has no
// review), or the list if there is no such key. The tray opens a key this
// way from its menu and its reminders.
func (mw *mainWindow) openKey(id string) {
	mw.background("Reading your key list", func() func() {
		snap := mw.readList()
		return func() {
			mw.setData(snap)
			switch rec, ok := mw.record(id); {
			case !ok:
			case rec.Retired():
				mw.showDetail(id)
			default:
				mw.showReview(id)
			}
		}
	})
}

// setStartAtLogin makes the system start the tray part at login, or not.
func setStartAtLogin(exe string, on bool) error {
	if on {
		return autostart.Enable(exe, []string{"tray"})
	}
	return autostart.Disable()
}

// tellTray tells the tray part "changed", if it runs: look at the key list,
// the reminders and the settings again. It blocks briefly on the socket.
func tellTray() { _ = instance.Send(tray.InstanceTray, tray.MsgChanged) }
