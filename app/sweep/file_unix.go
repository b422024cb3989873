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

// readRaw reads a whole regular file into buf (grown as needed) with four
// system calls: open, fstat, read, close. It opens without blocking, so a
// FIFO that took a file's place since the folder was listed never hangs
// the sweep, and skips os.File's poller registration, which costs a fifth
// call per file.
func readRaw(path string, buf []byte, max int64) ([]byte, fileKind, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC|syscall.O_NOCTTY, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return buf, 0, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return buf, 0, &os.PathError{Op: "fstat", Path: path, Err: err}
	}
	switch {
	case st.Mode&syscall.S_IFMT != syscall.S_IFREG:
		return buf, kindSpecial, nil
	case st.Size > max:
		return buf, kindTooBig, nil
	}
	size := int(st.Size)
	if cap(buf) < size {
		buf = make([]byte, size+size/4)
	}
	buf = buf[:size]
	n := 0
	for n < size {
		k, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return buf[:0], 0, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if k == 0 {
			break // it shrank meanwhile
		}
		n += k
	}
	return buf[:n], kindRegular, nil
}

// openRegular opens a regular file for a streamed read, without blocking
// on a FIFO that took its place since the folder was listed.
func openRegular(path string) (*os.File, fileKind, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC|syscall.O_NOCTTY, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, 0, &os.PathError{Op: "open", Path: path, Err: err}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, 0, &os.PathError{Op: "fstat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		return nil, kindSpecial, nil
	}
	return os.NewFile(uintptr(fd), path), kindRegular, nil
}
