//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package cli

import (
	"os"
	"os/signal"
)

// relaySignals catches Ctrl-C while exec's program runs, so Keywarden waits
// for the program instead of ending first; the terminal delivers Ctrl-C to
// the program by itself.
func relaySignals() (started func(*os.Process), stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	return func(*os.Process) {}, func() { signal.Stop(sigs) }
}

// exitCode returns the program's exit code.
func exitCode(ps *os.ProcessState) int { return ps.ExitCode() }
