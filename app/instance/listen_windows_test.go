package instance

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// setupWindows points $XDG_RUNTIME_DIR (which runDir honours) at a fresh
// folder, so no test touches the user's %LOCALAPPDATA%.
func setupWindows(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", dir)
	return dir
}

func TestWindows_OneOwner(t *testing.T) {
	dir := setupWindows(t)
	in, err := Listen("tray")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Listen("tray"); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Listen: %v, want ErrRunning", err)
	}
	if err := Send("tray", "changed"); err != nil {
		t.Fatalf("Send: %v", err)
	}
	select {
	case msg := <-in.Messages():
		if msg != "changed" {
			t.Errorf("got %q", msg)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no message within 5 s")
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keywarden-tray.port")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the port file is left after Close: %v", err)
	}
	if err := Send("tray", "changed"); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Send after Close: %v, want ErrNotRunning", err)
	}
	again, err := Listen("tray")
	if err != nil {
		t.Fatalf("Listen after Close: %v", err)
	}
	again.Close()
}

func TestWindows_WrongTokenGetsNothing(t *testing.T) {
	dir := setupWindows(t)
	in, err := Listen("window")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	b, err := os.ReadFile(filepath.Join(dir, "keywarden-window.port"))
	if err != nil {
		t.Fatal(err)
	}
	addr, _, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("the port file names %q, not a loopback address", addr)
	}
	c, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, strings.Repeat("0", 2*tokenBytes)+"\nshow\n")
	if line, err := bufio.NewReader(c).ReadString('\n'); err == nil {
		t.Errorf("the owner answered %q to a wrong token", line)
	}
	select {
	case msg := <-in.Messages():
		t.Errorf("a message with a wrong token was taken: %q", msg)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestWindows_NotRunning(t *testing.T) {
	setupWindows(t)
	if err := Send("tray", "ping"); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Send with no owner: %v, want ErrNotRunning", err)
	}
}
