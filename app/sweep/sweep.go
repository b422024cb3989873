// Package sweep finds plain-text copies of Kraken keys on disk: copies of
// the keys Keywarden holds (it knows them exactly, so there are no false
// alarms) and Kraken-shaped key pairs it does not hold yet. It looks in
// every file under the folders it is given (shell histories, dotfiles,
// .env files, bot configs, …) and in the history of the git repositories
// there, reads each file once, matches every key in one pass, and reports
// where each copy is, never the secret itself, with the next step in plain
// words. It imports no GUI code: the command line and the window share it.
//
// # What it looks for
//
// Copies of the keys Keywarden holds, exactly: each API key and private key
// itself, in the forms programs and people write them: as is, quoted, in
// KEY=value lines, JSON-escaped (\/, \u002f), URL-encoded (%2F, %2B, %3D),
// wrapped over two or more lines, indented or not (a note, base64's 76
// columns), encoded again as base64 (a Kubernetes Secret's data:, a whole
// .env encoded), and as the hex of the bytes it stands for (a debug log of
// the private key's 64 bytes). No guessing, so no false alarms; each hit
// says which key, which part and in what form.
//
// Kraken keys it does not hold: a 56-character API key and an 88-character
// private key of 64 bytes at most five lines apart, with evidence that
// they are a Kraken key (the file names Kraken; or both are given
// credential names such as key, secret or api; or one is and the file
// speaks of an exchange, as bot configs do), or under such names, far
// apart, in a file that mentions Kraken. A request ID above a signature in
// a file about something else is no key; nor are the sample keys the
// exchange's documentation publishes (samples.go). Each key found gets a
// number and its API key's last four characters, nothing more.
//
// # Where
//
// Every file under the roots (shell histories of bash, zsh and fish,
// dotfiles and ~/.config, .env files, freqtrade user_data/config*.json,
// Hummingbot conf/, OctoBot), and the whole history of every git repository
// there, bare ones too, read with git cat-file --batch-all-objects: every
// version of every file, commit messages, and objects no commit reaches any
// more. A hit in a history names the commit that added it and the file, and
// whether a remote-tracking branch contains it (it was pushed). Git reads a
// private view of the repository's refs and objects with a config this
// package writes (gitview.go), so nothing the repository or GIT_* names
// runs. Gzip files (a rotated log, bot.log.1.gz) are read unpacked, and a
// copy in one is named with the file. A file over 16 MiB (a long log) is
// read as a stream, chunk by chunk, for at most Options.LargeFileTime
// (20 s); one not read to the end by then is counted and named
// (Report.TooBig). It skips binary files (a NUL in the first 8 KiB, once
// unpacked), sockets, FIFOs and devices (without opening them, so a FIFO
// cannot block it), /proc, /sys and the kernel's other mounts, and caches
// (node_modules, .cache, .venv, …) unless Options.AllFolders is set.
// Symbolic links are not followed (a folder reached twice is swept once),
// and the Report counts the files it could not read.
//
// # How it matches, and why it is fast
//
// It reads each file once, with four system calls, on a few workers, and
// matches every key in one pass: it cuts the text into base64 runs (undoing
// \/ and %2F on the way), looks each run up in one map of every stored
// value and of its base64 and hex encodings (made once, when the sweep
// starts), joins a run that ends its line with the runs that go on the
// next lines (only to look for stored values across the joint), and keeps
// runs of exactly a key's length as candidates for keys it does not hold. Git histories are read while the walk goes on. The matcher
// alone scans about 1.1 GB/s (BenchmarkScan); the timings against grep are
// in .ci/README.md.
//
// # The API
//
// Run(ctx, Options{Roots, Keys, …}) returns a Report whose Hits carry where
// (Where), what (What), the next step (Next) and, for a key not in
// Keywarden, its values for an import (Pair, never printed); SuggestName
// names it. The next step fits the place: the exact keywarden exec command
// for the program found (with --key-env/--secret-env when a .env or a
// history line used other names; for a history line, only a command the
// line ran whole, with the names that line gave, since half a command
// does not run as shown); for a copy in a pushed git history, treat
// the key as leaked, since rewriting the history does not take it back; for
// an unpushed one, rewrite the history before pushing; for a key Keywarden
// does not hold, keywarden add with a name suggested from where it was
// found.
//
// # Before a commit
//
// Staged checks what the next commit of a repository adds, with the same
// matcher: each file the index holds differently from HEAD, read whole
// through the private view (the index git hands a pre-commit hook in
// GIT_INDEX_FILE is the one read), so nothing the repository names runs.
// InstallHook puts `keywarden sweep --staged` at the start of the
// repository's pre-commit hook (hook.go says how it keeps a hook already
// there); RemoveHook takes it out. BenchmarkStaged measures it.
package sweep

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxFileSize is the largest file the sweep reads whole; bigger
// ones (a long log) are read as a stream, for at most LargeFileTime.
const DefaultMaxFileSize = 16 << 20

