//go:build unix

package autostart

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

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
