//go:build !(linux || freebsd || windows)

package cli

import "os/exec"

// bindToParent does nothing here: macOS and the other BSDs have no
// parent-death signal and no way to become the reaper of a process's
// orphans (Linux's PR_SET_CHILD_SUBREAPER, FreeBSD's PROC_REAP_ACQUIRE), so
// a program exec started, and whatever it started, keeps running if
// Keywarden is killed with a signal it cannot catch. Signals Keywarden can
// catch are passed on (relaySignals). The README's "Known limits" says so.
// (A guardian polling getppid() could stop the program itself, but not the
// processes that left its process group; that is not done.)
func bindToParent(*exec.Cmd) (release func() (ended int)) { return func() int { return 0 } }
