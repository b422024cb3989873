// Package ui is Keywarden's window: the keys list, a key's detail, review,
// rotation and revocation, and the settings. Blocking work (keyring, network,
// the key list file) runs off the UI goroutine and comes back through fyne.Do.
package ui

import (
	"os"
	"os/exec"
	"time"

	"fyne.io/fyne/v2"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/kraken"
)

// Title is the main window's title.
const Title = "Keywarden"

// DemoTitle is the main window's title in demo mode.
const DemoTitle = "Keywarden — demo"

// Env is everything the window works with. App and Keys are required; the
// rest have defaults.
type Env struct {
	App fyne.App
	// Keys owns the workflows on keys, and is the window's only way to the
	// key list, the keyring and the exchange (keys.Open builds it).
	Keys *keys.Service
	// Guard is app 2FA (the service's, Keys.AppGuard, in the real window);
	// nil leaves sensitive actions unprotected and the setting off.
	Guard *guard.Guard
	// Now is the window's clock (the idle close); nil means time.Now. The
	// service keeps its own.
	Now func() time.Time
	// Demo marks the demo mode: the title says so and the empty state does
	// not offer to start another demo.
	Demo bool
	// Website, in demo mode, stands in for Kraken's API page: the wizard
	// makes its key there and the revoke runbook deletes one; nil elsewhere.
	Website DemoWebsite
	// StartAtLogin turns starting at login on or off; nil disables the
	// setting until the tray provides it.
	StartAtLogin func(on bool) error
	// StartDemo starts the demo in a new process; nil means running this
	// program again as "keywarden demo".
	StartDemo func() error
	// Loaded is called on the UI goroutine each time the key list has been
	// read, after the window's own changes too; nil does nothing. The
	// window uses it to tell the tray part that the list changed.
	Loaded func()
	// Do runs UI work posted from a goroutine (a background job's result);
	// nil means fyne.Do. Tests pass a queue they drain on their own
	// goroutine, as the UI goroutine would, since the test driver's fyne.Do
	// runs the work at once on the posting goroutine.
	Do func(func())
	// TellTray tells the tray part that the reminders file changed (a
	// snooze, a background-check choice); nil does nothing.
	TellTray func()
}

// DemoWebsite is the demo's simulated website (demo.Website).
type DemoWebsite interface {
	MakeKey(name string, perms []kraken.Permission, ips []string, expires time.Time, nonceWindow int) (apiKey, privateKey string)
	DeleteKey(recordID string) error
}

// NewMainWindow builds the main window over env and starts loading the key
// list. Show it with ShowAndRun.
func NewMainWindow(env Env) fyne.Window {
	return newMainWindow(env).win
}

// Run shows the main window over env and runs the app until it quits.
func Run(env Env) {
	NewMainWindow(env).ShowAndRun()
}

// startDemo runs this program again as "keywarden demo", leaving it to run
// on its own.
func startDemo() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, "demo")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }() // reap it when it ends
	return nil
}

// do runs f on the UI goroutine: Do, or fyne.Do.
func (e Env) do(f func()) {
	if e.Do != nil {
		e.Do(f)
		return
	}
	fyne.Do(f)
}

func (e Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e Env) title() string {
	if e.Demo {
		return DemoTitle
	}
	return Title
}
