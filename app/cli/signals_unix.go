//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cli

import (
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// relayed are the signals exec passes on to its program.
var relayed = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2}

// relaySignals catches the relayed signals, so they no longer end
// Keywarden, and passes each to the process given to started (holding back
// those that arrive before it). Ctrl-C and Ctrl-\ on the terminal reach the
// program by themselves when Keywarden runs in the foreground, so those are
// not sent twice. stop ends the relay.
func relaySignals() (started func(*os.Process), stop func()) {
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, relayed...)
	procs := make(chan *os.Process, 1)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var p *os.Process
		var held []os.Signal
		for {
			select {
			case p = <-procs:
				for _, s := range held {
					_ = p.Signal(s)
				}
				held = nil
			case s := <-sigs:
				switch {
				case (s == syscall.SIGINT || s == syscall.SIGQUIT) && foreground():
				case p == nil:
					held = append(held, s)
				default:
					_ = p.Signal(s)
				}
			case <-done:
				return
			}
		}
	}()
	return func(p *os.Process) { procs <- p }, func() {
		signal.Stop(sigs)
		close(done)
		<-finished
	}
}

// foreground reports whether this process is in the foreground process
// group of its controlling terminal, where a key typed on the terminal
// signals every process of the group, the program exec runs included.
func foreground() bool {
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return false
	}
	defer tty.Close()
	pgrp, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCGPGRP)
	return err == nil && pgrp == unix.Getpgrp()
}

// exitCode returns the program's exit code, or 128 + the signal number
// when a signal ended it, as shells report it.
func exitCode(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
