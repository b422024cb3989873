//go:build !windows

package atomicfile

import (
	"os"
	"runtime"
)

// Rename is os.Rename (on Windows, tried again while the file is busy).
func Rename(from, to string) error { return os.Rename(from, to) }

// SyncDir flushes the folder itself, so that a rename in it survives a
// crash. Where folders cannot be flushed (systems other than Linux, macOS
// and the BSDs) its failure is not an error: the rename is then as durable
// as that system makes it.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	err = d.Sync()
	switch runtime.GOOS {
	case "linux", "darwin", "freebsd", "netbsd", "openbsd", "dragonfly":
		return err
	}
	return nil
}
