//go:build unix

package testfiles

import (
	"os"
	"syscall"
	"testing"
)

// Irregular is a thing that is not a regular file, to put where a program
// expects one of its state files.
type Irregular struct {
	Name string // for t.Run: "a named pipe"
	Make func(t testing.TB, path string)
}

// Irregulars are the things a state file can be replaced with: a named
// pipe (an open for reading waits for a writer for ever), a folder, and a
// symbolic link to /dev/zero (endless data).
var Irregulars = []Irregular{
	{"a named pipe", func(t testing.TB, path string) {
		t.Helper()
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Fatal(err)
		}
	}},
	{"a folder", func(t testing.TB, path string) {
		t.Helper()
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
	}},
	{"a link to /dev/zero", func(t testing.TB, path string) {
		t.Helper()
		if err := os.Symlink("/dev/zero", path); err != nil {
			t.Fatal(err)
		}
	}},
}
