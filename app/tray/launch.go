package tray

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/keywarden/keywarden/app/autostart"
	"github.com/keywarden/keywarden/app/instance"
)

// AppID is the app's ID, as in FyneApp.toml: the window keeps its settings
// under it, and the notifications name its desktop entry.
const AppID = autostart.ID

// The names the two parts own through app/instance.
const (
	InstanceTray   = instance.Tray
	InstanceWindow = instance.Window
)

// Messages the window takes through app/instance (name "window").
const (
	// WindowShow brings the window up.
	WindowShow = "show"
	// WindowOpen, followed by a space and a record ID, shows that key;
	// followed by WindowActivity, the Activity screen; followed by
	// WindowNotMe, a space and a ledger refid, answers "Not me" for that
	// entry and shows what to do (the leak runbook of a key that could
	// have done it, or the website-login steps).
	WindowOpen = "open"
	// WindowActivity, after WindowOpen, shows the account watch's open
	// questions.
	WindowActivity = "activity"
	// WindowNotMe, after WindowOpen, is "Not me" on an entry.
	WindowNotMe = "not-me"
	// WindowChanged says the tray saved the key list: read it again.
	WindowChanged = "changed"
)

// EnvNoTray, set to 1, keeps the window from starting the tray part: for
// tests and benchmarks that measure or stop the window alone.
const EnvNoTray = "KEYWARDEN_NO_TRAY"

// EnsureRunning starts the tray part (exe with the argument "tray") in the
// background, detached from this process, unless one runs already. It
// does nothing where one running copy cannot be told apart
// (instance.ErrUnsupported: neither Unix, macOS nor Windows), or when
// EnvNoTray is 1. It reports whether it started one.
func EnsureRunning(exe string) (bool, error) {
	if os.Getenv(EnvNoTray) == "1" {
		return false, nil
	}
	err := instance.Send(InstanceTray, MsgPing)
	switch {
	case err == nil, errors.Is(err, instance.ErrUnsupported):
		return false, nil
	case !errors.Is(err, instance.ErrNotRunning):
		return false, fmt.Errorf("ask the tray part whether it runs: %w", err)
	}
	if err := spawn(exe, "tray"); err != nil {
		return false, fmt.Errorf("start the tray part: %w", err)
	}
	return true, nil
}

// ShowWindow shows the window, on the key with the given record ID or as
// it is for "": it hands the request to the running window, or starts exe
// ("exe" or "exe open <recordID>") when none runs.
func ShowWindow(exe, recordID string) error {
	if recordID == "" {
		return showWindow(exe, nil)
	}
	return showWindow(exe, []string{recordID})
}

// ShowActivity shows the window on the Activity screen, or, for a refid,
// answers "Not me" there for that ledger entry (WindowNotMe): the window
// records the answer and opens what to do, so an answer is saved only
// where the person sees what follows from it.
func ShowActivity(exe, notMeRefID string) error {
	if notMeRefID == "" {
		return showWindow(exe, []string{WindowActivity})
	}
	return showWindow(exe, []string{WindowNotMe, notMeRefID})
}

// showWindow hands "open" and what follows it to the running window, or
// starts exe with the same arguments when none runs; nothing after it
// shows the window as it is.
func showWindow(exe string, open []string) error {
	msg, args := WindowShow, []string(nil)
	if len(open) > 0 {
		args = append([]string{WindowOpen}, open...)
		msg = strings.Join(args, " ")
	}
	err := instance.Send(InstanceWindow, msg)
	if err == nil {
		return nil
	}
	if !errors.Is(err, instance.ErrNotRunning) && !errors.Is(err, instance.ErrUnsupported) {
		return err
	}
	return spawn(exe, args...)
}

// TellWindow tells a running window that the tray saved the key list. A
// window that is not running needs no telling.
func TellWindow() {
	_ = instance.Send(InstanceWindow, WindowChanged)
}

// spawn starts exe with args in a session of its own, with nothing on its
// standard streams but this process's terminal (when it has one), so it
// outlives this process and holds no pipe of its caller open. It is reaped
// if it ends first.
func spawn(exe string, args ...string) error {
	cmd := exec.Command(exe, args...)
	if isTerminal(os.Stderr) {
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	}
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// isTerminal reports whether f is a character device, such as a terminal.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
