package sweep

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// repo is a git repository found under a root.
type repo struct {
	dir    string // the folder holding .git
	common string // its object store's folder, to read each store once
}

// addRepo notes the repository whose .git (a folder, or a worktree's or
// submodule's link file) is dotGit and, the first time its object store is
// seen, starts reading its history while the walk goes on.
func (s *sweeper) addRepo(dir, dotGit string) {
	if s.opt.NoGit {
		return
	}
	common := commonDir(dotGit)
	s.mu.Lock()
	for _, r := range s.repos {
		if r.common == common {
			s.mu.Unlock()
			return
		}
	}
	r := repo{dir: dir, common: common}
	s.repos = append(s.repos, r)
	s.mu.Unlock()
	s.gitWG.Add(1)
	go func() {
		defer s.gitWG.Done()
		s.readHistory(r)
	}()
}

// commonDir returns the folder of the objects behind a .git folder or
// link file ("gitdir: …"), following a worktree's commondir. It reads
// those files without blocking, so a FIFO in their place cannot hang it.
func commonDir(dotGit string) string {
	gd := gitDirOf(dotGit)
	if b, kind, err := readRaw(filepath.Join(gd, "commondir"), nil, 4<<10); err == nil && kind == kindRegular {
		c := strings.TrimSpace(string(b))
		if !filepath.IsAbs(c) {
			c = filepath.Join(gd, c)
		}
		gd = c
	}
	if abs, err := filepath.Abs(gd); err == nil {
		gd = abs
	}
	return filepath.Clean(gd)
}

// gitDirOf returns the git folder behind a .git folder or link file: for
// a worktree or a submodule, the folder its "gitdir:" line names.
func gitDirOf(dotGit string) string {
	gd := dotGit
	if b, kind, err := readRaw(dotGit, nil, 4<<10); err == nil && kind == kindRegular {
		line := strings.TrimSpace(string(b))
		if rest, ok := strings.CutPrefix(line, "gitdir:"); ok {
			gd = strings.TrimSpace(rest)
			if !filepath.IsAbs(gd) {
				gd = filepath.Join(filepath.Dir(dotGit), gd)
			}
		}
	}
	return gd
}

// gitReaders is how many histories are read at once.
const gitReaders = 2

// readHistory reads every object of a repository (every version of every
// file, commit messages, tags, and what no commit reaches any more) with
// git, at most gitReaders repositories at a time.
func (s *sweeper) readHistory(r repo) {
	s.gitSem <- struct{}{}
	defer func() { <-s.gitSem }()
	if s.ctx.Err() != nil {
		return
	}
	s.gitOnce.Do(func() {
		s.git = s.opt.Git
		if s.git == "" {
			s.git, _ = exec.LookPath("git")
		}
	})
	if s.git == "" {
		s.count(func(rep *Report) {
			rep.GitProblems = append(rep.GitProblems, fmt.Sprintf("git is not installed, so the history of %s was not searched.", r.dir))
		})
		return
	}
	s.current.Store(r.dir)
	if err := s.readRepo(s.ctx, s.git, r); err != nil && s.ctx.Err() == nil {
		s.count(func(rep *Report) {
			rep.GitProblems = append(rep.GitProblems, fmt.Sprintf("The history of %s could not be read (%v).", r.dir, err))
		})
	}
}

// objectHits are the hits in one git object.
type objectHits struct {
	id, typ string
	hits    []Hit
	doc     []byte
}

// readRepo reads one repository's objects through `git cat-file
// --batch-all-objects --batch` and scans each once. git reads a private
// view of the repository (see gitView), never its config, hooks or
// attributes, so it runs no program the repository names.
func (s *sweeper) readRepo(ctx context.Context, git string, r repo) error {
	view, err := newGitView(r.common)
	if err != nil {
		return err
	}
	defer view.close()
	var found []objectHits
	var objects int
	err = view.readBatch(ctx, git, nil, func(br *bufio.Reader) error {
		var err error
		found, objects, err = s.readObjects(br)
		return err
	}, "cat-file", "--batch-all-objects", "--batch", "--unordered")
	if err != nil {
		return err
	}

	hits := placeHits(locator{ctx: ctx, git: git, view: view, repo: r.dir, remotes: map[string][]string{}}, r, found)
	s.count(func(rep *Report) { rep.Repos++; rep.GitObjects += objects })
	s.addHits(hits)
	return nil
}

