package instance

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestServer_RejectsOtherUserProcess lets a process running as nobody reach
// the socket (the folder and socket opened up on purpose) and checks that
// SO_PEERCRED still keeps it out. It needs root, to start that process.
func TestServer_RejectsOtherUserProcess(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a process as another user")
	}
	const nobody = 65534
	dir := setup(t)
	in := mustListen(t, "tray")
	sock := filepath.Join(dir, "keywarden-tray.sock")
	// Open the way for nobody: the test's own folders below the temporary
	// folder (never that folder itself), the socket, and a copy of this
	// test binary it can run.
	if fi, err := os.Stat(os.TempDir()); err != nil || fi.Mode().Perm()&0o001 == 0 {
		t.Skipf("other users cannot enter %s", os.TempDir())
	}
	for d := dir; filepath.Dir(d) != d && strings.HasPrefix(d, filepath.Clean(os.TempDir())+string(filepath.Separator)); d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(sock, 0o777); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "instance.test")
	copyFile(t, exe)

	run := func(cred *syscall.Credential) string {
		t.Helper()
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=raw-sender", "KW_SOCK="+sock)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("child: %v", err)
		}
		return string(out)
	}
	if got := run(&syscall.Credential{Uid: nobody, Gid: nobody}); got != "" {
		t.Errorf("a process of another user got the reply %q", got)
	}
	expectNothing(t, in)
	// The same child as this user is let in: the set-up itself works.
	if got := run(nil); got != "ok" {
		t.Errorf("a process of this user got %q, want ok", got)
	}
	if got := receive(t, in); got != "show" {
		t.Errorf("received %q", got)
	}
}

func copyFile(t *testing.T, dst string) {
	t.Helper()
	src, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
