package tray

import (
	"errors"
	"fmt"
	"os"
	"os/exec"

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
	// WindowOpen, followed by a space and a record ID, shows that key.
	WindowOpen = "open"
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
	msg, args := WindowShow, []string(nil)
	if recordID != "" {
		msg, args = WindowOpen+" "+recordID, []string{WindowOpen, recordID}
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
