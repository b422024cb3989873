//go:build unix && !android && !ios

package autostart

import (
	"fmt"
	"os"
	"path/filepath"
)

// writeAtomic puts data in dir/name, mode 0644, through a temporary file
// and a rename, so a session manager never reads half an entry. A missing
// dir is created 0700, as the XDG Base Directory Specification asks.
func writeAtomic(dir, name string, data []byte) (err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("autostart: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return fmt.Errorf("autostart: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("autostart: writing %s: %w", filepath.Join(dir, name), err)
		}
	}()
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), filepath.Join(dir, name))
}
