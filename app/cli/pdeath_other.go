//go:build !(linux || freebsd)

package cli

import "os/exec"

// bindToParent does nothing here: macOS, the other BSDs and Windows have no
// parent-death signal, so a program exec started keeps running if
// Keywarden is killed with a signal it cannot catch (on Windows, a job
// object would be the nearest equivalent; it is not used yet). Signals
// Keywarden can catch are passed on (relaySignals). The README's "Known
// limits" says so.
func bindToParent(*exec.Cmd) (release func()) { return func() {} }
