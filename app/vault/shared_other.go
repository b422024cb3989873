//go:build !windows

package vault

import "os"

// openShared opens the file at path for reading: os.Open. (On Windows it
// opens the file so that a rename over it can still happen meanwhile.)
func openShared(path string) (*os.File, error) { return os.Open(path) }

// rename is os.Rename (on Windows, tried again while the file is busy).
func rename(from, to string) error { return os.Rename(from, to) }
