package tray

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/keywarden/keywarden/app/internal/atomicfile"
	"github.com/keywarden/keywarden/assets"
)

// IconName is the file of the app icon the notifications show (Windows'
// toasts, and the freedesktop notifications), beside the key list. A
// notification server looks an icon name up only among the installed
// icons, which `make install` puts in place and a program run from its
// build folder has not: dunst then shows none ("No icon found in path").
// A file that exists always works.
const IconName = "keywarden-icon.png"

// IconFile writes the app icon into dir (the key list's folder) unless it
// is there already, and returns its path.
func IconFile(dir string) (string, error) {
	path := filepath.Join(dir, IconName)
	png := assets.Icon.Content()
	// Read only a regular file of the right size: a pipe or a device put
	// there would block the read, or never end it. Anything else is
	// replaced.
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == int64(len(png)) {
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, png) {
			return path, nil
		}
	}
	if err := atomicfile.Write(path, png, 0o600); err != nil {
		return "", fmt.Errorf("write the notification icon: %w", err)
	}
	return path, nil
}
