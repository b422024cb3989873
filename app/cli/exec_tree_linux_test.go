package cli_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/vault"
)

func init() {
	// keywarden-exec-sh plays "keywarden exec $KW_NAME -- sh -c $KW_SH" over
	// the store in $KW_DIR, with a stand-in secret for $KW_ID, and exits
	// with exec's exit code.
	childRoles["keywarden-exec-sh"] = func() int {
		mem := vault.NewMemory()
		if err := mem.Set(os.Getenv("KW_ID"), vault.Secret{APIKey: "k", PrivateKey: "p"}); err != nil {
			return 1
		}
		return cli.Main([]string{"exec", os.Getenv("KW_NAME"), "--", "sh", "-c", os.Getenv("KW_SH")},
			cli.IO{Dir: os.Getenv("KW_DIR"), Secrets: mem, Getenv: func(string) string { return "" }})
	}
}

// treeRuns is how many times each shape of tree is ended by killing
// keywarden; the times are logged. For a measurement:
// go test -run TestExec_treeDiesWithKeywarden -v ./app/cli/ -args -tree-runs=7
var treeRuns = flag.Int("tree-runs", 3, "times TestExec_treeDiesWithKeywarden kills keywarden, per shape of process tree")

// treeEndBound is how long the processes exec started may outlive the
// moment they must end.
const treeEndBound = 2 * time.Second

// The shapes of process tree a bot can make, each with the number of
// sleep processes it leaves running: a background job, one that left the
// session (setsid), and one whose parent exited at once (a double fork), so
// it is no longer a descendant of keywarden's program by parentage.
var treeShapes = []struct {
	name, script string
	sleeps       int
}{
	{"a background job", "sleep 301 & wait", 1},
	{"a job in its own session", "setsid sleep 301 & wait", 1},
	{"a double fork", "(sleep 301 &) ; sleep 301", 2},
}

// startTree starts keywarden exec of a stand-in key running script in sh,
// with a marker in its environment that every process it starts inherits,
// and returns it once the script's sleeps are all running, with the file
// its standard error goes to, the marker, and its standard input to write
// to. Its standard streams are files, not pipes: a process left running
// would hold a pipe open, and kw.Wait would wait for that process.
func startTree(t *testing.T, script string, sleeps int) (kw *exec.Cmd, stderr *os.File, mark string, stdin io.Writer) {
	t.Helper()
	f := newFixture(t)
	rec, _ := f.add("freqtrade-vps", botPerms, "--purpose", "bot")
	var b [8]byte
	rand.Read(b[:])
	mark = hex.EncodeToString(b[:])
	kw = keywardenCommand(t, f, rec, "keywarden-exec-sh", "", "KW_SH="+script, "KW_MARK="+mark)
	stderr, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stderr.Close() })
	kw.Stderr = stderr
	r, in, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	t.Cleanup(func() { in.Close() })
	kw.Stdin = r
	if err := kw.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, p := range marked(mark) {
			syscall.Kill(p.pid, syscall.SIGKILL)
		}
		kw.Process.Kill()
		kw.Wait()
	})
	deadline := time.Now().Add(10 * time.Second)
	for countSleeps(marked(mark)) < sleeps {
		if time.Now().After(deadline) {
			t.Fatalf("the script did not start its %d sleeps: %v\n%s", sleeps, marked(mark), readFile(stderr))
		}
		time.Sleep(5 * time.Millisecond)
	}
	return kw, stderr, mark, in
}

// proc is a process found by its marker.
type proc struct {
	pid  int
	name string
}

func (p proc) String() string { return fmt.Sprintf("%d (%s)", p.pid, p.name) }

func countSleeps(ps []proc) int {
	n := 0
	for _, p := range ps {
		if p.name == "sleep" {
			n++
		}
	}
	return n
}

// marked returns the running processes (not zombies) whose environment
// holds KW_MARK=mark: what the program started, however far it went.
func marked(mark string) []proc {
	want := []byte("KW_MARK=" + mark + "\x00")
	names, _ := filepath.Glob("/proc/[0-9]*")
	var out []proc
	for _, dir := range names {
		pid, err := strconv.Atoi(filepath.Base(dir))
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile(dir + "/environ")
		if err != nil || !bytes.Contains(env, want) || gone(pid) {
			continue
		}
		comm, _ := os.ReadFile(dir + "/comm")
		out = append(out, proc{pid, strings.TrimSpace(string(comm))})
	}
	return out
}

// childrenOf returns the processes whose parent is pid.
func childrenOf(pid int) []int {
	names, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []int
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			c, _ := strconv.Atoi(filepath.Base(filepath.Dir(name)))
			out = append(out, c)
		}
	}
	return out
}

// tree is every process that has the key because of one keywarden exec:
// its guardian (a child of keywarden) and whatever has the marker in its
// environment, each watched through a pidfd, which says exactly when it
// ends.
type tree struct {
	mark  string
	procs []proc
	fds   []int
}

// watchTree starts watching kw's tree, as it is now.
func watchTree(t *testing.T, kw *exec.Cmd, mark string) *tree {
	t.Helper()
	tr := &tree{mark: mark, procs: marked(mark)}
	for _, pid := range childrenOf(kw.Process.Pid) {
		tr.procs = append(tr.procs, proc{pid, "keywarden's child"})
	}
	for _, p := range tr.procs {
		fd, err := unix.PidfdOpen(p.pid, 0)
		if err != nil {
			t.Fatalf("pidfd of %v: %v", p, err)
		}
		t.Cleanup(func() { unix.Close(fd) })
		tr.fds = append(tr.fds, fd)
	}
	return tr
}