// readObjects reads `git cat-file --batch` output, object by object, and
// scans the blobs, commits and tags up to the size limit; it returns the
// objects with hits and how many objects it read.
func (s *sweeper) readObjects(br *bufio.Reader) (found []objectHits, objects int, err error) {
	sc := scanner{m: s.m}
	var buf []byte
	for {
		header, err := br.ReadString('\n')
		if err == io.EOF && header == "" {
			return found, objects, nil
		}
		if err != nil {
			return found, objects, err
		}
		f := strings.Fields(header)
		if len(f) != 3 {
			continue // "<name> missing" and the like: nothing follows
		}
		size, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return found, objects, fmt.Errorf("git cat-file said %q", strings.TrimSpace(header))
		}
		objects++
		if (f[1] != "blob" && f[1] != "commit" && f[1] != "tag") || size > s.opt.MaxFileSize {
			if _, err := br.Discard(int(size) + 1); err != nil {
				return found, objects, err
			}
			continue
		}
		if int64(cap(buf)) < size {
			buf = make([]byte, size+size/4)
		}
		doc := buf[:size]
		if err := readObject(br, doc); err != nil {
			return found, objects, err
		}
		s.files.Add(1)
		if hits := s.objectHits(&sc, doc); len(hits) > 0 {
			found = append(found, objectHits{id: f[0], typ: f[1], hits: hits, doc: bytes.Clone(doc)})
		}
	}
}

// readObject reads one object's content into doc, and the newline after it.
func readObject(br *bufio.Reader, doc []byte) error {
	if _, err := io.ReadFull(br, doc); err != nil {
		return err
	}
	_, err := br.Discard(1)
	return err
}

// objectHits scans one object's content (none when it looks binary).
func (s *sweeper) objectHits(sc *scanner, doc []byte) []Hit {
	if bytes.IndexByte(doc[:min(len(doc), binaryProbe)], 0) >= 0 {
		return nil
	}
	finds := sc.scan(doc)
	if len(finds) == 0 {
		return nil
	}
	return docHits(doc, finds, s.keys)
}

// placeHits gives the hits found in the repository's objects their place:
// the repository, the commit and path each came from, and the program the
// file belongs to.
func placeHits(loc locator, r repo, found []objectHits) []Hit {
	var hits []Hit
	for _, o := range found {
		origin := loc.origin(o.id, o.typ)
		prog := programOf(origin.Path, o.doc)
		for _, h := range o.hits {
			g := origin
			h.Path, h.root, h.Git, h.Place, h.Program = r.dir, r.dir, &g, PlaceGitHistory, prog
			hits = append(hits, h)
		}
	}
	return hits
}

// locator finds which commit brought an object in and where it was pushed.
type locator struct {
	ctx     context.Context
	git     string
	view    *gitView
	repo    string
	remotes map[string][]string // by commit
}

// origin says where an object with a copy sits: for a file's content, the
// oldest commit that added it and the file's path there, and the
// remote-tracking branches containing that commit.
func (l *locator) origin(id, typ string) GitOrigin {
	g := GitOrigin{Repo: l.repo, Object: id, ObjectType: typ}
	switch typ {
	case "commit":
		g.Commit = id
	case "tag":
		g.Commit = l.run("rev-parse", "--verify", "--quiet", id+"^{commit}")
	default:
		// --no-show-signature, --no-textconv and --no-ext-diff repeat what
		// the view's config already says: git runs no signature, diff or
		// conversion program whatever a config might claim.
		out := l.run("log", "--all", "--reflog", "--root", "--no-abbrev", "--no-renames", "--no-show-signature",
			"--no-textconv", "--no-ext-diff", "--format=commit %H", "--raw", "--find-object="+id)
		cur := ""
		for _, line := range strings.Split(out, "\n") {
			if c, ok := strings.CutPrefix(line, "commit "); ok {
				cur = c
				continue
			}
			meta, path, ok := strings.Cut(line, "\t")
			if f := strings.Fields(meta); ok && len(f) >= 5 && f[3] == id && cur != "" {
				g.Commit, g.Path = cur, path // git log lists newest first: the last is where it came in
			}
		}
	}
	if g.Commit != "" {
		g.Remotes = l.pushedTo(g.Commit)
	}
	return g
}

// pushedTo lists the remote-tracking branches that contain commit.
func (l *locator) pushedTo(commit string) []string {
	if r, ok := l.remotes[commit]; ok {
		return r
	}
	var names []string
	for _, n := range strings.Split(l.run("for-each-ref", "--contains", commit, "--format=%(refname)", "refs/remotes"), "\n") {
		n = strings.TrimPrefix(strings.TrimSpace(n), "refs/remotes/")
		if n != "" && !strings.HasSuffix(n, "/HEAD") {
			names = append(names, n)
		}
	}
	l.remotes[commit] = names
	return names
}

// run runs git on the repository's view and returns its output, "" on
// failure.
func (l *locator) run(args ...string) string {
	out, err := l.view.command(l.ctx, l.git, args...).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// limited keeps at most n bytes of what is written to it.
type limited struct {
	w io.Writer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		_, _ = l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
