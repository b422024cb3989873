//go:build !(linux || freebsd || windows)

package cli

import "os/exec"

// bindToParent does nothing here: macOS and the other BSDs have no
// parent-death signal, so a program exec started keeps running if
// Keywarden is killed with a signal it cannot catch. Signals Keywarden can
// catch are passed on (relaySignals). The README's "Known limits" says so.
func bindToParent(*exec.Cmd) (release func()) { return func() {} }
