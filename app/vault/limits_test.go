package vault

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// allocated returns the bytes fn allocated.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// oversize makes path a sparse file one byte over MaxFileSize: it takes no
// disk space, but reading it whole would take 64 MiB of memory.
func oversize(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
}

func TestStore_oversizedFileIsRefusedUnread(t *testing.T) {
	s := openTemp(t)
	mustUpdate(t, s, func(d *Data) error { _, err := d.Add(sampleRecord("koinly-tax")); return err })
	mustUpdate(t, s, func(d *Data) error { _, err := d.Add(sampleRecord("freqtrade")); return err })
	oversize(t, s.Path())

	var err error
	alloc := allocated(func() { _, err = s.Load() })
	if !errors.Is(err, ErrDamaged) || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Load = %v, want a damaged file that is too large", err)
	}
	if alloc > 1<<20 {
		t.Errorf("Load allocated %d bytes: the file was read", alloc)
	}
	if msg := UserMessage(err); !strings.Contains(msg, "larger than 64 MiB") || !strings.Contains(msg, "backup") {
		t.Errorf("UserMessage = %q", msg)
	}
	if err := s.Update(func(*Data) error { return nil }); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Update = %v, want it refused", err)
	}
	if st, _ := os.Stat(s.Path()); st.Size() != MaxFileSize+1 {
		t.Errorf("the oversized file was written over (%d bytes)", st.Size())
	}
	// The backup restores, as for any damaged file.
	if _, err := s.RestoreBackup(); err != nil {
		t.Fatalf("RestoreBackup: %v", err)
	}
	if d, err := s.Load(); err != nil || len(d.Records) != 1 {
		t.Fatalf("after the restore: %v records, %v", d, err)
	}
}

func TestReadFileLimit_endlessFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/zero on Windows")
	}
	// No size, never ends: a device is refused before a byte is read.
	if _, err := ReadFileLimit("/dev/zero", 1<<20); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("ReadFileLimit(/dev/zero) = %v, want a refusal as not a regular file", err)
	}
}

func TestStore_symlinkIsRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("making a symbolic link needs an administrator's right on Windows; the check is the same Lstat")
	}
	s := openTemp(t)
	target := filepath.Join(t.TempDir(), "elsewhere.json")
	const content = "someone else's file\n"
	if err := os.WriteFile(target, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, s.Path()); err != nil {
		t.Fatal(err)
	}
	_, err := s.Load()
	var link *SymlinkError
	if !errors.As(err, &link) || link.Target != target {
		t.Fatalf("Load = %v, want a *SymlinkError to %s", err, target)
	}
	if msg := UserMessage(err); !strings.Contains(msg, "symbolic link") || !strings.Contains(msg, target) {
		t.Errorf("UserMessage = %q", msg)
	}
	err = s.Update(func(d *Data) error { _, err := d.Add(sampleRecord("koinly-tax")); return err })
	if !errors.Is(err, ErrSymlink) {
		t.Fatalf("Update = %v, want ErrSymlink", err)
	}
	if b, _ := os.ReadFile(target); string(b) != content {
		t.Errorf("the link's target was changed: %q", b)
	}
	if st, err := os.Lstat(s.Path()); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("keys.json is no longer the link: %v", err)
	}
	if _, err := os.Lstat(s.BackupPath()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a keys.json.bak was made from the link: %v", err)
	}
}

func TestStore_backupHasTheFilesMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix file modes")
	}
	s := openTemp(t)
	mustUpdate(t, s, func(d *Data) error { _, err := d.Add(sampleRecord("a")); return err })
	// As an older version, or a hand edit, may have left it.
	if err := os.Chmod(s.Path(), 0o644); err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, s, func(d *Data) error { _, err := d.Add(sampleRecord("b")); return err })
	for _, p := range []string{s.Path(), s.BackupPath()} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(p), st.Mode().Perm())
		}
	}
}
