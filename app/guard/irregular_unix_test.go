//go:build unix

package guard

import (
	"errors"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/internal/testfiles"
	"github.com/keywarden/keywarden/app/vault"
)

func TestFileState_irregular(t *testing.T) {
	for _, irr := range testfiles.Irregulars {
		t.Run(irr.Name, func(t *testing.T) {
			f := OpenState(t.TempDir())
			irr.Make(t, f.Path())
			for op, fn := range map[string]func() error{
				"Load":   func() error { _, err := f.Load(); return err },
				"Update": func() error { return f.Update(func(*State) error { return nil }) },
			} {
				err := testfiles.Within(t, op, fn)
				if !errors.Is(err, vault.ErrNotRegular) {
					t.Fatalf("%s: %v, want a refusal as not a regular file", op, err)
				}
				if !strings.Contains(err.Error(), StateName) {
					t.Errorf("%s: %q does not name %s", op, err, StateName)
				}
			}
		})
	}
}
