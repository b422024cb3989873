// Package testfiles writes the files a test plants in a temporary folder
// (a home with copies of keys, a bot's config). It is imported by tests
// only.
package testfiles

import (
	"os"
	"path/filepath"
	"testing"
)

// Write creates the file rel (slash-separated) under dir with text and
// mode, making its folders, and returns its path.
func Write(t testing.TB, dir, rel, text string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	return p
}
