package cli

import (
	"os/exec"
	"runtime"
	"syscall"
)

// bindToParent makes cmd start the guardian (guardian_linux.go) rather than
// the program, so that the program and every process it starts end when
// Keywarden dies, however it dies, or when the program ends. The guardian
// gets parentDeathSignal when Keywarden dies. That signal is tied to the
// thread that starts the guardian, not to the process: were that thread to
// end while the guardian runs (Go ends a thread when a goroutine locked to
// it exits), the guardian would end the program. So the calling goroutine
// stays locked to its thread until release is called, after Wait: no other
// goroutine can run on it, lock it and end it meanwhile.
//
// The guardian is Keywarden's own binary, started through /proc/self/exe:
// the same file even if it was replaced or removed since Keywarden started.
// The program's environment, the key in it, reaches the guardian as the
// program would have had it: never on a command line.
func bindToParent(cmd *exec.Cmd) (release func()) {
	cmd.Args = append([]string{"keywarden"}, guardianArgs(cmd.Path, cmd.Args)...)
	cmd.Path = "/proc/self/exe"
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = parentDeathSignal
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}
