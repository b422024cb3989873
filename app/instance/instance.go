// Package instance keeps one running copy of each part of Keywarden (the
// tray and the window). The first copy to Listen under a name owns it; a
// later copy gets ErrRunning, hands its request to the first with Send
// ("show", "open <recordID>") and exits.
//
// On Linux, macOS and the BSDs the owner holds an flock on
// keywarden-<name>.lock and listens on the Unix socket keywarden-<name>.sock,
// both in $XDG_RUNTIME_DIR, or else in the private folder keywarden/run in
// the user's cache folder (never in the shared temporary folder, where
// another user could take the name first). The lock, not the socket, decides who owns a name:
// two copies starting at once cannot both win, and a copy that crashed
// leaves nothing in the way, since its lock dies with it and its socket
// file is replaced. Only the same user can connect: the folder is the
// user's alone (0700), and on Linux, macOS and FreeBSD the server checks
// the peer's user ID too and hangs up on anyone else.
//
// On Windows the owner holds a LockFileEx lock on keywarden-<name>.lock and
// listens on a loopback TCP port, which it writes with a random token to
// keywarden-<name>.port, both in %LOCALAPPDATA%\keywarden\run; a sender
// shows the token first (see listen_windows.go). On other systems Listen
// and Send return ErrUnsupported; the app then runs without the
// single-copy guarantee.
//
// A message is one line of UTF-8 text of at most MaxMessage bytes without
// control characters; the server answers "ok" once the message is queued
// on Messages. This package never logs, and no error holds a message.
package instance

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"time"
	"unicode/utf8"
)

// MaxMessage is the longest message, in bytes, that Send sends and a
// running copy accepts.
const MaxMessage = 4096

// Errors of Listen and Send, matched with errors.Is.
var (
	// ErrRunning is returned by Listen when another live copy owns the name.
	ErrRunning = errors.New("instance: another copy is already running")
	// ErrNotRunning is returned by Send when no copy owns the name.
	ErrNotRunning = errors.New("instance: no copy is running")
	// ErrNotDelivered is returned by Send when the running copy hung up or
	// did not take the message in time.
	ErrNotDelivered = errors.New("instance: the running copy did not take the message")
	// ErrUnsupported is returned by Listen and Send on systems with neither
	// Unix sockets and flock nor Windows' file locks. It matches
	// errors.ErrUnsupported too.
	ErrUnsupported = fmt.Errorf("instance: one running copy is not enforced on %s: %w", runtime.GOOS, errors.ErrUnsupported)
)

const (
	// ioTimeout bounds each connection on both sides, so a stuck peer
	// cannot hold a copy up.
	ioTimeout = 5 * time.Second
	// queueSize is how many messages wait on Messages before a sender has
	// to wait, and queueWait how long it waits before it is told "busy".
	queueSize = 8
	queueWait = 2 * time.Second

	replyOK    = "ok"
	replyError = "error" // the line was too long or not text
	replyBusy  = "busy"  // nobody read Messages within ioTimeout
)

// Instance is the running copy that owns a name. Its methods are safe for
// concurrent use.
type Instance struct {
	ln      net.Listener
	release func() error // drops the ownership, after ln is closed
	peerUID int          // the user ID a peer must have

	msgs chan string
	done chan struct{}
	wg   sync.WaitGroup

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool

	closeOnce sync.Once
	closeErr  error
}

// Listen makes this process the running copy for name (e.g. "tray" or
// "window"). It returns ErrRunning if another live copy owns the name; a
// socket left behind by a copy that died is replaced. name is lower-case
// letters, digits and dashes, at most 32 of them.
func Listen(name string) (*Instance, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	return listen(name, os.Getuid())
}

func listen(name string, peerUID int) (*Instance, error) {
	ln, release, err := listenPlatform(name)
	if err != nil {
		return nil, err
	}
	in := &Instance{
		ln:      ln,
		release: release,
		peerUID: peerUID,
		msgs:    make(chan string, queueSize),
		done:    make(chan struct{}),
		conns:   map[net.Conn]struct{}{},
	}
	in.wg.Add(1)
	go in.serve()
	return in, nil
}

// Messages delivers the messages other copies Send, in the order they
// arrive. It is closed by Close.
func (in *Instance) Messages() <-chan string { return in.msgs }

