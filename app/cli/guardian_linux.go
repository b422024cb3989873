package cli

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/keywarden/keywarden/app/vault"
)

// On Linux, exec does not start the program itself: it starts a guardian,
// Keywarden's own binary again (/proc/self/exe) with guardianArg first,
// which starts the program and ends, once the program has ended or
// Keywarden has died, every process the program started however it
// started it. A parent-death signal alone cannot do that: it reaches only
// the direct child, and a bot's background job, a process that left the
// session (setsid) or one whose parent exited at once (a double fork)
// would keep running with the key in its environment.
//
// The guardian is a child subreaper (PR_SET_CHILD_SUBREAPER): a process
// below it whose parent ends is re-parented to it, not to init, so every
// process the program started stays its descendant, and it can find them
// by their parent. It gets parentDeathSignal when Keywarden dies,
// however Keywarden dies (SIGKILL included), and then SIGKILLs every
// process below it.
//
// guardianArg is recognised by an init function, before main and before
// any test's TestMain: the test binaries that play Keywarden start it too.
// A guardian started by hand, or by anything but the process its argument
// names, starts nothing.
const guardianArg = "_exec-guardian"

// parentDeathSignal is what the guardian gets when Keywarden dies: one it
// catches, to end the program's processes first. The same signal passed on
// by a living Keywarden (relaySignals) is told apart by the parent: after
// Keywarden's death the guardian's parent is no longer Keywarden.
const parentDeathSignal = syscall.SIGTERM

func init() {
	if len(os.Args) > 1 && os.Args[1] == guardianArg {
		os.Exit(runGuardian(os.Args[2:]))
	}
}

// guardianArgs returns the arguments (after the binary's name) that make
// Keywarden's binary the guardian of the program at path, run with argv.
// The key is not among them: the program's environment carries it, as the
// guardian's does.
func guardianArgs(path string, argv []string) []string {
	return append([]string{guardianArg, strconv.Itoa(os.Getpid()), path}, argv...)
}

// runGuardian is the guardian: args are Keywarden's PID, the program's
// path and its argv. It returns the program's exit code (128 + the signal
// number when a signal ended it), or ExitCannotRun/ExitNotFound with a
// message when the program cannot be started.
func runGuardian(args []string) int {
	_ = vault.Harden() // the key is in this process's environment too
	// Caught before anything starts, so that Keywarden's death at any
	// moment from here on is seen.
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, relayed...)
	if len(args) < 3 {
		fmt.Fprintln(os.Stderr, "keywarden: this is a part of \"keywarden exec\"; run that instead.")
		return ExitUsage
	}
	keywarden, err := strconv.Atoi(args[0])
	if err != nil || os.Getppid() != keywarden {
		fmt.Fprintln(os.Stderr, "keywarden: this is a part of \"keywarden exec\"; run that instead.")
		return ExitUsage
	}
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		fmt.Fprintf(os.Stderr, "keywarden: This system cannot keep track of what %q starts (Linux 3.4 or later can), so Keywarden does not hand it the key.\n", args[2])
		return ExitCannotRun
	}

	// The program's own parent-death signal (SIGKILL, should the guardian
	// itself be killed) is tied to the thread that starts it: this
	// goroutine keeps its thread until the guardian exits.
	runtime.LockOSThread()
	p, err := os.StartProcess(args[1], args[2:], &os.ProcAttr{
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
		Sys:   &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	})
	if err != nil {
		code, err := startFailed(args[2], err)
		fmt.Fprintf(os.Stderr, "keywarden: %s\n", message(err))
		return code
	}
	died := make(chan struct{})
	go guardSignals(sigs, keywarden, p, died)

	status := waitFor(p.Pid)
	n := endAll()
	select {
	case <-died:
	default:
		if n > 0 {
			fmt.Fprintf(os.Stderr, "keywarden: %q ended and left %d process(es) running with the key in their environment; Keywarden ended them. Run the program so that it stays in the foreground under \"keywarden exec\".\n", args[2], n)
		}
	}
	if status.Signaled() {
		return 128 + int(status.Signal())
	}
	return status.ExitStatus()
}

// guardSignals passes the signals the guardian gets on to the program, as
// relaySignals does in Keywarden, except the one that says Keywarden has
// died: then it SIGKILLs the program and every other process below the
// guardian (the rest follow in endAll) and closes died.
func guardSignals(sigs <-chan os.Signal, keywarden int, p *os.Process, died chan<- struct{}) {
	for s := range sigs {
		switch {
		case os.Getppid() != keywarden:
			close(died)
			_ = p.Kill()
			killChildren()
			return
		case (s == syscall.SIGINT || s == syscall.SIGQUIT) && foreground():
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
// still running. It SIGKILLs only the guardian's children, whose PIDs cannot be
// reused by another process until the guardian reaps them; their children
// are re-parented here as they end, and are killed in the next round. It
// returns when the guardian has no child left (wait4 says ECHILD): a
// process re-parented between one look and the next is not missed.
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

// killChildren SIGKILLs every running child of this process, read from
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
