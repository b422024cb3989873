//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package instance

import (
	"bufio"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// setup points $XDG_RUNTIME_DIR at a fresh folder and returns it.
func setup(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", dir)
	return dir
}

func mustListen(t *testing.T, name string) *Instance {
	t.Helper()
	in, err := Listen(name)
	if err != nil {
		t.Fatalf("Listen(%q): %v", name, err)
	}
	t.Cleanup(func() { in.Close() })
	return in
}

// receive waits for the next message.
func receive(t *testing.T, in *Instance) string {
	t.Helper()
	select {
	case msg, ok := <-in.Messages():
		if !ok {
			t.Fatal("Messages is closed")
		}
		return msg
	case <-time.After(5 * time.Second):
		t.Fatal("no message within 5 s")
		return ""
	}
}

// expectNothing fails if a message arrives within a short while.
func expectNothing(t *testing.T, in *Instance) {
	t.Helper()
	select {
	case msg := <-in.Messages():
		t.Fatalf("unexpected message of %d bytes", len(msg))
	case <-time.After(100 * time.Millisecond):
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func TestListen_SecondGetsErrRunning(t *testing.T) {
	setup(t)
	mustListen(t, "tray")
	if in, err := Listen("tray"); !errors.Is(err, ErrRunning) {
		if in != nil {
			in.Close()
		}
		t.Fatalf("second Listen: %v, want ErrRunning", err)
	}
	// The parts are independent.
	mustListen(t, "window")
}

func TestListen_Concurrent(t *testing.T) {
	setup(t)
	const n = 8
	var wg sync.WaitGroup
	results := make(chan *Instance, n)
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in, err := Listen("tray")
			if err != nil {
				errs <- err
				return
			}
			results <- in
		}()
	}
	wg.Wait()
	close(results)
	close(errs)
	won := 0
	for in := range results {
		won++
		in.Close()
	}
	for err := range errs {
		if !errors.Is(err, ErrRunning) {
			t.Errorf("Listen: %v, want ErrRunning", err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent Listens won, want 1", won, n)
	}
}

func TestSend_Delivers(t *testing.T) {
	setup(t)
	in := mustListen(t, "window")
	for _, msg := range []string{"show", "open 0f3a9c2e-rec", strings.Repeat("é", MaxMessage/2)} {
		if err := Send("window", msg); err != nil {
			t.Fatalf("Send: %v", err)
		}
		if got := receive(t, in); got != msg {
			t.Errorf("received %.40q, want %.40q", got, msg)
		}
	}
}

func TestSend_ManyAtOnce(t *testing.T) {
	setup(t)
	in := mustListen(t, "tray")
	const n = 3 * queueSize
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := Send("tray", "show"); err != nil {
				t.Error(err)
			}
		}()
	}
	for range n {
		if got := receive(t, in); got != "show" {
			t.Errorf("received %q", got)
		}
	}
	wg.Wait()
}

func TestSend_NotRunning(t *testing.T) {
	setup(t)
	start := time.Now()
	if err := Send("tray", "show"); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Send: %v, want ErrNotRunning", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Send took %v to find nothing running", d)
	}
}

func TestSend_RejectsBadInput(t *testing.T) {
	setup(t)
	in := mustListen(t, "tray")
	tests := []struct{ name, to, msg string }{
		{"empty message", "tray", ""},
		{"too long", "tray", strings.Repeat("x", MaxMessage+1)},
		{"newline", "tray", "show\nopen x"},
		{"carriage return", "tray", "show\r"},
		{"not UTF-8", "tray", "open \xff"},
		{"bad name", "../tray", "show"},
		{"upper-case name", "Tray", "show"},
		{"empty name", "", "show"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Send(tt.to, tt.msg)
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if len(tt.msg) > 3 && strings.Contains(err.Error(), tt.msg) {
				t.Errorf("the error %q holds the message", err)
			}
		})
	}
	expectNothing(t, in)
}

// rawExchange writes data to the socket of name and returns the reply line
// ("" if the server hung up without one).
func rawExchange(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	c, err := net.Dial("unix", filepath.Join(dir, "keywarden-"+name+".sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(data); err != nil {
		t.Fatal(err)
	}
	reply, _ := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSuffix(reply, "\n")
}

func TestServer_RejectsBadLines(t *testing.T) {
	dir := setup(t)
	in := mustListen(t, "tray")
	tests := []struct {
		name string
		data string
		want string
	}{
		{"a line just under the cap", strings.Repeat("a", MaxMessage) + "\n", "ok"},
		{"a line over the cap", strings.Repeat("a", MaxMessage+1) + "\n", "error"},
		{"a long line without end", strings.Repeat("a", 64*1024), "error"},
		{"a control character", "open\x00x\n", "error"},
		{"an empty line", "\n", "error"},
		{"no newline, then hang up", "show", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.data)
			if tt.want == "" {
				c, err := net.Dial("unix", filepath.Join(dir, "keywarden-tray.sock"))
				if err != nil {
					t.Fatal(err)
				}
				c.Write(data)
				c.(*net.UnixConn).CloseWrite()
				reply, _ := bufio.NewReader(c).ReadString('\n')
				c.Close()
				if reply != "" {
					t.Errorf("reply %q, want none", reply)
				}
				expectNothing(t, in)
				return
			}
			if got := rawExchange(t, dir, "tray", data); got != tt.want {
				t.Errorf("reply %q, want %q", got, tt.want)
			}
			if tt.want == "ok" {
				receive(t, in)
			} else {
				expectNothing(t, in)
			}
		})
	}
}

