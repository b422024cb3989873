package cli

import (
	"bufio"

	"golang.org/x/sys/windows"
)

// isTerminal reports whether fd is a console.
func isTerminal(fd int) bool {
	var mode uint32
	return windows.GetConsoleMode(windows.Handle(fd), &mode) == nil
}

// readNoEcho turns echo off on the console fd, calls prompt, reads one
// line through r and turns echo back on.
func readNoEcho(fd int, r *bufio.Reader, prompt func()) (string, error) {
	h := windows.Handle(fd)
	var old uint32
	if err := windows.GetConsoleMode(h, &old); err != nil {
		return "", err
	}
	quiet := old&^windows.ENABLE_ECHO_INPUT | windows.ENABLE_PROCESSED_INPUT | windows.ENABLE_LINE_INPUT
	if err := windows.SetConsoleMode(h, quiet); err != nil {
		return "", err
	}
	defer windows.SetConsoleMode(h, old)
	prompt()
	line, err := r.ReadString('\n')
	if err != nil && line == "" {
		return "", err
	}
	return line, nil
}
