//go:build unix

package sweep

import (
	"path/filepath"
	"syscall"
	"testing"
)

// A FIFO with no writer: opening it for reading the usual way blocks for
// ever; the sweep must skip it and finish.
func TestRun_SkipsFIFO(t *testing.T) {
	k := newKey(t, "k", "")
	dir := t.TempDir()
	write(t, dir, "a.env", "KRAKEN_API_KEY="+k.APIKey+"\n")
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := sweepDir(t, Options{Roots: []string{dir}, Keys: []Key{k}})
	if rep.Special != 1 || len(rep.Hits) != 1 {
		t.Errorf("special %d, want 1 (the FIFO); hits:\n%s", rep.Special, describe(rep.Hits))
	}
}

// A regular file that turns into a FIFO between the listing and the read
// must not block either: the worker opens without waiting for a writer.
func TestWorker_FIFOInPlaceOfAFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	s := &sweeper{opt: Options{MaxFileSize: DefaultMaxFileSize}, m: newMatcher(nil), rep: &Report{}}
	w := &worker{s: s, sc: scanner{m: s.m}}
	w.file(job{path: p, root: filepath.Dir(p)})
	if s.rep.Special != 1 {
		t.Fatalf("special %d, want 1", s.rep.Special)
	}
}