// binaryProbe is how much of a file is looked at for a NUL byte, which
// marks it as binary and skips it.
const binaryProbe = 8 << 10

// Key is one stored key to look for. APIKey and PrivateKey are read from
// the keyring by the caller; a Key without them (its secret could not be
// read) is still used to say that a key found may be this one, by its
// Hint.
type Key struct {
	ID   string
	Name string
	// Hint is the API key's last four characters, as the record keeps it.
	Hint       string
	APIKey     string
	PrivateKey string
}

// String hides the key's values from a stray %v.
func (k Key) String() string { return fmt.Sprintf("sweep.Key{%s, redacted}", k.Name) }

// GoString hides them from %#v as well.
func (k Key) GoString() string { return k.String() }

// Options says what to sweep and how.
type Options struct {
	// Roots are the files and folders to sweep. A root that is a symbolic
	// link is followed; no link under it is.
	Roots []string
	// Keys are the stored keys to look for.
	Keys []Key
	// NoGit leaves out the histories of git repositories.
	NoGit bool
	// AllFolders also sweeps the folders skipped by default (SkippedFolders).
	AllFolders bool
	// MaxFileSize is the largest file read whole (default
	// DefaultMaxFileSize); a bigger one is read as a stream, for at most
	// LargeFileTime.
	MaxFileSize int64
	// LargeFileTime is how long one file over MaxFileSize, or one gzip
	// file, is read before the sweep moves on and counts it in
	// Report.TooBig (default DefaultLargeFileTime).
	LargeFileTime time.Duration
	// Workers is how many files are read at once (default: the number of
	// CPUs, at least 2, at most 8).
	Workers int
	// Progress, if set, is called about every ProgressEvery (default
	// 200 ms) from one goroutine while the sweep runs.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// Git is the git program (default "git" from PATH).
	Git string
}

// Progress is how far a sweep has got.
type Progress struct {
	Files int    // files read so far
	Dir   string // the folder being walked, or the repository being read
	Hits  int
}

// SkippedFolders are folder names not swept unless Options.AllFolders is
// set: caches and downloaded packages, where no one keeps a key and which
// can hold hundreds of thousands of files. A .git folder is never read as
// files: its history is read through git instead.
var SkippedFolders = []string{"node_modules", ".cache", "__pycache__", ".npm", ".rustup", ".m2", ".gradle", ".venv", "venv", "site-packages"}

// Report is what a sweep found and how much it looked at.
type Report struct {
	Roots []string `json:"roots"`
	Hits  []Hit    `json:"hits"`
	// Files is how many files were read, Bytes their size (unpacked, for
	// a gzip file; read so far, for a file not read to the end).
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
	// Unreadable counts the files and folders that could not be read;
	// UnreadablePaths names the first few.
	Unreadable      int      `json:"unreadable"`
	UnreadablePaths []string `json:"unreadablePaths,omitempty"`
	Binary          int      `json:"binary"` // files skipped as binary (a NUL in the first 8 KiB, once unpacked)
	// Large counts the files over MaxFileSize, read as a stream; Packed
	// the gzip files read unpacked (both are in Files too).
	Large  int `json:"large"`
	Packed int `json:"packed"`
	// TooBig counts the files not read to the end: over MaxFileSize or
	// packed, and not done within LargeFileTime; TooBigPaths names the
	// first few, with how much was read.
	TooBig      int      `json:"tooBig"`
	TooBigPaths []string `json:"tooBigPaths,omitempty"`
	Special     int      `json:"special"`  // sockets, FIFOs, devices
	Symlinks    int      `json:"symlinks"` // links not followed
	// SkippedFolders counts folders left out: caches (SkippedFolders),
	// system mounts such as /proc, and folders already swept through
	// another path.
	SkippedFolders int `json:"skippedFolders"`
	// Repos is how many git repositories' histories were read, GitObjects
	// how many of their objects.
	Repos      int `json:"repositories"`
	GitObjects int `json:"gitObjects"`
	// GitProblems says, in plain words, which histories could not be read.
	GitProblems []string `json:"gitProblems,omitempty"`
}

// maxUnreadablePaths is how many unreadable paths a report names.
const maxUnreadablePaths = 20

// RootError says a folder given to sweep cannot be swept at all.
type RootError struct {
	Path string
	Err  error
}

// Error names the folder and why.
func (e *RootError) Error() string {
	if errors.Is(e.Err, os.ErrNotExist) {
		return fmt.Sprintf("%s does not exist", e.Path)
	}
	return fmt.Sprintf("%s cannot be read: %v", e.Path, e.Err)
}

