package sweep

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// fileKind is what readFile found at a path.
type fileKind int

// The kinds of files readFile tells apart.
const (
	kindRegular fileKind = iota + 1
	kindSpecial          // a socket, FIFO or device: not read
	kindTooBig           // over the size limit: not read
)

// readFile reads a whole regular file, without blocking on a FIFO that
// appeared after the folder was listed (a variable so tests can make a
// read fail, which mode bits cannot for root).
var readFile = readRaw

// job is one file for a worker.
type job struct {
	path, root string
}

// walkAll walks the roots with one goroutine and reads their files with
// the workers.
func (s *sweeper) walkAll(ctx context.Context, roots []root) {
	jobs := make(chan job, 256)
	var wg sync.WaitGroup
	for range s.opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{s: s, sc: scanner{m: s.m}}
			for j := range jobs {
				w.file(j)
			}
		}()
	}
	seen := map[fileID]bool{}
	for _, r := range roots {
		if ctx.Err() != nil {
			break
		}
		if !r.isDir {
			jobs <- job{path: r.path, root: filepath.Dir(r.path)}
			continue
		}
		s.walk(ctx, r, jobs, seen)
	}
	close(jobs)
	wg.Wait()
}

// dirItem is a folder waiting to be walked, with its file system's device.
type dirItem struct {
	path string
	dev  uint64
}

// walk goes through one root's folders, depth first, without following
// symbolic links, skipping system mounts (/proc and the like), the
// default-skipped folders and any folder seen before (a bind mount loop).
func (s *sweeper) walk(ctx context.Context, r root, jobs chan<- job, seen map[fileID]bool) {
	id, ok := idOf(r.info)
	if ok && seen[id] {
		return
	}
	if ok {
		seen[id] = true
	}
	if pseudoFS(r.path) {
		s.count(func(rep *Report) { rep.SkippedFolders++ })
		return
	}
	stack := []dirItem{{r.path, id.dev}}
	for len(stack) > 0 {
		if ctx.Err() != nil {
			return
		}
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		s.current.Store(d.path)
		entries, err := readDir(d.path)
		if err != nil && len(entries) == 0 {
			s.unreadable(d.path)
			continue
		}
		if bareRepo(entries) {
			s.addRepo(d.path, d.path) // its history is read through git, not as files
			continue
		}
		stack = append(stack, s.visit(d, entries, r.path, jobs, seen)...)
	}
}

// visit handles one folder's entries: files go to the workers, git
// repositories to the history readers, and the subfolders to walk on are
// returned.
func (s *sweeper) visit(d dirItem, entries []fs.DirEntry, root string, jobs chan<- job, seen map[fileID]bool) []dirItem {
	var sub []dirItem
	for _, e := range entries {
		p := filepath.Join(d.path, e.Name())
		t := e.Type()
		switch {
		case t&fs.ModeSymlink != 0:
			s.count(func(rep *Report) { rep.Symlinks++ })
		case t.IsDir() && e.Name() == ".git":
			s.addRepo(d.path, p)
		case t.IsDir():
			if next, ok := s.subfolder(d, e.Name(), p, seen); ok {
				sub = append(sub, next)
			}
		case t.IsRegular() && e.Name() == ".git": // a worktree's or submodule's link to its repository
			s.addRepo(d.path, p)
		case t.IsRegular():
			jobs <- job{path: p, root: root}
		default:
			s.count(func(rep *Report) { rep.Special++ })
		}
	}
	return sub
}

// subfolder returns the folder p (named name, inside d) to walk on; ok is
// false, and it is counted as skipped or unreadable, when it is a
// default-skipped folder, was seen before, or is a system mount.
func (s *sweeper) subfolder(d dirItem, name, p string, seen map[fileID]bool) (next dirItem, ok bool) {
	skip := func() (dirItem, bool) {
		s.count(func(rep *Report) { rep.SkippedFolders++ })
		return dirItem{}, false
	}
	if !s.opt.AllFolders && slices.Contains(SkippedFolders, name) {
		return skip()
	}
	fi, err := os.Lstat(p)
	if err != nil {
		s.unreadable(p)
		return dirItem{}, false
	}
	if !fi.IsDir() {
		return dirItem{}, false // replaced meanwhile
	}
	id, known := idOf(fi)
	if known && seen[id] {
		return skip()
	}
	if known {
		seen[id] = true
	}
	if known && id.dev != d.dev && pseudoFS(p) {
		return skip()
	}
	return dirItem{p, id.dev}, true
}

