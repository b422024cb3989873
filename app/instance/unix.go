//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package instance

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// maxSocketPath is the longest socket path every one of these systems can
// bind (sun_path is 104 bytes on macOS and the BSDs, with a NUL).
const maxSocketPath = 103

func listenPlatform(name string) (net.Listener, func() error, error) {
	dir, err := runtimeDir(true)
	if err != nil {
		return nil, nil, err
	}
	sock, err := socketPath(dir, name)
	if err != nil {
		return nil, nil, err
	}
	lockPath := filepath.Join(dir, "keywarden-"+name+".lock")
	lock, err := takeLock(lockPath)
	if err != nil {
		return nil, nil, err
	}
	release := func() error {
		// Remove the path before unlocking: a copy that opened it
		// meanwhile sees, once it gets the lock, that the path no
		// longer names its file, and starts over (see takeLock).
		err := os.Remove(lockPath)
		if errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
		if cerr := lock.Close(); err == nil {
			err = cerr
		}
		return err
	}
	// Holding the lock, any socket file here is a dead copy's.
	if err := os.Remove(sock); err != nil && !errors.Is(err, fs.ErrNotExist) {
		release()
		return nil, nil, fmt.Errorf("instance: removing a stale socket: %w", err)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		release()
		return nil, nil, fmt.Errorf("instance: %w", err)
	}
	ln.SetUnlinkOnClose(true)
	return ln, release, nil
}

// takeLock opens and flocks path, or returns ErrRunning if another open
// file holds the lock. The file stays open (and locked) until released;
// Go opens it close-on-exec, so programs this one starts do not inherit it.
func takeLock(path string) (*os.File, error) {
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|unix.O_NOFOLLOW, 0o600)
		if err != nil {
			return nil, fmt.Errorf("instance: %w", err)
		}
		err = flock(f)
		if errors.Is(err, unix.EWOULDBLOCK) {
			f.Close()
			return nil, ErrRunning
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("instance: locking %s: %w", path, err)
		}
		// The previous owner removes the file before it unlocks; if that
		// happened between our open and our flock, we locked a file that
		// no longer has this name, and must try again.
		held, err1 := f.Stat()
		named, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, named) {
			return f, nil
		}
		f.Close()
		if err1 != nil {
			return nil, fmt.Errorf("instance: %w", err1)
		}
		if err2 != nil && !errors.Is(err2, fs.ErrNotExist) {
			return nil, fmt.Errorf("instance: %w", err2)
		}
	}
}

func flock(f *os.File) error {
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}

func dialPlatform(name string) (net.Conn, error) {
	dir, err := runtimeDir(false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotRunning
	}
	if err != nil {
		return nil, err
	}
	sock, err := socketPath(dir, name)
	if err != nil {
		return nil, err
	}
	for delay := 10 * time.Millisecond; ; delay *= 2 {
		c, err := net.DialTimeout("unix", sock, ioTimeout)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, unix.ENOENT) && !errors.Is(err, unix.ECONNREFUSED) {
			return nil, fmt.Errorf("instance: %w", err)
		}
		if delay > 80*time.Millisecond {
			return nil, ErrNotRunning
		}
		time.Sleep(delay)
	}
}

func socketPath(dir, name string) (string, error) {
	p := filepath.Join(dir, "keywarden-"+name+".sock")
	if len(p) > maxSocketPath {
		return "", fmt.Errorf("instance: the socket path %s is longer than %d bytes: set XDG_RUNTIME_DIR to a shorter folder of your own", p, maxSocketPath)
	}
	return p, nil
}

// runtimeDir returns $XDG_RUNTIME_DIR if it is an absolute path to a folder
// of this user's, else the folder keywarden/run in the user's own cache
// folder (os.UserCacheDir: ~/.cache on Linux, ~/Library/Caches on macOS),
// created 0700 when create is set. That folder must be a real folder (not
// a link) owned by this user; a wider mode is narrowed to 0700, since
// anyone who can enter it could reach the socket.
//
// The shared temporary folder is never the fallback: there, another user
// could make the folder first (keywarden-<uid> in /tmp) and so keep the
// tray part from ever starting. Only this user can create folders in
// their own home.
func runtimeDir(create bool) (string, error) {
	uid := os.Getuid()
	if d := os.Getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(d) {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() && owner(fi) == uid {
			return d, nil
		}
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("instance: no folder of your own to keep the running copy's socket in (%v): set XDG_RUNTIME_DIR to one", err)
	}
	d := filepath.Join(cache, "keywarden", "run")
	if create {
		if err := os.MkdirAll(filepath.Dir(d), 0o700); err != nil {
			return "", fmt.Errorf("instance: %w", err)
		}
		if err := os.Mkdir(d, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("instance: %w", err)
		}
	}
	fi, err := os.Lstat(d)
	if err != nil {
		return "", fmt.Errorf("instance: %w", err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("instance: %s is not a folder", d)
	}
	if owner(fi) != uid {
		return "", fmt.Errorf("instance: %s belongs to another user: set XDG_RUNTIME_DIR to a folder of your own", d)
	}
	if fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(d, 0o700); err != nil {
			return "", fmt.Errorf("instance: %w", err)
		}
	}
	return d, nil
}

func owner(fi fs.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}
