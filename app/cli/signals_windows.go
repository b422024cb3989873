package cli

import (
	"os"
	"os/signal"
	"syscall"
)

// relaySignals keeps Keywarden alive through the console events that reach
// exec's program by themselves, so that Keywarden waits for the program and
// returns its exit code. Windows has no signals to pass on: Ctrl+C,
// Ctrl+Break and the console being closed (CTRL_CLOSE_EVENT) go from the
// console to every process attached to it, the program included, whatever
// Keywarden does. What Keywarden must not do is end first, and it would:
// Go turns Ctrl+C and Ctrl+Break into os.Interrupt and CTRL_CLOSE_EVENT
// into syscall.SIGTERM (also CTRL_LOGOFF_EVENT and CTRL_SHUTDOWN_EVENT,
// which Windows sends only to console programs that load no user32, so
// not to keywarden.exe, a GUI program), and a process that has not asked
// for them is ended by Windows' default handler at once. So both are
// asked for, and left unread, while the program runs:
//
//   - Ctrl+C or Ctrl+Break: the program decides whether to stop, as it
//     would without Keywarden; Keywarden returns its exit code, as a
//     shell does. A program with no console (a GUI program) gets neither
//     key; closing it ends exec.
//   - The console closed: Windows ends each process of the console that
//     has not exited a few seconds (5 by default) after its event. Go
//     holds Keywarden's handler until then, so Keywarden keeps waiting
//     and returns if the program ends in time. Ending at once instead
//     would close the job object (bindToParent) and kill the program
//     before its own few seconds to shut down were up.
//
// started is not needed here, and stop ends the catching.
func relaySignals() (started func(*os.Process), stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	return func(*os.Process) {}, func() { signal.Stop(sigs) }
}

// exitCode returns the program's exit code, all 32 bits of it: a program
// that Ctrl+C ended through Windows' default handler exits with
// STATUS_CONTROL_C_EXIT (0xC000013A), and cmd.exe's %ERRORLEVEL% after
// Keywarden is then the same as without it.
func exitCode(ps *os.ProcessState) int { return ps.ExitCode() }
