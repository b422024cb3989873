package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	for _, tc := range []struct {
		data string
		perm os.FileMode
	}{{"first", 0o600}, {"second, replacing the first", 0o644}} {
		if err := Write(path, []byte(tc.data), tc.perm); err != nil {
			t.Fatal(err)
		}
		if got := read(t, path); got != tc.data {
			t.Errorf("content %q, want %q", got, tc.data)
		}
		if st, _ := os.Stat(path); runtime.GOOS != "windows" && st.Mode().Perm() != tc.perm {
			t.Errorf("mode %v, want %v", st.Mode().Perm(), tc.perm)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the folder holds %d files, want only state.json", len(ents))
	}

	if err := Write(filepath.Join(dir, "missing", "x.json"), nil, 0o600); err == nil {
		t.Error("writing into a missing folder did not fail")
	}
}

func TestWriteThen_failsBeforeRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	refuse := errors.New("refused")
	if err := WriteThen(path, []byte("new"), 0o600, func() error { return refuse }); err != refuse {
		t.Fatalf("got %v, want the step's error", err)
	}
	if got := read(t, path); got != "old" {
		t.Errorf("content %q, want the old one", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the folder holds %d files: the temporary file was left", len(ents))
	}
}

func TestWriteNew(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "backup")
	if err := WriteNew(path, []byte("first"), 0o640); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); runtime.GOOS != "windows" && st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 whatever the umask", st.Mode().Perm())
	}
	if err := WriteNew(path, []byte("second"), 0o600); !errors.Is(err, os.ErrExist) {
		t.Errorf("writing over an existing file: got %v, want it refused", err)
	}
	if got := read(t, path); got != "first" {
		t.Errorf("content %q, want the first write kept", got)
	}
}

func TestRemoveStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	stale := filepath.Join(dir, TempPrefix(path)+"123")
	other := filepath.Join(dir, TempPrefix(filepath.Join(dir, "other.json"))+"456")
	for _, p := range []string{path, stale, other} {
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
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
}