// bareRepo reports whether a folder's entries are a bare git repository's:
// HEAD, objects and refs (as a pushed-to copy on a server, or a backup).
func bareRepo(entries []fs.DirEntry) bool {
	n := 0
	for _, e := range entries {
		switch name := e.Name(); {
		case name == "HEAD" && e.Type().IsRegular(), (name == "objects" || name == "refs") && e.IsDir():
			n++
		}
	}
	return n == 3
}

// readDir lists a folder, unsorted (the order does not matter, and
// sorting costs).
func readDir(dir string) ([]fs.DirEntry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}

// worker reads files and scans them, with its own buffers.
type worker struct {
	s    *sweeper
	sc   scanner
	buf  []byte
	sbuf []byte       // for streamed files (stream.go)
	zr   *gzip.Reader // for gzip files
}

func (w *worker) file(j job) {
	s := w.s
	doc, kind, err := readFile(j.path, w.buf, s.opt.MaxFileSize)
	w.buf = doc[:0]
	switch {
	case err != nil:
		s.unreadable(j.path)
		return
	case kind == kindSpecial:
		s.count(func(r *Report) { r.Special++ })
		return
	case kind == kindTooBig:
		w.large(j)
		return
	}
	n := len(doc)
	s.files.Add(1)
	if isGzip(doc) {
		w.streamed(j, bytes.NewReader(doc), PackedGzip)
		return
	}
	if bytes.IndexByte(doc[:min(len(doc), binaryProbe)], 0) >= 0 {
		s.count(func(r *Report) { r.Binary++; r.Bytes += int64(n) })
		return
	}
	s.count(func(r *Report) { r.Files++; r.Bytes += int64(n) })
	s.addHits(w.docHits(j, doc, ""))
}

// docHits scans one document (a file, or a part of a streamed one) and
// returns its hits with their place; lines count from the document's
// start.
func (w *worker) docHits(j job, doc []byte, packed string) []Hit {
	s := w.s
	finds := w.sc.scan(doc)
	if len(finds) == 0 {
		return nil
	}
	hits := docHits(doc, finds, s.keys)
	place := placeOf(j.path)
	prog := programOf(j.path, doc)
	if prog != "" && place != PlaceHistory && place != PlaceEnvFile {
		place = PlaceBotConfig
	}
	for i := range hits {
		h := &hits[i]
		h.Path, h.root, h.Place, h.Program, h.Packed = j.path, j.root, place, prog, packed
		if place == PlaceHistory {
			h.Command, h.keyInCommand = historyCommand(lineAt(doc, h.Line))
			h.keyField, h.secretField = lineFields(hits, h)
		}
	}
	return hits
}

// lineFields returns the names a shell-history line itself gives the
// hit's key's API key and private key: a suggestion made from the line
// must not take a name from another line of the history.
func lineFields(hits []Hit, h *Hit) (keyField, secretField string) {
	if h.Key == nil {
		return "", ""
	}
	for _, o := range hits {
		if o.Key == nil || o.Key.ID != h.Key.ID || o.Line != h.Line {
			continue
		}
		switch o.Part {
		case PartAPIKey:
			keyField = cmp.Or(keyField, o.Field)
		case PartPrivateKey:
			secretField = cmp.Or(secretField, o.Field)
		}
	}
	return keyField, secretField
}

// lineAt returns line n (from 1) of doc.
func lineAt(doc []byte, n int) string {
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(doc, '\n')
		if j < 0 {
			return ""
		}
		doc = doc[j+1:]
	}
	if j := bytes.IndexByte(doc, '\n'); j >= 0 {
		doc = doc[:j]
	}
	return strings.TrimRight(string(doc), "\r")
}
