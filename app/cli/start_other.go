//go:build !linux

package cli

import "os/exec"

// startBound starts cmd's program; bindToParent did what this system
// offers to tie it to Keywarden.
func startBound(cmd *exec.Cmd) error { return cmd.Start() }
