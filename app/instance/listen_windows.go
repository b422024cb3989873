package instance

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/windows"

	"github.com/keywarden/keywarden/app/internal/atomicfile"
	"github.com/keywarden/keywarden/app/vault"
)

// Windows: Wine 8.0 refuses Unix sockets, and Go's standard library has no
// named pipes. So the owner of a name holds a LockFileEx lock on
// keywarden-<name>.lock, listens on a loopback TCP port (127.0.0.1 only),
// and writes the port and a fresh random token to keywarden-<name>.port.
// Both files are in %LOCALAPPDATA%\keywarden\run, which only the user may
// read (or in $XDG_RUNTIME_DIR when it is set, as tests do). A sender
// reads the file, connects, and sends the token as its first line; the
// owner hangs up on a wrong token without a word (checkPeer), compared in
// constant time. The lock, not the port file, decides who owns a name: it
// dies with the process, and the next owner replaces the port file.

// tokenBytes is the size of the random token; it is sent as hex.
const tokenBytes = 32

func listenPlatform(name string) (net.Listener, func() error, error) {
	dir, err := runDir(true)
	if err != nil {
		return nil, nil, err
	}
	lock, err := takeLock(filepath.Join(dir, "keywarden-"+name+".lock"))
	if err != nil {
		return nil, nil, err
	}
	portFile := filepath.Join(dir, "keywarden-"+name+".port")
	release := func() error {
		err := os.Remove(portFile)
		if errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
		// The lock file stays: removing it could let two copies lock two
		// different files of the same name.
		if cerr := lock.Close(); err == nil {
			err = cerr
		}
		return err
	}
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		release()
		return nil, nil, fmt.Errorf("instance: %w", err)
	}
	token := hex.EncodeToString(raw)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		release()
		return nil, nil, fmt.Errorf("instance: %w", err)
	}
	// Atomic, so a sender never reads half a port file; vault's file
	// helpers wait out a sender that has the old one open. The lock is
	// held, so temporary files left are a killed copy's.
	atomicfile.RemoveStaleTemps(portFile)
	if err := atomicfile.Write(portFile, []byte(ln.Addr().String()+" "+token+"\n"), 0o600); err != nil {
		ln.Close()
		release()
		return nil, nil, fmt.Errorf("instance: %w", err)
	}
	return &tokenListener{Listener: ln, token: token}, release, nil
}

// takeLock opens path and locks it with LockFileEx, or returns ErrRunning
// if another open file holds the lock. The file stays open (and locked)
// until it is closed; Go opens it non-inheritable, so programs this one
// starts do not hold it.
func takeLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("instance: %w", err)
	}
	var ol windows.Overlapped
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		f.Close()
		return nil, ErrRunning
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("instance: locking %s: %w", path, err)
	}
	return f, nil // closing the file releases the lock
}

func dialPlatform(name string) (net.Conn, error) {
	dir, err := runDir(false)
	if err != nil {
		return nil, err
	}
	portFile := filepath.Join(dir, "keywarden-"+name+".port")
	for delay := 10 * time.Millisecond; ; delay *= 2 {
		c, err := dialPortFile(portFile)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, windows.WSAECONNREFUSED) {
			return nil, fmt.Errorf("instance: %w", err)
		}
		if delay > 80*time.Millisecond {
			return nil, ErrNotRunning
		}
		time.Sleep(delay)
	}
}

// dialPortFile connects to the address in the port file and sends the
// token in it as the first line.
func dialPortFile(path string) (net.Conn, error) {
	b, err := vault.ReadFileLimit(path, 4<<10) // shared, and waiting out a copy that replaces it
	if err != nil {
		return nil, err
	}
	addr, token, ok := strings.Cut(strings.TrimSpace(string(b)), " ")
	if !ok || len(token) != 2*tokenBytes {
		return nil, fmt.Errorf("%s is not a port file", path)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		return nil, fmt.Errorf("%s does not name a loopback address", path)
	}
	c, err := net.DialTimeout("tcp4", addr, ioTimeout)
	if err != nil {
		return nil, err
	}
	_ = c.SetWriteDeadline(time.Now().Add(ioTimeout))
	if _, err := io.WriteString(c, token+"\n"); err != nil {
		c.Close()
		return nil, fmt.Errorf("%w: %v", ErrNotDelivered, err)
	}
	_ = c.SetWriteDeadline(time.Time{})
	return c, nil
}

// tokenListener marks the connections it accepts with the token a sender
// must show first.
type tokenListener struct {
	net.Listener
	token string
}

func (l *tokenListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &tokenConn{Conn: c, token: l.token}, nil
}

// tokenConn is a connection accepted by the owner, still to show its
// token.
type tokenConn struct {
	net.Conn
	token string
}

// checkPeer reads the token line from a connection the owner accepted and
// returns an error unless it is the owner's token. On the sender's side
// (any other connection) there is nothing to check.
func checkPeer(c net.Conn, _ int) error {
	tc, ok := c.(*tokenConn)
	if !ok {
		return nil
	}
	_ = c.SetReadDeadline(time.Now().Add(ioTimeout))
	got := make([]byte, 2*tokenBytes+1)
	if _, err := io.ReadFull(c, got); err != nil {
		return err
	}
	want := []byte(tc.token + "\n")
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return errors.New("wrong token")
	}
	return nil
}

// runDir returns $XDG_RUNTIME_DIR when it is an absolute path to a folder
// (tests set it), else %LOCALAPPDATA%\keywarden\run, created when create
// is set. A missing folder means no copy runs.
func runDir(create bool) (string, error) {
	if d := os.Getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(d) {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d, nil
		}
	}
	base, err := os.UserCacheDir() // %LOCALAPPDATA%
	if err != nil {
		return "", fmt.Errorf("instance: %w", err)
	}
	d := filepath.Join(base, "keywarden", "run")
	if !create {
		if _, err := os.Stat(d); errors.Is(err, fs.ErrNotExist) {
			return "", ErrNotRunning
		}
		return d, nil
	}
	if err := os.MkdirAll(d, 0o700); err != nil {
		return "", fmt.Errorf("instance: %w", err)
	}
	return d, nil
}
