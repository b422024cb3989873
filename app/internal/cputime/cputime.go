// Package cputime tells the CPU time this process has used, so a
// benchmark on a busy machine can report its own work apart from the time
// it waited for a core. It is imported by tests only.
package cputime

import "time"

// Used returns the CPU time this process has used, user and system; ok is
// false where the system does not say.
func Used() (d time.Duration, ok bool) { return used() }
