package remind

import (
	"errors"
	"os"
	"runtime"
	"testing"

	"github.com/keywarden/keywarden/app/vault"
)

func TestStateFile_oversizedFileIsRefusedUnread(t *testing.T) {
	f := OpenState(t.TempDir())
	fh, err := os.Create(f.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := fh.Truncate(vault.MaxFileSize + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	fh.Close()

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	st, err := f.Load()
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrDamaged) || !isEmpty(st) {
		t.Fatalf("Load = %v, %v; want an empty state and ErrDamaged", st, err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("Load allocated %d bytes: the file was read", n)
	}
	// The next save sets it aside and starts afresh.
	if err := f.Update(func(*State) {}); err != nil {
		t.Fatal(err)
	}
	if st, err := f.Load(); err != nil || !isEmpty(st) {
		t.Fatalf("after Update: %v, %v", st, err)
	}
}
