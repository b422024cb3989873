package tray

import (
	"os/exec"
	"syscall"

	"golang.org/x/sys/windows"
)

// detach starts the command in a process group of its own and without a
// console, so it outlives this process, a Ctrl+C in this process's
// console does not reach it, and no console window opens for it.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{
		CreationFlags: windows.CREATE_NEW_PROCESS_GROUP | windows.DETACHED_PROCESS,
	}
}
