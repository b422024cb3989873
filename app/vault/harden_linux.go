package vault

import "golang.org/x/sys/unix"

// Harden marks the process non-dumpable, as KeePassXC does: no core dump is
// written, and other programs of the same user can neither ptrace it nor
// read its memory through /proc. Call it first thing in main.
func Harden() error {
	return unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0)
}
