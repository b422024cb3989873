//go:build unix && !android && !ios

package autostart

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/keywarden/keywarden/app/internal/atomicfile"
)

// writeAtomic puts data in dir/name, mode 0644, through atomicfile (a
// temporary file and a rename), so a session manager never reads half an
// entry. A missing dir is created 0700, as the XDG Base Directory
// Specification asks.
func writeAtomic(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("autostart: %w", err)
	}
	path := filepath.Join(dir, name)
	if err := atomicfile.Write(path, data, 0o644); err != nil {
		return fmt.Errorf("autostart: writing %s: %w", path, err)
	}
	return nil
}
