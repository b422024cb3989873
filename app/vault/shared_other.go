//go:build !windows

package vault

import "os"

// ReadFile reads the file at path: os.ReadFile. (On Windows it opens the
// file so that a rename over it can still happen meanwhile.)
func ReadFile(path string) ([]byte, error) { return os.ReadFile(path) }

// rename is os.Rename (on Windows, tried again while the file is busy).
func rename(from, to string) error { return os.Rename(from, to) }
