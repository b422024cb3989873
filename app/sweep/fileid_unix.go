//go:build unix

package sweep

import (
	"os"
	"syscall"
)

// fileID tells folders apart across paths: device and inode.
type fileID struct {
	dev, ino uint64
}

// idOf returns a file's device and inode.
func idOf(fi os.FileInfo) (fileID, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, false
	}
	return fileID{dev: uint64(st.Dev), ino: uint64(st.Ino)}, true //nolint:unconvert // Dev is int32 on some systems
}

// openNoBlock opens a file for reading; a FIFO opened this way does not
// wait for a writer, so the sweep never hangs on one.
func openNoBlock(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
