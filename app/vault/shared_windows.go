package vault

import (
	"errors"
	"io/fs"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// openShared opens the file at path for reading, sharing delete access
// too: Windows refuses to rename over (or
// delete) a file, or any hard link of it, that is open without that share,
// so a reader holding keys.json would make the next save fail. While
// another process renames a new version over the file, Windows (and Wine)
// may refuse the open for a moment (a sharing violation, or access denied
// to a file about to go): it is tried again for up to a second, as
// atomicfile.Rename is.
func openShared(path string) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var h windows.Handle
	for delay := 10 * time.Millisecond; ; delay *= 2 {
		h, err = windows.CreateFile(p, windows.GENERIC_READ,
			windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
			nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL, 0)
		if !replacing(err) || delay >= time.Second {
			break
		}
		time.Sleep(delay)
	}
	if err != nil {
		if errors.Is(err, windows.ERROR_FILE_NOT_FOUND) || errors.Is(err, windows.ERROR_PATH_NOT_FOUND) {
			err = fs.ErrNotExist
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(h), path), nil
}

// replacing reports whether err is what Windows answers while another
// process holds or replaces the file.
func replacing(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) || errors.Is(err, windows.ERROR_ACCESS_DENIED)
}
