package autostart

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// ErrRealEntryInTest is returned when a test program reaches for the real
// user's login entry (the autostart folder, the LaunchAgents folder or the
// Run registry key as they were when the program started). Tests move the
// folder to a temporary one (XDG_CONFIG_HOME, HOME) and, on Windows, do
// not write the registry at all.
var ErrRealEntryInTest = errors.New("autostart: a test reached for the real user's login entry; give it a temporary folder")

// guardTestDir returns ErrRealEntryInTest if this is a test program and
// dir is real, the folder found at program start. Programs that are not
// tests are never stopped.
func guardTestDir(dir, real string) error {
	if !testing.Testing() || real == "" {
		return nil
	}
	if strings.EqualFold(filepath.Clean(dir), filepath.Clean(real)) {
		return fmt.Errorf("%w: %s", ErrRealEntryInTest, dir)
	}
	return nil
}
