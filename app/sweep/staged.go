package sweep

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// StagedOptions says which repository's staged changes Staged checks.
type StagedOptions struct {
	// Dir is a folder inside the repository's work tree (default: the
	// current folder). Relative GitDir and IndexFile are taken from it.
	Dir string
	// GitDir is the repository's git folder when the environment names
	// one ($GIT_DIR); "" finds it from Dir upwards.
	GitDir string
	// IndexFile is the index to read ($GIT_INDEX_FILE, which git sets for
	// a pre-commit hook: `git commit -a` and `git commit PATH` commit a
	// temporary index, not .git/index); "" means the repository's own.
	IndexFile string
	// Keys are the stored keys to look for.
	Keys []Key
	// MaxFileSize is the largest staged file read (default
	// DefaultMaxFileSize); bigger ones are named in NotChecked.
	MaxFileSize int64
	// Git is the git program (default "git" from PATH).
	Git string
}

// StagedReport is what the staged changes of a repository hold.
type StagedReport struct {
	// Repo is the top folder of the work tree.
	Repo string `json:"repo"`
	// Files is how many staged files were read, Bytes their size.
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
	// Hits are the copies found; each Path is the file in the work tree.
	Hits []Hit `json:"hits"`
	// NotChecked names the staged files too big to read (slash
	// separated, as in the repository).
	NotChecked []string `json:"notChecked,omitempty"`
}

// ErrNoRepository is returned by Staged outside any git work tree.
var ErrNoRepository = errors.New("not inside a git repository")

// emptyTrees are the empty tree's names, what a first commit is compared
// with.
var emptyTrees = map[string]string{
	"sha1":   "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
	"sha256": "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321",
}

// Staged checks what is staged for the next commit of the repository
// holding opt.Dir: every file the commit adds or changes, read whole from
// the index, for the stored keys and for Kraken-shaped keys not in the
// vault, with the same matcher as Run. Like the history sweep, git reads
// a private view of the repository (gitview.go) with the index handed to
// it, so nothing the repository or GIT_* names runs: no hook, filter,
// fsmonitor or pager. Each hit's Next says how to take the copy out
// before committing.
func Staged(ctx context.Context, opt StagedOptions) (*StagedReport, error) {
	if opt.MaxFileSize <= 0 {
		opt.MaxFileSize = DefaultMaxFileSize
	}
	if opt.Git == "" {
		opt.Git, _ = exec.LookPath("git")
		if opt.Git == "" {
			return nil, errors.New("git is not installed")
		}
	}
	loc, err := findStaged(opt)
	if err != nil {
		return nil, err
	}
	rep := &StagedReport{Repo: loc.top, Hits: []Hit{}}
	if _, err := os.Lstat(loc.index); errors.Is(err, os.ErrNotExist) {
		return rep, nil // nothing was ever staged
	}
	if err := regularFile(loc.index); err != nil {
		return nil, err
	}
	view, err := newGitView(loc.common)
	if err != nil {
		return nil, err
	}
	defer view.close()
	format, _ := objectFormat(filepath.Join(loc.common, "config"))
	if err := view.setHead(loc.gitDir, len(emptyTrees[format])); err != nil {
		return nil, err
	}
	if err := copySharedIndex(loc.gitDir, view.dir); err != nil {
		return nil, err
	}
	view.env = append(view.env, "GIT_INDEX_FILE="+loc.index)

	changes, err := stagedChanges(ctx, opt.Git, view, emptyTrees[format])
	if err != nil {
		return nil, err
	}
	s := newStagedSweeper(opt)
	if err := s.readStaged(ctx, opt.Git, view, changes, rep); err != nil {
		return nil, err
	}
	s.rep.Hits = placeStaged(s.rep.Hits, loc.top)
	s.finish(opt.Keys)
	for i := range s.rep.Hits {
		s.rep.Hits[i].Next = stagedStep(s.rep.Hits[i], loc.top)
	}
	rep.Hits = s.rep.Hits
	return rep, nil
}

// stagedLoc is where a repository's staged changes are.
type stagedLoc struct {
	top, gitDir, common, index string
}