func TestServer_Busy(t *testing.T) {
	setup(t)
	in := mustListen(t, "tray")
	for range queueSize {
		if err := Send("tray", "show"); err != nil {
			t.Fatal(err)
		}
	}
	// Nobody reads Messages: the next sender is told so after queueWait.
	start := time.Now()
	if err := Send("tray", "show"); !errors.Is(err, ErrNotDelivered) {
		t.Fatalf("Send to a full queue: %v, want ErrNotDelivered", err)
	}
	if d := time.Since(start); d < queueWait || d > queueWait+2*time.Second {
		t.Errorf("Send gave up after %v, want about %v", d, queueWait)
	}
	if len(in.Messages()) != queueSize {
		t.Errorf("%d queued, want %d", len(in.Messages()), queueSize)
	}
}

// TestServer_RejectsOtherUser runs a copy that expects a different user ID
// than the sender's: it must hang up without taking the message.
func TestServer_RejectsOtherUser(t *testing.T) {
	setup(t)
	in, err := listen("tray", os.Getuid()+1)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if err := Send("tray", "show"); !errors.Is(err, ErrNotDelivered) {
		t.Fatalf("Send: %v, want ErrNotDelivered", err)
	}
	expectNothing(t, in)
}

func TestListen_CleansStaleSocket(t *testing.T) {
	dir := setup(t)
	sock := filepath.Join(dir, "keywarden-tray.sock")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	if _, err := net.Dial("unix", sock); err == nil {
		t.Fatal("the stale socket answers")
	}
	in := mustListen(t, "tray")
	if err := Send("tray", "show"); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, in); got != "show" {
		t.Errorf("received %q", got)
	}
}

// TestListen_SecondProcess starts a second copy as its own process: it must
// see ErrRunning, hand its message over and exit.
func TestListen_SecondProcess(t *testing.T) {
	setup(t)
	in := mustListen(t, "window")
	cmd := childCommand(t, "second", "KW_NAME=window", "KW_MSG=open rec-42")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, in); got != "open rec-42" {
		t.Errorf("received %q, want %q", got, "open rec-42")
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("second copy: %v: %s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the second copy did not exit")
	}
}

// TestListen_AfterKill kills the owner with SIGKILL, so it cannot clean
// up: the next copy must still get the name.
func TestListen_AfterKill(t *testing.T) {
	dir := setup(t)
	cmd := childCommand(t, "hold", "KW_NAME=tray")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q", line)
	}
	if _, err := Listen("tray"); !errors.Is(err, ErrRunning) {
		t.Fatalf("Listen while the child owns it: %v, want ErrRunning", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if !exists(filepath.Join(dir, "keywarden-tray.sock")) {
		t.Fatal("the killed copy left no socket; the test proves nothing")
	}
	in := mustListen(t, "tray")
	if err := Send("tray", "show"); err != nil {
		t.Fatal(err)
	}
	receive(t, in)
}

func TestClose(t *testing.T) {
	dir := setup(t)
	in, err := Listen("tray")
	if err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "keywarden-tray.sock")
	lock := filepath.Join(dir, "keywarden-tray.lock")
	if !exists(sock) || !exists(lock) {
		t.Fatal("no socket or lock file while listening")
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	if exists(sock) {
		t.Error("Close left the socket file")
	}
	if exists(lock) {
		t.Error("Close left the lock file")
	}
	if _, ok := <-in.Messages(); ok {
		t.Error("Messages still open")
	}
	if err := in.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := Send("tray", "show"); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Send after Close: %v, want ErrNotRunning", err)
	}
	mustListen(t, "tray")
}

// TestClose_WithIdleClient closes while a client is connected and silent:
// Close must not wait for it to time out.
func TestClose_WithIdleClient(t *testing.T) {
	dir := setup(t)
	in, err := Listen("tray")
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("unix", filepath.Join(dir, "keywarden-tray.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	time.Sleep(50 * time.Millisecond) // let the server accept it
	start := time.Now()
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v", d)
	}
}

// fallbackDir points $HOME and $XDG_CACHE_HOME at a fresh folder (never
// the person's own), unsets $XDG_RUNTIME_DIR, and returns the folder
// runtimeDir falls back to.
func fallbackDir(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", home)
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("TMPDIR", t.TempDir())
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(cache, "keywarden", "run")
}

func TestRuntimeDir_Fallback(t *testing.T) {
	want := fallbackDir(t)

	in := mustListen(t, "tray")
	fi, err := os.Lstat(want)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Errorf("%s: mode %v, want a 0700 folder", want, fi.Mode())
	}
	if !exists(filepath.Join(want, "keywarden-tray.sock")) {
		t.Error("no socket in the fallback folder")
	}
	if err := Send("tray", "show"); err != nil {
		t.Fatal(err)
	}
	receive(t, in)
}