// waitGone waits until every process of the tree has ended and returns
// how long after since the last one ended. It fails the test if that takes
// longer than treeEndBound, or if a process that was not there at
// watchTree's look has the marker.
func (tr *tree) waitGone(t *testing.T, since time.Time) time.Duration {
	t.Helper()
	for i, fd := range tr.fds {
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		var n int
		var err error = unix.EINTR
		for err == unix.EINTR {
			n, err = unix.Poll(pfd, max(int(time.Until(since.Add(treeEndBound)).Milliseconds()), 0))
		}
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatalf("still running %v after its end was due: %v", treeEndBound, tr.procs[i])
		}
	}
	took := time.Since(since)
	if left := marked(tr.mark); len(left) > 0 {
		t.Fatalf("still running after the end of the tree: %v", left)
	}
	return took
}

func TestExec_treeDiesWithKeywarden(t *testing.T) {
	var times []time.Duration
	for _, shape := range treeShapes {
		t.Run(shape.name+" ends when keywarden is killed", func(t *testing.T) {
			for range *treeRuns {
				kw, _, mark, _ := startTree(t, shape.script, shape.sleeps)
				tr := watchTree(t, kw, mark)
				if err := kw.Process.Kill(); err != nil { // SIGKILL: keywarden can do nothing
					t.Fatal(err)
				}
				killed := time.Now()
				kw.Wait()
				times = append(times, tr.waitGone(t, killed))
			}
		})
	}
	if len(times) > 0 {
		slices.Sort(times)
		t.Logf("from keywarden's SIGKILL to the last process's end, %d runs: min %v, median %v, max %v",
			len(times), times[0], times[len(times)/2], times[len(times)-1])
	}
}

func TestExec_treeEndsWithProgram(t *testing.T) {
	kw, stderr, mark, stdin := startTree(t, "sleep 301 & setsid sleep 301 & (sleep 301 &) ; read line; exit 3", 3)
	tr := watchTree(t, kw, mark)
	io.WriteString(stdin, "go on\n") // the script's read, through keywarden
	err := kw.Wait()
	ended := time.Now()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("keywarden exec ended with %v, want exit 3 (the program's)\n%s", err, readFile(stderr))
	}
	tr.waitGone(t, ended)
	if said := readFile(stderr); !strings.Contains(said, "left 3 process(es) running") {
		t.Errorf("keywarden did not say it ended the 3 processes left running: %q", said)
	}
}

func TestExec_treeEndsAtSIGTERM(t *testing.T) {
	kw, _, mark, _ := startTree(t, "sleep 301 & setsid sleep 301 & (sleep 301 &) ; wait", 3)
	tr := watchTree(t, kw, mark)
	if err := kw.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	sent := time.Now()
	err := kw.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 128+int(syscall.SIGTERM) {
		t.Fatalf("keywarden exec ended with %v, want exit %d (the program's end by SIGTERM)", err, 128+int(syscall.SIGTERM))
	}
	t.Logf("every process ended %v after the SIGTERM", tr.waitGone(t, sent).Round(time.Microsecond))
}

func readFile(f *os.File) string {
	b, _ := os.ReadFile(f.Name())
	return string(b)
}

func TestExec_ctrlCOnTerminal(t *testing.T) {
	// keywarden, its guardian and the program share the terminal's
	// foreground process group, so Ctrl-C reaches each: the program must
	// get it once, not once more from each of the other two.
	f := newFixture(t)
	rec, _ := f.add("freqtrade-vps", botPerms, "--purpose", "bot")
	script := `n=0; trap 'n=$((n+1))' INT; echo ready; while [ $n = 0 ]; do sleep 0.05; done; sleep 0.3; echo "INT $n"; exit 5`
	kw := keywardenCommand(t, f, rec, "keywarden-exec-sh", "", "KW_SH="+script)
	keyboard, term := openPTY(t)
	screen := &syncBuffer{}
	go io.Copy(screen, keyboard)
	kw.Stdin, kw.Stdout, kw.Stderr = term, term, term
	kw.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := kw.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { kw.Process.Kill(); kw.Wait() })
	waitFor(t, screen, "ready", 1)
	keyboard.Write([]byte{0x03}) // Ctrl-C
	err := kw.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 5 {
		t.Fatalf("keywarden exec ended with %v, want exit 5 (the program's)\n%s", err, screen)
	}
	waitFor(t, screen, "INT ", 1)
	if !strings.Contains(screen.String(), "INT 1\r\n") {
		t.Errorf("the program did not get Ctrl-C exactly once:\n%s", screen)
	}
}

func TestGuardian_startsNothingByHand(t *testing.T) {
	// The guardian's mode is an argument anyone can type: started by
	// anything but the keywarden it names, it must start nothing.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(t.TempDir(), "ran")
	for _, pid := range []string{"1", "x", strconv.Itoa(os.Getpid() + 1)} {
		cmd := exec.Command(exe, "_exec-guardian", pid, "/bin/sh", "sh", "-c", "touch "+marker)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != cli.ExitUsage || !strings.Contains(string(out), "keywarden exec") {
			t.Errorf("guardian for keywarden %s: %v %q, want exit %d and a pointer to keywarden exec", pid, err, out, cli.ExitUsage)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("guardian for keywarden %s ran the program", pid)
		}
	}
}

func TestExec_programThatMayNotBeRun(t *testing.T) {
	// The guardian starts the program, so it is the one that explains.
	f := newFixture(t)
	f.add("freqtrade-vps", botPerms, "--purpose", "bot")
	prog := filepath.Join(t.TempDir(), "bot")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\nexit 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := f.run("", "exec", "freqtrade-vps", "--", prog)
	if res.code != cli.ExitCannotRun || !strings.Contains(res.err, "may not be run") {
		t.Fatalf("want exit %d and \"may not be run\", got %v", cli.ExitCannotRun, res)
	}
}
