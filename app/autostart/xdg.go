//go:build unix && !darwin && !android

package autostart

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// desktopFileName is the name of the XDG autostart entry.
const desktopFileName = ID + ".desktop"

// Linux and the BSDs: an entry in $XDG_CONFIG_HOME/autostart, as the XDG
// Autostart Specification describes. An entry of the same name in a system
// folder ($XDG_CONFIG_DIRS/autostart, e.g. from a distribution package) is
// overridden by the user's one, so Disable then writes an entry with
// Hidden=true instead of removing it.

func enable(exe string, args []string) error {
	dir, err := userAutostartDir()
	if err != nil {
		return err
	}
	return writeAtomic(dir, desktopFileName, renderDesktop(exe, args))
}

func disable() error {
	dir, err := userAutostartDir()
	if err != nil {
		return err
	}
	if systemEntry() != "" {
		return writeAtomic(dir, desktopFileName, []byte("[Desktop Entry]\nType=Application\nName=Keywarden\nHidden=true\n"))
	}
	err = os.Remove(filepath.Join(dir, desktopFileName))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("autostart: %w", err)
	}
	return nil
}

func enabled() (bool, error) {
	dir, err := userAutostartDir()
	if err != nil {
		return false, err
	}
	data, err := readEntry(filepath.Join(dir, desktopFileName))
	if errors.Is(err, fs.ErrNotExist) {
		if p := systemEntry(); p != "" {
			data, err = readEntry(p)
		}
	}
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("autostart: %w", err)
	}
	return desktopEntryActive(data), nil
}

// maxEntrySize caps what is read of an autostart entry: a real one is a
// few hundred bytes.
const maxEntrySize = 64 << 10

// readEntry reads the desktop entry at path without waiting, and only if
// it is a regular file: a named pipe in its place would otherwise hang
// every start of the window and the tray part, and a device would feed
// them endless data. (vault.ReadFileLimit does the same for the state
// files; this package stays free of vault.)
func readEntry(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file: move it away, then try again", path)
	}
	return io.ReadAll(io.LimitReader(f, maxEntrySize))
}

// desktopEntryActive reports whether a session manager would start the
// entry: not Hidden, and not switched off in GNOME's startup settings.
func desktopEntryActive(data []byte) bool {
	inEntry := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			inEntry = line == "[Desktop Entry]"
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !inEntry || !ok {
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if key == "Hidden" && value == "true" || key == "X-GNOME-Autostart-enabled" && value == "false" {
			return false
		}
	}
	return true
}

// userAutostartDir is $XDG_CONFIG_HOME/autostart, or ~/.config/autostart
// when that is unset or not absolute (as the XDG Base Directory
// Specification says to treat it).
// In a test program it refuses the folder the program started with
// (guardTestDir).
func userAutostartDir() (string, error) {
	dir, err := findAutostartDir()
	if err == nil {
		err = guardTestDir(dir, realAutostartDir)
	}
	return dir, err
}

// realAutostartDir is userAutostartDir as the program started.
var realAutostartDir, _ = findAutostartDir()

func findAutostartDir() (string, error) {
	base := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(base) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("autostart: %w", err)
		}
		base = filepath.Join(home, ".config")
	}
	return filepath.Join(base, "autostart"), nil
}

// systemEntry returns the path of Keywarden's entry in a system autostart
// folder, or "" if there is none.
func systemEntry() string {
	dirs := os.Getenv("XDG_CONFIG_DIRS")
	if dirs == "" {
		dirs = "/etc/xdg"
	}
	for _, d := range filepath.SplitList(dirs) {
		if !filepath.IsAbs(d) {
			continue
		}
		p := filepath.Join(d, "autostart", desktopFileName)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}
