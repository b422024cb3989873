package cli

import (
	"os/exec"
	"runtime"

	"github.com/keywarden/keywarden/app/internal/guardian"
)

// bindToParent keeps the calling goroutine on its thread until release is
// called, after Wait: startBound starts the guardian (app/internal/guardian)
// with a parent-death signal, which is tied to the thread that starts it,
// not to the process. Were that thread to end while the guardian runs (Go
// ends a thread when a goroutine locked to it exits), the guardian would
// end the program. Locked, no other goroutine can run on it, lock it and
// end it meanwhile.
//
// release returns 0: the guardian itself ends, and names, the processes
// the program left running.
func bindToParent(*exec.Cmd) (release func() (ended int)) {
	runtime.LockOSThread()
	return func() int { runtime.UnlockOSThread(); return 0 }
}

// startBound starts cmd's program under a guardian, which ends the program
// and every process it started, however it started them, when Keywarden
// dies (however it dies) or when the program ends.
func startBound(cmd *exec.Cmd) error { return guardian.Start(cmd) }
