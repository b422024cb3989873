//go:build unix

package guard

import (
	"testing"

	"github.com/keywarden/keywarden/app/internal/testfiles"
	"github.com/keywarden/keywarden/app/vault"
)

func TestFileState_irregular(t *testing.T) {
	for _, irr := range testfiles.Irregulars {
		t.Run(irr.Name, func(t *testing.T) {
			f := OpenState(t.TempDir())
			irr.Make(t, f.Path())
			testfiles.RefusedAtOnce(t, map[string]func() error{
				"Load":   func() error { _, err := f.Load(); return err },
				"Update": func() error { return f.Update(func(*State) error { return nil }) },
			}, vault.ErrNotRegular, StateName)
		})
	}
}