func TestRuntimeDir_Unsafe(t *testing.T) {
	uid := os.Getuid()
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		ok      bool
	}{
		{"a wider mode is narrowed", func(t *testing.T, dir string) {
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			os.Chmod(dir, 0o777)
		}, true},
		{"a link is refused", func(t *testing.T, dir string) {
			if err := os.Symlink(t.TempDir(), dir); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a file is refused", func(t *testing.T, dir string) {
			if err := os.WriteFile(dir, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"another user's folder is refused", func(t *testing.T, dir string) {
			if uid != 0 {
				t.Skip("needs root to make a folder of another user's")
			}
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chown(dir, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := fallbackDir(t)
			if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
				t.Fatal(err)
			}
			tt.prepare(t, dir)
			in, err := Listen("tray")
			if in != nil {
				defer in.Close()
			}
			if (err == nil) != tt.ok {
				t.Fatalf("Listen: %v, want ok=%v", err, tt.ok)
			}
			if tt.ok {
				if fi, _ := os.Lstat(dir); fi.Mode().Perm() != 0o700 {
					t.Errorf("mode %v, want 0700", fi.Mode())
				}
			}
		})
	}
}

// TestRuntimeDir_squattedTmp: with $XDG_RUNTIME_DIR unset, another user
// who makes /tmp/keywarden-<uid> first (a folder of theirs, a link, a
// file) must not keep the tray part from starting: the fallback is a
// folder only this user can create.
func TestRuntimeDir_squattedTmp(t *testing.T) {
	squats := []struct {
		name    string
		prepare func(t *testing.T, path string)
	}{
		{"a link to another folder", func(t *testing.T, path string) {
			if err := os.Symlink(t.TempDir(), path); err != nil {
				t.Fatal(err)
			}
		}},
		{"a file", func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	}
	if os.Getuid() == 0 { // only root can give a folder to another user
		squats = append(squats, struct {
			name    string
			prepare func(t *testing.T, path string)
		}{"another user's folder", func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Chown(path, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}})
	}
	for _, sq := range squats {
		t.Run(sq.name, func(t *testing.T) {
			want := fallbackDir(t)
			squatted := filepath.Join(os.TempDir(), "keywarden-"+strconv.Itoa(os.Getuid()))
			sq.prepare(t, squatted)
			in, err := Listen("tray")
			if err != nil {
				t.Fatalf("Listen with %s squatted: %v", squatted, err)
			}
			defer in.Close()
			if !exists(filepath.Join(want, "keywarden-tray.sock")) {
				t.Errorf("no socket in %s", want)
			}
			if err := Send("tray", "show"); err != nil {
				t.Fatal(err)
			}
			if got := receive(t, in); got != "show" {
				t.Errorf("received %q, want show", got)
			}
		})
	}
}

// With no runtime folder and no home to fall back to, or a home so deep
// that the socket's path is too long, Listen refuses and says what to set.
func TestRuntimeDir_noPrivateFolderSaysWhatToSet(t *testing.T) {
	deep := filepath.Join(t.TempDir(), strings.Repeat("d", 90))
	for name, home := range map[string]string{"no home": "", "a deep home": deep} {
		t.Run(name, func(t *testing.T) {
			fallbackDir(t)
			t.Setenv("HOME", home)
			t.Setenv("XDG_CACHE_HOME", home)
			in, err := Listen("tray")
			if err == nil {
				in.Close()
				t.Fatal("Listen succeeded")
			}
			if !strings.Contains(err.Error(), "set XDG_RUNTIME_DIR") {
				t.Errorf("Listen: %v, want it to say to set XDG_RUNTIME_DIR", err)
			}
		})
	}
}

func TestRuntimeDir_IgnoresUnusableXDG(t *testing.T) {
	want := fallbackDir(t)
	for _, xdg := range []string{"relative/dir", filepath.Join(t.TempDir(), "missing")} {
		t.Setenv("XDG_RUNTIME_DIR", xdg)
		got, err := runtimeDir(true)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("XDG_RUNTIME_DIR=%s: %s, want %s", xdg, got, want)
		}
	}
}

func TestListen_BadName(t *testing.T) {
	setup(t)
	for _, name := range []string{"", "a/b", "..", "Tray", "tray.sock", strings.Repeat("a", 33)} {
		if in, err := Listen(name); err == nil {
			in.Close()
			t.Errorf("Listen(%q) succeeded", name)
		}
	}
}

func TestSocketPath_TooLong(t *testing.T) {
	dir := filepath.Join(t.TempDir(), strings.Repeat("d", 100))
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", dir)
	_, err := Listen("tray")
	if err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Fatalf("Listen: %v, want a too-long error", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keywarden-tray.lock")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a lock file was left: %v", err)
	}
}
