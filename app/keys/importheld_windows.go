package keys

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// writersOf does not name processes on Windows: openRewrite refuses
// instead while any has the file open for writing.
func writersOf(fs.FileInfo) []Holder { return nil }

// openRewrite opens the file to rewrite it in place, sharing only reading:
// Windows refuses the open (a sharing violation, returned as errHeld) while
// another process has the file open for writing, and keeps others from
// opening it for writing until it is closed.
func openRewrite(path string) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE, windows.FILE_SHARE_READ,
		nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		if errors.Is(err, windows.ERROR_SHARING_VIOLATION) {
			err = errHeld
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(h), path), nil
}
