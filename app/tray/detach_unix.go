//go:build unix

package tray

import (
	"os/exec"
	"syscall"
)

// detach puts the command in a session of its own, so a signal to this
// process's group (a terminal's Ctrl-C) does not reach it.
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }
