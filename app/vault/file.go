package vault

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// LockFile takes an exclusive lock on the file at path, creating it (mode
// 0600) if it does not exist, and waits until it gets the lock. The lock
// belongs to the open file (flock, or LockFileEx on Windows), so two
// callers in one process exclude each other as two processes do. unlock
// releases the lock and closes the file; the file itself stays, so that
// every locker always locks the same file. On systems with neither flock
// nor LockFileEx nothing is locked.
//
// The error is an *fs.PathError from opening or locking the file, or a
// *NotRegularError when path is not a regular file.
func LockFile(path string) (unlock func(), err error) {
	if err := refuseIrregular(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|openNonblock, 0o600)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(f, path); err != nil {
		f.Close()
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, &fs.PathError{Op: "lock", Path: path, Err: err}
	}
	return func() {
		_ = unlockFile(f)
		f.Close()
	}, nil
}

// MaxFileSize is the most Keywarden reads of keys.json or reminders.json:
// 64 MiB, about 45 000 keys with full histories, far more than anyone has.
// A larger file is refused before it is read, so a huge or endless file
// cannot take the memory of every Keywarden that opens it.
const MaxFileSize = 64 << 20

// ErrTooLarge is matched by every *TooLargeError.
var ErrTooLarge = errors.New("the file is too large")

// TooLargeError says a file is over the size Keywarden reads.
type TooLargeError struct {
	Path string
	Max  int64
}

// Error names the file and the limit.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %d MiB", e.Path, e.Max>>20)
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// ReadFileLimit returns the content of the file at path, or a
// *TooLargeError when it holds more than limit bytes. It never reads more
// than limit+1 bytes: the size is checked before reading, and a file that
// grows meanwhile is cut off at the limit.
//
// It reads regular files only, and never waits to open one: a named pipe,
// a folder or a device in place of the file (directly or through a
// symbolic link) is refused at once with a *NotRegularError. Every state
// file Keywarden keeps is read through it or ReadFile.
func ReadFileLimit(path string, limit int64) ([]byte, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, &TooLargeError{Path: path, Max: limit}
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Path: path, Max: limit}
	}
	return b, nil
}

// ReadFile reads the whole file at path, opened as ReadFileLimit opens it:
// regular files only, without waiting, and on Windows so that a rename
// over it can still happen meanwhile.
func ReadFile(path string) ([]byte, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// ErrNotRegular is matched by every *NotRegularError.
var ErrNotRegular = errors.New("the file is not a regular file")

// NotRegularError says a file Keywarden keeps its state in is something
// else: a named pipe, a folder, a device or a socket. Such a file is never
// read: a pipe would block every command for ever, a device would feed it
// endless data.
type NotRegularError struct {
	Path string
	Mode fs.FileMode // what the path turned out to be
}

// Error names the file, what it is, and what to do.
func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is not a regular file (%s): move it away, then try again", e.Path, Kind(e.Mode))
}

// Is makes errors.Is(err, ErrNotRegular) true.
func (e *NotRegularError) Is(target error) bool { return target == ErrNotRegular }

// Kind names the kind of file mode describes, in plain words: "a named
// pipe", "a folder".
func Kind(mode fs.FileMode) string {
	switch {
	case mode.IsRegular():
		return "a regular file"
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case mode.IsDir():
		return "a folder"
	case mode&fs.ModeDevice != 0:
		return "a device"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a plain file"
}

// openRegular opens the file at path for reading (openShared), without
// waiting, and refuses anything but a regular file. The path is looked at
// first, so that a device is not even opened; the open file is checked
// again, since the path may change in between.
func openRegular(path string) (*os.File, error) {
	if err := refuseIrregular(path); err != nil {
		return nil, err
	}
	f, err := openShared(path)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(f, path); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// refuseIrregular returns a *NotRegularError when path exists and (after
// following symbolic links) is not a regular file. A missing path is left
// to the open that follows.
func refuseIrregular(path string) error {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return &NotRegularError{Path: path, Mode: st.Mode()}
	}
	return nil
}

// checkRegular returns a *NotRegularError when the open file f is not a
// regular file.
func checkRegular(f *os.File, path string) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return &NotRegularError{Path: path, Mode: st.Mode()}
	}
	return nil
}
