// Package autostart starts Keywarden when the user logs in: an XDG autostart
// entry on Linux and the BSDs, a LaunchAgent on macOS, and the Run registry
// key on Windows. Each holds an absolute program path and its arguments, so
// the caller passes os.Executable() and the part to start (e.g. "tray").
package autostart

import (
	"errors"
	"fmt"
	"path/filepath"
	"unicode/utf8"
)

// ID names the autostart entry on every system; it is also the app ID and
// the icon name.
const ID = "io.github.keywarden.Keywarden"

// ErrUnsupported is returned on systems where Keywarden does not know how to
// start at login.
var ErrUnsupported = fmt.Errorf("autostart: starting at login is not supported here: %w", errors.ErrUnsupported)

// Enable makes the system start exe with args when the user logs in,
// replacing any entry Keywarden wrote before (so it also moves the entry to
// a new program path). exe must be an absolute path; neither it nor args may
// hold control characters or invalid UTF-8.
func Enable(exe string, args []string) error {
	if err := checkCommand(exe, args); err != nil {
		return err
	}
	return enable(exe, args)
}

// Disable stops the system from starting Keywarden at login. It is not an
// error if it was not enabled.
func Disable() error { return disable() }

// Enabled reports whether the system will start Keywarden at login. An entry
// the user switched off in the desktop's own settings counts as disabled.
func Enabled() (bool, error) { return enabled() }

// checkCommand rejects what no entry format can carry faithfully, and a
// relative path, which would depend on the folder the session starts in.
func checkCommand(exe string, args []string) error {
	if exe == "" || !filepath.IsAbs(exe) {
		return fmt.Errorf("autostart: the program path %q is not absolute", exe)
	}
	for _, s := range append([]string{exe}, args...) {
		if !utf8.ValidString(s) {
			return fmt.Errorf("autostart: %q is not valid UTF-8", s)
		}
		for _, r := range s {
			if r < 0x20 || r == 0x7f {
				return fmt.Errorf("autostart: %q holds a control character", s)
			}
		}
	}
	return nil
}
