//go:build !unix && !windows

package tray

import "os/exec"

func detach(*exec.Cmd) {}
