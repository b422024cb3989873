//go:build !(linux || freebsd || netbsd || openbsd || dragonfly)

package vault

// sessionBusMissing is false where the keyring is not on D-Bus.
func sessionBusMissing() bool { return false }
