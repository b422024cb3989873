package vault

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ErrRealDataInTest is returned by DefaultDir and Open when a test program
// reaches for the folder that holds the real user's key list. Tests keep to
// temporary folders (t.TempDir, KEYWARDEN_DIR) on every OS: Windows, for
// one, ignores the XDG_* variables a test may have set to move it.
var ErrRealDataInTest = errors.New("vault: a test reached for the real user's key folder; give it a temporary one (t.TempDir or KEYWARDEN_DIR)")

// realDefaultDir is DefaultDir as it was when the program started, before
// any test changed the environment ("" if it could not be found).
var realDefaultDir = func() string {
	base, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(base, "keywarden")
}()

// guardTestDir returns ErrRealDataInTest if this is a test program and dir
// is the real user's key folder or lies inside it. Programs that are not
// tests are never stopped.
func guardTestDir(dir string) error {
	if !testing.Testing() || realDefaultDir == "" {
		return nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil // Open reports it
	}
	if within(abs, realDefaultDir) {
		return fmt.Errorf("%w: %s", ErrRealDataInTest, abs)
	}
	return nil
}

// within reports whether path is dir or lies inside it, ignoring case
// (Windows and macOS folders usually do).
func within(path, dir string) bool {
	rel, err := filepath.Rel(strings.ToLower(filepath.Clean(dir)), strings.ToLower(filepath.Clean(path)))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
