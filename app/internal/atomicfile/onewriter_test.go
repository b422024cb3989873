package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// inPlace names the one file besides this package that flushes a file it
// wrote: app/keys/import.go rewrites a file in place (keeping its inode,
// mode and open handles), which a rename cannot do.
var inPlace = map[string]bool{"app/keys/import.go": true}

// TestOneWriter: no other code of Keywarden writes files durably on its own
// (a flush, f.Sync, is the mark of such a writer): they all go through this
// package, so that a fix to it (a Windows retry, a folder flush) reaches
// every state file.
func TestOneWriter(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "app/internal/atomicfile" || strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") || inPlace[rel] {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), ".Sync()") {
			t.Errorf("%s flushes a file itself: write it through atomicfile", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "app", "keys", "import.go")); err != nil {
		t.Fatalf("the walk did not start at the repository's top: %v", err)
	}
}
