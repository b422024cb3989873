package vault

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/internal/atomicfile"
)

// TestTempNames: the store's temporary files are named as atomicfile
// names them, so that atomicfile.RemoveStaleTemps deletes what a killed
// save left.
func TestTempNames(t *testing.T) {
	dir := t.TempDir()
	if atomicfile.TempPrefix(filepath.Join(dir, FileName)) != tmpPrefix || atomicfile.TempPrefix(filepath.Join(dir, BackupName)) != bakTmpPrefix {
		t.Error("the store's temporary names do not follow atomicfile.TempPrefix")
	}
}

func TestLockFile(t *testing.T) {
	switch runtime.GOOS {
	case "linux", "android", "darwin", "ios", "freebsd", "netbsd", "openbsd", "dragonfly", "windows":
	default:
		t.Skip("no file locks on " + runtime.GOOS)
	}
	path := filepath.Join(t.TempDir(), "x.lock")
	unlock, err := LockFile(path)
	if err != nil {
		t.Fatal(err)
	}
	locked := make(chan func(), 1)
	go func() {
		unlock2, err := LockFile(path)
		if err != nil {
			t.Error(err)
		}
		locked <- unlock2
	}()
	select {
	case <-locked:
		t.Fatal("a second LockFile got the lock while the first held it")
	case <-time.After(100 * time.Millisecond):
	}
	unlock()
	select {
	case unlock2 := <-locked:
		if unlock2 != nil {
			unlock2()
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second LockFile did not get the lock after unlock")
	}
	if _, err := os.Stat(path); err != nil {
		t.Error("the lock file is gone:", err)
	}
}
