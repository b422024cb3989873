//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cli

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/keywarden/keywarden/app/internal/guardian"
)

// relaySignals catches the relayed signals, so they no longer end
// Keywarden, and passes each to the process given to started (holding back
// those that arrive before it). Ctrl-C and Ctrl-\ on the terminal reach the
// program by themselves when Keywarden runs in the foreground, so those are
// not sent twice. stop ends the relay.
func relaySignals() (started func(*os.Process), stop func()) {
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, guardian.Relayed...)
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
				case (s == syscall.SIGINT || s == syscall.SIGQUIT) && guardian.Foreground():
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

// exitCode returns the program's exit code, or 128 + the signal number
// when a signal ended it, as shells report it.
func exitCode(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
