//go:build unix

package sweep

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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

// A FIFO among a repository's refs, or in place of its HEAD or packed
// refs, must not hang the read of its history: the view copies regular
// files only.
func TestRun_GitFIFOInRefs(t *testing.T) {
	needGit(t)
	h := newPlantedHome(t)
	commit := h.commitThenRemove(t)
	dotGit := filepath.Join(h.dir, "projects", "oldbot", ".git")
	for _, p := range []string{"refs/heads/fifo", "packed-refs", "logs/refs/heads/fifo"} {
		if err := syscall.Mkfifo(filepath.Join(dotGit, p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	rep, err := Run(ctx, Options{Roots: []string{filepath.Join(h.dir, "projects")}, Keys: h.stored()})
	if err != nil || ctx.Err() != nil {
		t.Fatalf("Run: %v, %v", err, ctx.Err())
	}
	hs := historyHits(rep)
	if len(hs) != 3 || hs[0].Git.Commit != commit || hs[2].Git.Commit != commit {
		t.Errorf("hits (want 3 in commit %s):\n%s problems %q", commit, describe(rep.Hits), rep.GitProblems)
	}
}

// A FIFO in place of a pack index or of the alternates list, or reached
// through a link among the packs, which git opens with a blocking open,
// makes the history a problem at once; the files are still swept.
func TestRun_GitFIFOInObjects(t *testing.T) {
	needGit(t)
	for _, c := range []struct{ fifo, named string }{
		{"objects/pack/pack-1.idx", "objects/pack/pack-1.idx"},
		{"objects/info/alternates", "objects/info/alternates"},
		{"elsewhere", "objects/pack/pack-1.idx"}, // a link to the FIFO
	} {
		t.Run(c.fifo, func(t *testing.T) {
			h := newPlantedHome(t)
			h.commitThenRemove(t)
			repo := filepath.Join(h.dir, "projects", "oldbot")
			dotGit := filepath.Join(repo, ".git")
			write(t, dotGit, "objects/pack/pack-1.pack", "")
			fifo, named := filepath.Join(dotGit, filepath.FromSlash(c.fifo)), filepath.Join(dotGit, filepath.FromSlash(c.named))
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Fatal(err)
			}
			if named != fifo {
				if err := os.Symlink(fifo, named); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			rep, err := Run(ctx, Options{Roots: []string{filepath.Join(h.dir, "projects")}, Keys: h.stored()})
			if err != nil || ctx.Err() != nil {
				t.Fatalf("Run: %v, %v", err, ctx.Err())
			}
			want := "The history of " + repo + " could not be read (" + named + " is not a regular file"
			if len(rep.GitProblems) != 1 || !strings.HasPrefix(rep.GitProblems[0], want) {
				t.Errorf("git problems %q, want one starting %q", rep.GitProblems, want)
			}
			if len(hitsAt(rep, "trader/.env")) != 2 {
				t.Errorf("the files were not swept:\n%s", describe(rep.Hits))
			}
		})
	}
}
