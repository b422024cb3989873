package vault

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	for _, tc := range []struct {
		data string
		perm os.FileMode
	}{{"first", 0o600}, {"second, replacing the first", 0o644}} {
		if err := WriteFileAtomic(path, []byte(tc.data), tc.perm); err != nil {
			t.Fatal(err)
		}
		if got := string(readFile(t, path)); got != tc.data {
			t.Errorf("content %q, want %q", got, tc.data)
		}
		if st, _ := os.Stat(path); runtime.GOOS != "windows" && st.Mode().Perm() != tc.perm {
			t.Errorf("mode %v, want %v", st.Mode().Perm(), tc.perm)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the folder holds %d files, want only state.json", len(ents))
	}

	if err := WriteFileAtomic(filepath.Join(dir, "missing", "x.json"), nil, 0o600); err == nil {
		t.Error("writing into a missing folder did not fail")
	}
}

func TestWriteFileAtomic_failsBeforeRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	os.WriteFile(path, []byte("old"), 0o600)
	refuse := errors.New("refused")
	if err := writeFileAtomic(path, []byte("new"), 0o600, func() error { return refuse }); err != refuse {
		t.Fatalf("got %v, want the step's error", err)
	}
	if got := string(readFile(t, path)); got != "old" {
		t.Errorf("content %q, want the old one", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the folder holds %d files: the temporary file was left", len(ents))
	}
}

func TestRemoveStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	stale := filepath.Join(dir, tempPrefix(path)+"123")
	other := filepath.Join(dir, tempPrefix(filepath.Join(dir, "other.json"))+"456")
	for _, p := range []string{path, stale, other} {
		os.WriteFile(p, nil, 0o600)
	}
	RemoveStaleTemps(path)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("the stale temporary file is still there")
	}
	for _, p := range []string{path, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed", filepath.Base(p))
		}
	}
	if tempPrefix(filepath.Join(dir, FileName)) != tmpPrefix || tempPrefix(filepath.Join(dir, BackupName)) != bakTmpPrefix {
		t.Error("the store's temporary names do not follow tempPrefix")
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