// Close stops listening, removes the socket and gives up the name, so that
// the next copy to start owns it. Messages is closed once every connection
// has ended. Calling Close again returns the first call's result.
func (in *Instance) Close() error {
	in.closeOnce.Do(func() {
		close(in.done)
		err := in.ln.Close() // also removes the socket file
		in.mu.Lock()
		in.closed = true
		for c := range in.conns {
			c.Close()
		}
		in.mu.Unlock()
		in.wg.Wait()
		close(in.msgs)
		if rerr := in.release(); err == nil {
			err = rerr
		}
		if err != nil {
			in.closeErr = fmt.Errorf("instance: %w", err)
		}
	})
	return in.closeErr
}

func (in *Instance) serve() {
	defer in.wg.Done()
	var backoff time.Duration
	for {
		c, err := in.ln.Accept()
		if err != nil {
			select {
			case <-in.done:
				return
			default:
			}
			// Out of file descriptors or the like: wait and try again,
			// as net/http does.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			select {
			case <-in.done:
				return
			case <-time.After(backoff):
			}
			continue
		}
		backoff = 0
		if !in.track(c) {
			c.Close()
			return
		}
		in.wg.Add(1)
		go in.handle(c)
	}
}

// track records c so that Close can end it; it reports false once Close
// has begun.
func (in *Instance) track(c net.Conn) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return false
	}
	in.conns[c] = struct{}{}
	return true
}

func (in *Instance) handle(c net.Conn) {
	defer in.wg.Done()
	defer func() {
		in.mu.Lock()
		delete(in.conns, c)
		in.mu.Unlock()
		c.Close()
	}()
	if checkPeer(c, in.peerUID) != nil {
		return // another user, or unknown: hang up without a word
	}
	_ = c.SetDeadline(time.Now().Add(ioTimeout))
	line, err := readLine(c, MaxMessage)
	if err != nil {
		if errors.Is(err, errBadLine) {
			writeLine(c, replyError)
		}
		return
	}
	if checkMessage(line) != nil {
		writeLine(c, replyError)
		return
	}
	timer := time.NewTimer(queueWait)
	defer timer.Stop()
	select {
	case in.msgs <- line:
		writeLine(c, replyOK)
	case <-timer.C:
		writeLine(c, replyBusy)
	case <-in.done:
	}
}

// Send hands msg to the running copy that owns name and waits until it has
// taken it. It returns ErrNotRunning if no copy owns the name. A copy that
// has just taken the name may not listen yet, so Send tries for about
// 150 ms before it gives up.
func Send(name, msg string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := checkMessage(msg); err != nil {
		return err
	}
	c, err := dialPlatform(name)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := checkPeer(c, os.Getuid()); err != nil {
		return fmt.Errorf("instance: the running copy's socket: %w", err)
	}
	_ = c.SetDeadline(time.Now().Add(ioTimeout))
	if _, err := io.WriteString(c, msg+"\n"); err != nil {
		return fmt.Errorf("%w: %v", ErrNotDelivered, err)
	}
	reply, err := readLine(c, 64)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotDelivered, err)
	}
	if reply != replyOK {
		return fmt.Errorf("%w: it answered %q", ErrNotDelivered, reply)
	}
	return nil
}

// errBadLine is returned by readLine for a line that is too long.
var errBadLine = errors.New("line too long")

// readLine reads one line of at most limit bytes, without its newline.
func readLine(r io.Reader, limit int) (string, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, int64(limit)+1), min(limit+1, 4096))
	line, err := br.ReadString('\n')
	if err == nil {
		return line[:len(line)-1], nil
	}
	if err == io.EOF && len(line) > limit {
		return "", errBadLine
	}
	if err == io.EOF {
		return "", io.ErrUnexpectedEOF
	}
	return "", err
}

func writeLine(w io.Writer, s string) { _, _ = io.WriteString(w, s+"\n") }

// checkMessage accepts short one-line text.
func checkMessage(msg string) error {
	switch {
	case msg == "":
		return errors.New("instance: empty message")
	case len(msg) > MaxMessage:
		return fmt.Errorf("instance: message of %d bytes is longer than %d", len(msg), MaxMessage)
	case !utf8.ValidString(msg):
		return errors.New("instance: message is not UTF-8 text")
	}
	for _, r := range msg {
		if r < 0x20 || r == 0x7f {
			return errors.New("instance: message holds a control character")
		}
	}
	return nil
}

func checkName(name string) error {
	if name == "" || len(name) > 32 {
		return fmt.Errorf("instance: bad name %q", name)
	}
	for _, r := range name {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-') {
			return fmt.Errorf("instance: bad name %q", name)
		}
	}
	return nil
}
