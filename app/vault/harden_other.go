//go:build !linux

package vault

// Harden does nothing on this system; on Linux it marks the process
// non-dumpable.
func Harden() error { return nil }