// Unwrap returns the cause.
func (e *RootError) Unwrap() error { return e.Err }

// Run sweeps the roots for the keys and returns what it found. It fails
// only when a root cannot be swept at all (a *RootError) or ctx ends; a
// file or history it cannot read is counted in the report.
func Run(ctx context.Context, opt Options) (*Report, error) {
	if opt.MaxFileSize <= 0 {
		opt.MaxFileSize = DefaultMaxFileSize
	}
	if opt.Workers <= 0 {
		opt.Workers = min(max(runtime.NumCPU(), 2), 8)
	}
	if opt.LargeFileTime <= 0 {
		opt.LargeFileTime = DefaultLargeFileTime
	}
	if opt.ProgressEvery <= 0 {
		opt.ProgressEvery = 200 * time.Millisecond
	}
	var secretKeys []Key
	for _, k := range opt.Keys {
		if k.APIKey != "" || k.PrivateKey != "" {
			secretKeys = append(secretKeys, k)
		}
	}
	s := &sweeper{opt: opt, ctx: ctx, keys: secretKeys, m: newMatcher(secretKeys), rep: &Report{Roots: opt.Roots, Hits: []Hit{}},
		gitSem: make(chan struct{}, gitReaders)}
	roots, err := s.checkRoots()
	if err != nil {
		return nil, err
	}

	stop := s.startProgress()
	s.walkAll(ctx, roots)
	s.gitWG.Wait() // the histories are read while the walk goes on
	stop()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.finish(opt.Keys)
	return s.rep, nil
}

// sweeper is one sweep's state.
type sweeper struct {
	opt  Options
	keys []Key // those with secrets
	m    *matcher

	ctx context.Context // the sweep's, for the git readers

	mu    sync.Mutex
	rep   *Report
	repos []repo

	gitWG   sync.WaitGroup
	gitSem  chan struct{}
	gitOnce sync.Once
	git     string // the git program, "" when there is none

	files   atomic.Int64
	nhits   atomic.Int64
	current atomic.Value // string: the folder being walked
}

// root is a folder or file to sweep, resolved.
type root struct {
	path  string
	info  os.FileInfo
	isDir bool
}

func (s *sweeper) checkRoots() ([]root, error) {
	var roots []root
	for _, p := range s.opt.Roots {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, &RootError{Path: p, Err: err}
		}
		roots = append(roots, root{path: p, info: fi, isDir: fi.IsDir()})
	}
	return roots, nil
}

func (s *sweeper) startProgress() (stop func()) {
	if s.opt.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(s.opt.ProgressEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				dir, _ := s.current.Load().(string)
				s.opt.Progress(Progress{Files: int(s.files.Load()), Dir: dir, Hits: int(s.nhits.Load())})
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// addHits records a document's hits.
func (s *sweeper) addHits(hits []Hit) {
	if len(hits) == 0 {
		return
	}
	s.nhits.Add(int64(len(hits)))
	s.mu.Lock()
	s.rep.Hits = append(s.rep.Hits, hits...)
	s.mu.Unlock()
}

// count changes the report's counters under the lock.
func (s *sweeper) count(f func(r *Report)) {
	s.mu.Lock()
	f(s.rep)
	s.mu.Unlock()
}

func (s *sweeper) unreadable(path string) {
	s.count(func(r *Report) {
		r.Unreadable++
		if len(r.UnreadablePaths) < maxUnreadablePaths {
			r.UnreadablePaths = append(r.UnreadablePaths, path)
		}
	})
}

// finish numbers the keys not in the vault, links them to stored keys
// whose secret was not read, writes each hit's next step and sorts the
// hits.
func (s *sweeper) finish(all []Key) {
	hits := s.rep.Hits
	slices.SortStableFunc(hits, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(gitKey(a), gitKey(b)), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Part, b.Part))
	})
	number := map[string]int{} // by API key, else private key
	for i := range hits {
		h := &hits[i]
		if h.pair != nil {
			id := h.pair.apiKey
			if id == "" {
				id = h.pair.privateKey
			}
			n, ok := number[id]
			if !ok {
				n = len(number) + 1
				number[id] = n
			}
			h.Unknown = n
			if h.Hint != "" {
				for _, k := range all {
					if k.APIKey == "" && k.Hint == h.Hint {
						h.Maybe = &KeyRef{ID: k.ID, Name: k.Name}
						break
					}
				}
			}
		}
		h.Next = NextStep(*h)
	}
}

func gitKey(h Hit) string {
	if h.Git == nil {
		return ""
	}
	return h.Git.Commit + "\x00" + h.Git.Object
}
