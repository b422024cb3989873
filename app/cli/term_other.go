//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package cli

import (
	"bufio"
	"errors"
)

// isTerminal reports false: on this system Keywarden cannot turn echo off,
// so it never prompts for a secret and reads stdin as lines instead.
func isTerminal(int) bool { return false }

func readNoEcho(int, *bufio.Reader, func()) (string, error) {
	return "", errors.New("reading without echo is not supported on this system")
}
