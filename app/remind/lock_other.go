//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package remind

import "os"

// lockFile does nothing on systems without flock or LockFileEx: the tray
// part and the window may then lose each other's changes to the reminders.
func lockFile(*os.File) error { return nil }

func unlockFile(*os.File) error { return nil }

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_ = d.Sync() // not every system can flush a folder
	return nil
}
