//go:build windows

package atomicfile

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// Rename is os.Rename, tried again for up to a second while another
// program (a virus scanner, a backup or search indexer) holds the file open
// without sharing delete access.
func Rename(from, to string) error {
	var err error
	for delay := 10 * time.Millisecond; delay < time.Second; delay *= 2 {
		err = os.Rename(from, to)
		if !busy(err) {
			return err
		}
		time.Sleep(delay)
	}
	return err
}

// busy reports whether err is what Windows answers while another process
// holds or replaces the file.
func busy(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) || errors.Is(err, windows.ERROR_ACCESS_DENIED)
}

// SyncDir does nothing: Windows cannot flush a folder, and MoveFileEx with
// MOVEFILE_REPLACE_EXISTING (os.Rename) is as durable as it gets there.
func SyncDir(string) error { return nil }