// findStaged finds the work tree's top, the git folder (a worktree's own
// one, for its HEAD and index), the common folder (objects and refs) and
// the index to read.
func findStaged(opt StagedOptions) (stagedLoc, error) {
	dir, err := filepath.Abs(cmpOr(opt.Dir, "."))
	if err != nil {
		return stagedLoc{}, err
	}
	var loc stagedLoc
	if opt.GitDir != "" {
		loc.top, loc.gitDir = dir, absFrom(dir, opt.GitDir)
	} else {
		for d := dir; ; d = filepath.Dir(d) {
			if fi, err := os.Lstat(filepath.Join(d, ".git")); err == nil && (fi.IsDir() || fi.Mode().IsRegular()) {
				loc.top, loc.gitDir = d, gitDirOf(filepath.Join(d, ".git"))
				break
			}
			if filepath.Dir(d) == d {
				return stagedLoc{}, ErrNoRepository
			}
		}
	}
	if fi, err := os.Stat(loc.gitDir); err != nil || !fi.IsDir() {
		return stagedLoc{}, ErrNoRepository
	}
	loc.common = commonDir(loc.gitDir)
	loc.gitDir, _ = filepath.Abs(loc.gitDir)
	loc.index = filepath.Join(loc.gitDir, "index")
	if opt.IndexFile != "" {
		loc.index = absFrom(dir, opt.IndexFile)
	}
	return loc, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// absFrom makes p absolute, relative to dir.
func absFrom(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// regularFile refuses anything but a regular file (following a link), so
// git never waits on a FIFO put in the index's place.
func regularFile(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", p)
	}
	return nil
}

// copySharedIndex copies a split index's shared part (sharedindex.*,
// which git looks for in its git folder: here the view's) into the view.
func copySharedIndex(gitDir, view string) error {
	shared, _ := filepath.Glob(filepath.Join(gitDir, "sharedindex.*"))
	for _, p := range shared {
		if err := copyData(p, filepath.Join(view, filepath.Base(p))); err != nil {
			return err
		}
	}
	return nil
}

// stagedChange is one file the next commit adds or changes.
type stagedChange struct {
	id, path string
}

// stagedChanges lists the files whose staged content differs from HEAD's
// (from the empty tree, before the first commit), without submodules and
// deletions. HEAD is tried first, so a commit costs one git run here, and
// a second one only when that fails.
func stagedChanges(ctx context.Context, git string, view *gitView, emptyTree string) ([]stagedChange, error) {
	out, err := diffIndex(ctx, git, view, "HEAD")
	if err != nil {
		if view.command(ctx, git, "rev-parse", "--verify", "--quiet", "HEAD").Run() != nil {
			out, err = diffIndex(ctx, git, view, emptyTree) // no commit yet
		}
	}
	if err != nil {
		return nil, err
	}
	return parseDiffIndex(out), nil
}

// diffIndex runs git diff-index --cached against base.
func diffIndex(ctx context.Context, git string, view *gitView, base string) ([]byte, error) {
	cmd := view.command(ctx, git, "diff-index", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev", base, "--")
	var stderr bytes.Buffer
	cmd.Stderr = &limited{w: &stderr, n: 512}
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(firstLine(stderr.String())); msg != "" {
			return nil, fmt.Errorf("git: %s", msg)
		}
		return nil, err
	}
	return out, nil
}

// parseDiffIndex reads `git diff-index --raw -z` output: for each file
// ":oldmode newmode oldid newid status", NUL, the path, NUL.
func parseDiffIndex(out []byte) []stagedChange {
	var changes []stagedChange
	fields := bytes.Split(out, []byte{0})
	for i := 0; i+1 < len(fields); i += 2 {
		meta := strings.Fields(strings.TrimPrefix(string(fields[i]), ":"))
		if len(meta) < 5 {
			continue
		}
		mode, id := meta[1], meta[3]
		if strings.Trim(id, "0") == "" || mode == "160000" {
			continue // deleted, or a submodule's commit
		}
		changes = append(changes, stagedChange{id: id, path: string(fields[i+1])})
	}
	return changes
}

func newStagedSweeper(opt StagedOptions) *sweeper {
	var secretKeys []Key
	for _, k := range opt.Keys {
		if k.APIKey != "" || k.PrivateKey != "" {
			secretKeys = append(secretKeys, k)
		}
	}
	return &sweeper{opt: Options{MaxFileSize: opt.MaxFileSize}, keys: secretKeys, m: newMatcher(secretKeys),
		rep: &Report{Hits: []Hit{}}}
}

// readStaged reads the staged files' contents through `git cat-file
// --batch` and scans each with the matcher (objectHits, as for a
// history's objects); each hit gets the file's repository path in Path for
// now.
func (s *sweeper) readStaged(ctx context.Context, git string, view *gitView, changes []stagedChange, rep *StagedReport) error {
	if len(changes) == 0 {
		return nil
	}
	var ids bytes.Buffer
	for _, c := range changes {
		ids.WriteString(c.id + "\n")
	}
	return view.readBatch(ctx, git, &ids, func(br *bufio.Reader) error {
		return s.readStagedObjects(br, changes, rep)
	}, "cat-file", "--batch")
}

// readStagedObjects reads cat-file's answers, one per change in order.
func (s *sweeper) readStagedObjects(br *bufio.Reader, changes []stagedChange, rep *StagedReport) error {
	sc := scanner{m: s.m}
	var buf []byte
	for _, c := range changes {
		header, err := br.ReadString('\n')
		if err != nil {
			return err
		}
		f := strings.Fields(header)
		if len(f) != 3 || f[0] != c.id {
			return fmt.Errorf("the staged %s cannot be read (git said %q)", c.path, strings.TrimSpace(header))
		}
		size, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return fmt.Errorf("git cat-file said %q", strings.TrimSpace(header))
		}
		if size > s.opt.MaxFileSize {
			rep.NotChecked = append(rep.NotChecked, c.path)
			if _, err := br.Discard(int(size) + 1); err != nil {
				return err
			}
			continue
		}
		if int64(cap(buf)) < size {
			buf = make([]byte, size+size/4)
		}
		doc := buf[:size]
		if err := readObject(br, doc); err != nil {
			return err
		}
		rep.Files++
		rep.Bytes += size
		hits := s.objectHits(&sc, doc)
		prog := programOf(c.path, doc)
		for _, h := range hits {
			h.Path, h.Place, h.Program = c.path, placeOf(c.path), prog
			s.rep.Hits = append(s.rep.Hits, h)
		}
	}
	return nil
}

// placeStaged turns the hits' repository paths into the work tree's
// files.
func placeStaged(hits []Hit, top string) []Hit {
	for i := range hits {
		hits[i].Path = filepath.Join(top, filepath.FromSlash(path.Clean("/" + hits[i].Path))[1:])
		hits[i].root = top
	}
	return hits
}

// stagedStep is a staged copy's next step: take the key out of the file
// (or the file out of the commit) before committing, then what to do
// about the key as for a copy on disk.
func stagedStep(h Hit, top string) string {
	rel, err := filepath.Rel(top, h.Path)
	if err != nil {
		rel = h.Path
	}
	rel = shellQuote(filepath.ToSlash(rel))
	return fmt.Sprintf("Before you commit, take the key out of %s and stage it again (git add -- %s), or leave the file out of the commit (git restore --staged -- %s). %s",
		rel, rel, rel, NextStep(h))
}
