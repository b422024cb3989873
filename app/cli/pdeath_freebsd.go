package cli

import (
	"os/exec"
	"runtime"
	"syscall"
)

// parentDeathSignal is what the program exec runs gets when Keywarden dies
// without passing a signal on (SIGKILL, a crash, the OOM killer): SIGKILL,
// so no program keeps running with the key in its environment after the
// Keywarden that handed it out is gone. Signals Keywarden receives and can
// catch are still passed on as they come (relaySignals).
//
// Only the program itself gets it: a process the program started keeps
// running. FreeBSD has what Linux's guardian (app/internal/guardian) is built
// on, procctl(PROC_REAP_ACQUIRE) for a reaper and PROC_PDEATHSIG_CTL, so
// the same guardian could be built here; it is not yet.
const parentDeathSignal = syscall.SIGKILL

// bindToParent asks the kernel to send parentDeathSignal to cmd's process
// when Keywarden dies. The signal is tied to the thread that starts the
// program, not to the process: were that thread to end while the program
// runs (Go ends a thread when a goroutine locked to it exits), the program
// would be killed. So the calling goroutine stays locked to its thread
// until release is called, after Wait: no other goroutine can run on it,
// lock it and end it meanwhile.
func bindToParent(cmd *exec.Cmd) (release func() (ended int)) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = parentDeathSignal
	runtime.LockOSThread()
	return func() int { runtime.UnlockOSThread(); return 0 }
}
