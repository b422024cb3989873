package guardian

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// ParentDeathSignal is what the guardian gets when Keywarden dies: one it
// catches, to end the program's processes first. The same signal passed on
// by a living Keywarden is told apart by the parent: after Keywarden's
// death the guardian's parent is no longer Keywarden.
const ParentDeathSignal = syscall.SIGTERM

// reportFD is the guardian's file descriptor for its report to Keywarden:
// nothing, closed once the program runs, or why it could not start it.
const reportFD = 3

// The kinds of failure in a report, each followed by the error number.
const (
	failedReaper = 'r'
	failedStart  = 's'
)

// Start starts cmd's program under a guardian: cmd is changed to run the
// guardian, with the program's path and arguments after Arg and
// Keywarden's PID. The program's environment (the key in it) reaches the
// guardian in cmd.Env, never on a command line. Start returns once the
// program runs, or with why it could not: ErrNoGuardian, ErrNoSubreaper,
// or the system's error for starting the program (then the guardian has
// been waited for).
//
// The caller must keep its goroutine locked to its thread (LockOSThread)
// from before Start until after Wait: the parent-death signal is tied to
// the thread that starts the guardian, and Go ends a thread when a
// goroutine locked to it exits.
func Start(cmd *exec.Cmd) error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	defer r.Close()
	// /proc/self/exe: the same binary even if the file was replaced or
	// removed since Keywarden started.
	cmd.Args = append([]string{"keywarden", Arg, strconv.Itoa(os.Getpid()), cmd.Path}, cmd.Args...)
	cmd.Path = "/proc/self/exe"
	cmd.ExtraFiles = []*os.File{w} // reportFD
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = ParentDeathSignal
	err = cmd.Start()
	w.Close()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoGuardian, err)
	}
	report, _ := io.ReadAll(r) // empty: the program runs
	if len(report) < 2 {
		return nil
	}
	cmd.Wait()
	errno, _ := strconv.Atoi(string(report[1:]))
	if report[0] == failedReaper {
		return fmt.Errorf("%w: %w", ErrNoSubreaper, syscall.Errno(errno))
	}
	return &os.PathError{Op: "fork/exec", Path: cmd.Args[3], Err: syscall.Errno(errno)}
}

func init() {
	if len(os.Args) > 1 && os.Args[1] == Arg {
		os.Exit(run(os.Args[2:]))
	}
}

// run is the guardian: args are Keywarden's PID, the program's path and its
// argv. It returns the program's exit code (128 + the signal number when a
// signal ended it), as Keywarden passes it on.
func run(args []string) int {
	// The key is in this process's environment too: no other program of
	// the user may read it from here (as app/vault's Harden does).
	_ = unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0)
	// Caught before anything starts, so that Keywarden's death from here
	// on is seen.
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, Relayed...)
	if len(args) < 3 || args[0] != strconv.Itoa(os.Getppid()) {
		// Started by hand, or Keywarden already died: start nothing, and
		// leave the descriptors, not ours, alone.
		fmt.Fprintln(os.Stderr, "keywarden: this is a part of \"keywarden exec\"; run that instead.")
		return 2
	}
	keywarden := os.Getppid()
	syscall.CloseOnExec(reportFD) // not the program's
	report := os.NewFile(reportFD, "report")
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		fmt.Fprintf(report, "%c%d", failedReaper, errnoOf(err))
		return 126
	}
	// The program's own parent-death signal (SIGKILL, should the guardian
	// be killed) is tied to the thread that starts it: this goroutine
	// keeps its thread until the guardian exits.
	runtime.LockOSThread()
	p, err := os.StartProcess(args[1], args[2:], &os.ProcAttr{
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
		Sys:   &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	})
	if err != nil {
		fmt.Fprintf(report, "%c%d", failedStart, errnoOf(err))
		return 126
	}
	report.Close()
	died := make(chan struct{})
	go guard(sigs, keywarden, p, died)

	status := waitFor(p.Pid)
	n := endAll()
	select {
	case <-died:
	default:
		if n > 0 {
			fmt.Fprint(os.Stderr, LeftNote(args[2], n))
		}
	}
	if status.Signaled() {
		return 128 + int(status.Signal())
	}
	return status.ExitStatus()
}

// errnoOf returns the system's error number in err, or EINVAL.
func errnoOf(err error) int {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		errno = syscall.EINVAL
	}
	return int(errno)
}

// guard passes the signals the guardian gets on to the program, as
// Keywarden does to the guardian, except the one that says Keywarden has
// died: then it SIGKILLs the program and every other child of the guardian
// (the rest follow in endAll) and closes died.
func guard(sigs <-chan os.Signal, keywarden int, p *os.Process, died chan<- struct{}) {
	for s := range sigs {
		switch {
		case os.Getppid() != keywarden:
			close(died)
			_ = p.Kill()
			killChildren()
			return
		case (s == syscall.SIGINT || s == syscall.SIGQUIT) && Foreground():
			// The terminal sent it to the program too.
		default:
			_ = p.Signal(s)
		}
	}
}

// waitFor reaps the guardian's children until pid ends, and returns how it
// ended. Reaping the others, re-parented here while the program runs, is
// a subreaper's duty: they would stay zombies otherwise.
func waitFor(pid int) unix.WaitStatus {
	for {
		var ws unix.WaitStatus
		got, err := unix.Wait4(-1, &ws, 0, nil)
		switch {
		case err == unix.EINTR:
		case err != nil: // no child at all: cannot happen while pid runs
			return ws
		case got == pid:
			return ws
		}
	}
}

// endAll ends every process below the guardian and returns how many were
// still running. It SIGKILLs only the guardian's children, whose PIDs
// cannot be taken by another process until the guardian reaps them; their
// children are re-parented here as they end, and are killed in the next
// round. It returns when the guardian has no child left (wait4 says
// ECHILD), so a process re-parented between one look and the next is not
// missed.
func endAll() int {
	seen := map[int]bool{}
	for {
		pids := killChildren()
		for _, pid := range pids {
			seen[pid] = true
		}
		flags := unix.WNOHANG
		if len(pids) > 0 {
			flags = 0 // a child was killed: it ends soon, so wait for it
		}
		for {
			got, err := unix.Wait4(-1, nil, flags, nil)
			if err == unix.ECHILD {
				return len(seen)
			}
			if got <= 0 {
				break
			}
			flags = unix.WNOHANG
		}
		if len(pids) == 0 {
			// A child not yet seen by killChildren: re-parented just now.
			time.Sleep(time.Millisecond)
		}
	}
}

// killChildren SIGKILLs every running child of this process, found in
// /proc (Linux lists a process's children nowhere else unless built with
// CONFIG_PROC_CHILDREN), and returns their PIDs.
func killChildren() (killed []int) {
	self := os.Getpid()
	dir, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	defer dir.Close()
	names, _ := dir.Readdirnames(-1)
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		if ppid, state, ok := procStat(pid); ok && ppid == self && state != 'Z' {
			if unix.Kill(pid, unix.SIGKILL) == nil {
				killed = append(killed, pid)
			}
		}
	}
	return killed
}

// procStat reads a process's parent and state from /proc/PID/stat.
func procStat(pid int) (ppid int, state byte, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	// "PID (COMM) STATE PPID ...", where COMM may hold anything, ")" too.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 2 {
		return 0, 0, false
	}
	ppid, err = strconv.Atoi(f[1])
	return ppid, f[0][0], err == nil
}
