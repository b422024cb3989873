//go:build !unix

package tray

import "os/exec"

func detach(*exec.Cmd) {}
