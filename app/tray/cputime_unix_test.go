//go:build unix

package tray

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time this process has used, user and system,
// so a benchmark on a busy machine can report its own work apart from
// the time it waited for a core.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
