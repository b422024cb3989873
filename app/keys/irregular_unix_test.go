//go:build unix

package keys_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/internal/testfiles"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
)

// TestService_irregularStateFiles puts a named pipe, a folder or a link to
// /dev/zero in place of each state file: every workflow that reads it
// returns at once, and the person is told which file is wrong.
func TestService_irregularStateFiles(t *testing.T) {
	for _, name := range []string{vault.FileName, keys.SettingsName, remind.FileName} {
		for _, irr := range testfiles.Irregulars {
			t.Run(irr.Name+" as "+name, func(t *testing.T) {
				f := newFixture(t)
				irr.Make(t, filepath.Join(f.store.Dir(), name))
				var snapErr error
				err := testfiles.Within(t, "Snapshot", func() error {
					snap, err := f.svc.Snapshot()
					if err == nil {
						snapErr = errors.Join(snap.SettingsErr, snap.RemindersErr)
					}
					return err
				})
				if err == nil {
					err = snapErr
				}
				if err == nil {
					t.Fatal("Snapshot reported nothing")
				}
				if msg := keys.UserMessage(err); !strings.Contains(msg, name) {
					t.Errorf("message %q does not name %s", msg, name)
				}
				if name == vault.FileName && errors.Is(err, vault.ErrSymlink) {
					return // keys.json is never read through a link at all
				}
				if !errors.Is(err, vault.ErrNotRegular) {
					t.Errorf("Snapshot: %v, want a refusal as not a regular file", err)
				}
			})
		}
	}
}

func TestSettingsFile_irregular(t *testing.T) {
	for _, irr := range testfiles.Irregulars {
		t.Run(irr.Name, func(t *testing.T) {
			dir := t.TempDir()
			sf := testSettings(dir, dir)
			irr.Make(t, sf.Path())
			err := testfiles.Within(t, "Update", func() error {
				return sf.Update(func(s *keys.Settings) error { s.Notifications = false; return nil })
			})
			if !errors.Is(err, vault.ErrNotRegular) {
				t.Fatalf("Update: %v, want a refusal as not a regular file", err)
			}
			if msg := keys.UserMessage(err); !strings.Contains(msg, keys.SettingsName) {
				t.Errorf("message %q does not name %s", msg, keys.SettingsName)
			}
		})
	}
}
