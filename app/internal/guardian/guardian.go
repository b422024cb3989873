// Package guardian ends, on Linux, every process a program started with
// Keywarden's key in its environment, once Keywarden dies or the program
// ends: `keywarden exec` starts the program through a guardian, Keywarden's
// own binary started again (/proc/self/exe) with Arg first.
//
// A parent-death signal alone cannot do that: it reaches only the direct
// child, and a bot's background job, a process that left the session
// (setsid) or one whose parent exited at once (a double fork) would keep
// running with the key. The guardian is a child subreaper
// (PR_SET_CHILD_SUBREAPER): a process below it whose parent ends is
// re-parented to it, not to init, so everything the program starts stays
// below it. It gets ParentDeathSignal when Keywarden dies, however
// Keywarden dies (SIGKILL included), and then SIGKILLs everything below it.
//
// The guardian is chosen by an init function, which runs before main and
// before any test's TestMain (test binaries that play Keywarden start it
// too). This package imports only the standard library and x/sys, so that
// init runs before the heavy ones of the GUI's packages: the guardian,
// which lives as long as the program, starts fast and stays small.
//
// FreeBSD has what this is built on (procctl PROC_REAP_ACQUIRE and
// PROC_PDEATHSIG_CTL) but is not done yet; macOS has neither. Start is
// Linux-only; Windows has its own answer, a job object (app/cli).
package guardian

import (
	"errors"
	"fmt"
)

// Arg, as the first argument of Keywarden's binary, makes it a guardian.
const Arg = "_exec-guardian"

// ErrNoSubreaper means the system cannot make the guardian a child
// subreaper (Linux before 3.4), so it cannot keep track of what the program
// starts: the program was not started.
var ErrNoSubreaper = errors.New("cannot become a child subreaper")

// ErrNoGuardian means the guardian itself could not be started (Keywarden's
// binary, through /proc/self/exe): the program was not started.
var ErrNoGuardian = errors.New("cannot start the guardian")

// LeftNote is what Keywarden says when the program ended but left n of its
// processes running, which it then ended: they had the key in their
// environment and nobody watching them (Linux: the guardian; Windows: the
// job object).
func LeftNote(program string, n int) string {
	return fmt.Sprintf("keywarden: %q ended and left %d process(es) running with the key in their environment; Keywarden ended them. Run the program so that it stays in the foreground under \"keywarden exec\".\n", program, n)
}
