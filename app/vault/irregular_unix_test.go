//go:build unix

package vault

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/internal/testfiles"
)

// wantIrregular fails unless err refuses name as not a regular file, in
// words that name the file.
func wantIrregular(t *testing.T, err error, name string) {
	t.Helper()
	if !errors.Is(err, ErrNotRegular) {
		t.Fatalf("got %v, want a refusal of %s as not a regular file", err, name)
	}
	if msg := UserMessage(err); !strings.Contains(msg, name) || !strings.Contains(msg, "not a regular file") {
		t.Errorf("message %q does not say that %s is not a regular file", msg, name)
	}
}

func TestReadFileLimit_irregular(t *testing.T) {
	for _, irr := range testfiles.Irregulars {
		t.Run(irr.Name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json")
			irr.Make(t, path)
			err := testfiles.Within(t, "ReadFileLimit", func() error { _, err := ReadFileLimit(path, MaxFileSize); return err })
			wantIrregular(t, err, "state.json")
			err = testfiles.Within(t, "ReadFile", func() error { _, err := ReadFile(path); return err })
			wantIrregular(t, err, "state.json")
			err = testfiles.Within(t, "LockFile", func() error {
				unlock, err := LockFile(path)
				if err == nil {
					unlock()
				}
				return err
			})
			wantIrregular(t, err, "state.json")
		})
	}
}

// A symbolic link to a regular file is a setup some people choose (a
// config kept in a synced folder): it is followed.
func TestReadFileLimit_followsLinkToRegularFile(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.json")
	if err := os.WriteFile(real, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "state.json")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFileLimit(link, MaxFileSize); err != nil || string(b) != "{}" {
		t.Fatalf("ReadFileLimit through a link: %q, %v", b, err)
	}
}

func TestStore_irregularFile(t *testing.T) {
	for _, irr := range testfiles.Irregulars {
		t.Run(irr.Name+" as keys.json", func(t *testing.T) {
			s := openTemp(t)
			irr.Make(t, s.Path())
			for op, fn := range map[string]func() error{
				"Load":   func() error { _, err := s.Load(); return err },
				"Update": func() error { return s.Update(func(*Data) error { return nil }) },
			} {
				err := testfiles.Within(t, op, fn)
				if errors.Is(err, ErrSymlink) {
					continue // keys.json is never read through a link at all
				}
				wantIrregular(t, err, FileName)
			}
		})
		t.Run(irr.Name+" as keys.json.bak", func(t *testing.T) {
			s := openTemp(t)
			if err := os.WriteFile(s.Path(), []byte("{damaged"), 0o600); err != nil {
				t.Fatal(err)
			}
			irr.Make(t, s.BackupPath())
			err := testfiles.Within(t, "RestoreBackup", func() error { _, err := s.RestoreBackup(); return err })
			wantIrregular(t, err, BackupName)
			if b, _ := os.ReadFile(s.Path()); string(b) != "{damaged" {
				t.Errorf("keys.json changed to %q", b)
			}
		})
		t.Run(irr.Name+" as keys.lock", func(t *testing.T) {
			s := openTemp(t)
			irr.Make(t, filepath.Join(s.Dir(), LockName))
			err := testfiles.Within(t, "Update", func() error { return s.Update(func(*Data) error { return nil }) })
			wantIrregular(t, err, LockName)
		})
	}
}
