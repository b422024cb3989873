//go:build !unix

package sweep

import (
	"io"
	"os"
)

// fileID is empty where the system has no inode numbers; symbolic links
// are not followed anyway, so only a mount loop could bring a folder twice.
type fileID struct {
	dev uint64
}

func idOf(os.FileInfo) (fileID, bool) { return fileID{}, false }

// readRaw reads a whole regular file into buf (grown as needed).
func readRaw(path string, buf []byte, max int64) ([]byte, fileKind, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return buf, 0, err
	}
	switch {
	case !fi.Mode().IsRegular():
		return buf, kindSpecial, nil
	case fi.Size() > max:
		return buf, kindTooBig, nil
	}
	size := int(fi.Size())
	if cap(buf) < size {
		buf = make([]byte, size+size/4)
	}
	n, err := io.ReadFull(f, buf[:size])
	if err != nil && err != io.ErrUnexpectedEOF {
		return buf[:0], 0, err
	}
	return buf[:n], kindRegular, nil
}

// openRegular opens a regular file for a streamed read.
func openRegular(path string) (*os.File, fileKind, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, kindSpecial, nil
	}
	return f, kindRegular, nil
}
