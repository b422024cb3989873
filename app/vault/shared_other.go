//go:build !windows

package vault

import "os"

// openShared opens the file at path for reading, without waiting (see
// openNonblock). (On Windows it opens the file so that a rename over it can
// still happen meanwhile.)
func openShared(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|openNonblock, 0)
}
