//go:build !windows

package cli

// AttachConsole does nothing outside Windows: a command started from a
// terminal has its standard streams already.
func AttachConsole() {}
