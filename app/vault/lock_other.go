//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package vault

import "os"

// lockFile does nothing on systems without flock or LockFileEx: two copies
// of Keywarden running at once may then lose each other's changes.
func lockFile(*os.File) error { return nil }

func unlockFile(*os.File) error { return nil }
