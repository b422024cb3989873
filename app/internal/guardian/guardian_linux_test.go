package guardian

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

func TestKillChildren(t *testing.T) {
	t.Run("a child is found and killed whatever its name", func(t *testing.T) {
		// /proc/PID/stat puts the name in parentheses before the parent:
		// a name that looks like the fields after it must not hide it.
		odd := filepath.Join(t.TempDir(), "x) Z 1 (")
		if err := os.Symlink("/bin/sleep", odd); err != nil {
			t.Fatal(err)
		}
		var kids []*exec.Cmd
		for _, path := range []string{"/bin/sleep", odd} {
			cmd := exec.Command(path, "301")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			kids = append(kids, cmd)
		}
		if ppid, state, ok := procStat(kids[1].Process.Pid); !ok || ppid != os.Getpid() || state == 'Z' {
			t.Fatalf("procStat of %q: parent %d, state %q, ok %v; want parent %d, running", odd, ppid, state, ok, os.Getpid())
		}
		killed := killChildren()
		for _, cmd := range kids {
			if !slices.Contains(killed, cmd.Process.Pid) {
				t.Errorf("%s (pid %d) not killed; killed %v", cmd.Path, cmd.Process.Pid, killed)
			}
			err := cmd.Wait()
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Errorf("%s ended with %v, want SIGKILL", cmd.Path, err)
			}
		}
	})
}
