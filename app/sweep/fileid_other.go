//go:build !unix

package sweep

import "os"

// fileID is empty where the system has no inode numbers; symbolic links
// are not followed anyway, so only a mount loop could bring a folder twice.
type fileID struct {
	dev uint64
}

func idOf(os.FileInfo) (fileID, bool) { return fileID{}, false }

func openNoBlock(name string) (*os.File, error) { return os.Open(name) }
