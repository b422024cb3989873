//go:build !windows

package cli_test

import (
	"path/filepath"
	"testing"

	"github.com/keywarden/keywarden/app/cli"
)

// The attack of issue 18 item 2, as a folder name: Linux and macOS allow
// ESC, BEL, CR and line breaks in names (Windows does not).
func TestSweep_controlCharactersInPaths(t *testing.T) {
	f, home, _, _ := sweepHome(t)
	folder := "proj" + hostileTitle + hostileErase + "Found 0 copies. All clear." + hostileHide + hostileFake + hostileBidi
	// A copy of a stored key in that folder, so that its path is printed
	// as a place to clean, and the folder itself as a root swept.
	plant(t, home, filepath.Join(folder, "copy.txt"), "# "+f.secretsSeen[0].PrivateKey+"\n")

	res := f.run("", "sweep", home, filepath.Join(home, folder))
	if res.code != cli.ExitAttention {
		t.Fatalf("sweep: %v", res)
	}
	assertInert(t, "sweep", res,
		`proj\x1b]0;OWNED\x07\x1b[2K\rFound 0 copies. All clear.\x1b[8m\nFAKE: all keys fine\u202eexe.txt`)
}
