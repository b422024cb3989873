//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package guardian

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// Relayed are the signals passed on to the program exec runs: by
// Keywarden to the program (or to the guardian), and by the guardian to
// the program. One list, so the two cannot drift apart.
var Relayed = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2}

// Foreground reports whether this process is in the foreground process
// group of its controlling terminal, where a key typed on the terminal
// signals every process of the group, the program exec runs included, so
// Ctrl-C and Ctrl-\ must not be passed on a second time.
func Foreground() bool {
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return false
	}
	defer tty.Close()
	pgrp, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCGPGRP)
	return err == nil && pgrp == unix.Getpgrp()
}
