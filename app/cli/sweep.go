package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/sweep"
)

const sweepUsage = "sweep [PATH...] [--json] [--no-git] [--all-folders] [--import] [--delete-backups] | sweep --staged [--json] | sweep --install-hook [REPO] | sweep --remove-hook [REPO]"

// sweepInput is what sweep needs. No roots means the home folder.
type sweepInput struct {
	Roots      []string
	JSON       bool
	NoGit      bool
	AllFolders bool
	// Import asks, on a terminal, about each key found that is not in
	// the vault, and imports it (importFound).
	Import bool
	// DeleteBackups deletes, without asking, the backups a clean sweep
	// shows are no longer needed (offerBackups).
	DeleteBackups bool
}

func runSweep(e *env, args []string) int {
	fs := newFlags(e, "sweep", sweepUsage)
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	noGit := fs.Bool("no-git", false, "leave out the histories of git repositories")
	allFolders := fs.Bool("all-folders", false, "also sweep caches and package folders ("+strings.Join(sweep.SkippedFolders, ", ")+")")
	imp := fs.Bool("import", false, "then, on a terminal, ask about each key found that is not in Keywarden and import it (its name, what it is for, whether to remove the copy, with a backup)")
	delBackups := fs.Bool("delete-backups", false, "delete the backups Keywarden made when it removed a key's copy, once the sweep finds no other copy of the key")
	staged := fs.Bool("staged", false, "check only what is staged for the next commit of the repository here (what the pre-commit hook runs); exit 3 if it holds a Kraken key")
	install := fs.Bool("install-hook", false, "make the pre-commit hook of REPO (default: the repository here) run sweep --staged first, keeping a hook already there")
	remove := fs.Bool("remove-hook", false, "take that check out of REPO's pre-commit hook again")
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	if *staged || *install || *remove {
		return runSweepHook(e, pos, *staged, *install, *remove, *asJSON, *noGit || *allFolders || *imp || *delBackups)
	}
	switch {
	case *imp && *asJSON:
		return e.fail(usageErr("--import asks questions on a terminal; it does not go with --json."))
	case *imp && !e.interactive():
		return e.fail(errImportNeedsTerminal)
	}
	code, err := sweepDisk(context.Background(), e, sweepInput{Roots: pos, JSON: *asJSON, NoGit: *noGit, AllFolders: *allFolders, Import: *imp, DeleteBackups: *delBackups})
	if err != nil {
		return e.fail(err)
	}
	return code
}

// sweepDisk sweeps the roots for copies of the stored keys and for keys
// not in the vault, and prints what it found with the next steps. The exit
// code is ExitAttention when something was found, ExitError when nothing
// was but the keyring could not be read (so the stored keys were not
// looked for), else ExitOK.
func sweepDisk(ctx context.Context, e *env, in sweepInput) (int, error) {
	roots, err := e.sweepRoots(in.Roots)
	if err != nil {
		return ExitError, err
	}
	svc, err := e.service(in.Import) // only an import asks the exchange
	if err != nil {
		return ExitError, err
	}
	list, err := svc.SweepKeys()
	if err != nil {
		return ExitError, err
	}
	stored, looked, keyringErr := list.Keys, list.Looked, list.KeyringErr
	var skips []skipped
	for _, k := range list.Skipped {
		skips = append(skips, skipped{ID: k.ID, Name: k.Name, Reason: k.Reason})
	}
	opt := sweep.Options{Roots: roots, Keys: stored, NoGit: in.NoGit, AllFolders: in.AllFolders}
	prog := e.progressLine()
	if prog != nil {
		opt.Progress = prog.show
	}
	start := e.now()
	rep, err := sweep.Run(ctx, opt)
	if prog != nil {
		prog.clear()
	}
	if err != nil {
		var rootErr *sweep.RootError
		if errors.As(err, &rootErr) {
			return ExitError, &userError{msg: fmt.Sprintf("Cannot sweep %s: %s. Give folders that exist and that you may read.", safe(rootErr.Path), reason(rootErr.Err)), err: err}
		}
		return ExitError, err
	}
	took := e.now().Sub(start)

	code := ExitOK
	switch {
	case len(rep.Hits) > 0:
		code = ExitAttention
	case keyringErr != nil:
		code = ExitError
	}
	keyringMsg := ""
	if keyringErr != nil {
		keyringMsg = "The system keyring could not be read, so copies of your stored keys were not looked for (keys not in Keywarden were). " + message(keyringErr)
	}
	if in.JSON {
		out := jsonSweep{Report: rep, KeysLookedFor: looked, SkippedKeys: skips, KeyringProblem: keyringMsg, ExitCode: code}
		if out.SkippedKeys == nil {
			out.SkippedKeys = []skipped{}
		}
		if err := writeJSON(e.rawOut, out); err != nil {
			return ExitError, err
		}
	} else {
		writeSweep(e.out, rep, looked, skips, took)
		offerBackups(e, svc, rep, stored, in.DeleteBackups)
	}
	if keyringMsg != "" {
		e.say("keywarden: %s", keyringMsg)
	}
	if in.Import {
		if _, err := importFound(ctx, e, svc, rep); err != nil {
			return ExitError, err
		}
	}
	return code, nil
}

// sweepRoots returns the folders to sweep, absolute: those given, or the
// home folder.
func (e *env) sweepRoots(given []string) ([]string, error) {
	if len(given) == 0 {
		home := e.getenv("HOME")
		if home == "" {
			h, err := os.UserHomeDir()
			if err != nil {
				return nil, &userError{msg: "Keywarden cannot tell which folder is your home. Name the folders to sweep: keywarden sweep PATH...", err: err}
			}
			home = h
		}
		given = []string{home}
	}
	roots := make([]string, 0, len(given))
	for _, p := range given {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, &userError{msg: fmt.Sprintf("Cannot tell where %s is.", safe(p)), err: err}
		}
		roots = append(roots, abs)
	}
	return roots, nil
}

// reason says in a few words why a root cannot be swept.
func reason(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "it does not exist"
	case errors.Is(err, os.ErrPermission):
		return "you may not read it"
	}
	return "it cannot be read"
}

// jsonSweep is sweep --json: the report, and which stored keys were not
// looked for.
type jsonSweep struct {
	*sweep.Report
	KeysLookedFor  int       `json:"keysLookedFor"`
	SkippedKeys    []skipped `json:"skippedKeys"`
	KeyringProblem string    `json:"keyringProblem,omitempty"`
	ExitCode       int       `json:"exitCode"`
}

// writeHits prints hits grouped by where they are (a file, or a
// repository's commit), each group followed by its next steps.
func writeHits(w io.Writer, hits []sweep.Hit) {
	var group string
	var steps []string
	flush := func() {
		for _, s := range steps {
			fmt.Fprintf(w, "  Next: %s\n", safe(s))
		}
		steps = steps[:0]
	}
	for _, h := range hits {
		if g := groupOf(h); g != group {
			flush()
			group = g
			fmt.Fprintf(w, "\n%s\n", safe(g))
		}
		fmt.Fprintf(w, "  line %d: %s%s\n", h.Line, safe(h.What()), safe(details(h)))
		if !slices.Contains(steps, h.Next) {
			steps = append(steps, h.Next)
		}
	}
	flush()
	if len(hits) > 0 {
		fmt.Fprintln(w)
	}
}

// writeSweep prints the hits grouped by where they are, each group with
// its next steps, then what was swept and skipped.
func writeSweep(w io.Writer, rep *sweep.Report, looked int, skips []skipped, took time.Duration) {
	fmt.Fprintln(w, keys.SweepFound(rep, looked))
	writeHits(w, rep.Hits)
	fmt.Fprintf(w, "Swept %s (%s) under %s", count(rep.Files, "file", "files"), size(rep.Bytes), safeList(rep.Roots, ", "))
	if rep.Repos > 0 {
		fmt.Fprintf(w, ", and %s (%d objects)", count(rep.Repos, "git history", "git histories"), rep.GitObjects)
	}
	fmt.Fprintf(w, ", in %.1f s.\n", took.Seconds())
	if rep.Unreadable > 0 {
		fmt.Fprintf(w, "Could not read %s: %s", count(rep.Unreadable, "file or folder", "files or folders"), safeList(rep.UnreadablePaths, ", "))
		if more := rep.Unreadable - len(rep.UnreadablePaths); more > 0 {
			fmt.Fprintf(w, " and %d more", more)
		}
		fmt.Fprintln(w, ".")
	}
	var skipped []string
	add := func(n int, one, many string) {
		if n > 0 {
			skipped = append(skipped, count(n, one, many))
		}
	}
	add(rep.Binary, "binary file", "binary files")
	add(rep.TooBig, "file over 16 MiB", "files over 16 MiB")
	add(rep.Special, "special file (socket, FIFO or device)", "special files (sockets, FIFOs, devices)")
	add(rep.Symlinks, "symbolic link (not followed)", "symbolic links (not followed)")
	add(rep.SkippedFolders, "folder (a cache or a system mount)", "folders (caches and system mounts)")
	if len(skipped) > 0 {
		fmt.Fprintf(w, "Skipped %s.\n", strings.Join(skipped, ", "))
	}
	for _, p := range rep.GitProblems {
		fmt.Fprintln(w, safe(p))
	}
	for _, s := range skips {
		fmt.Fprintf(w, "Not looked for: %q (%s).\n", s.Name, s.Reason)
	}
}

// groupOf is the heading hits are grouped under: the file, or the
// repository and commit.
func groupOf(h sweep.Hit) string {
	if h.Git == nil {
		head := h.Path
		if h.Program != "" {
			head += " (" + h.Program + ")"
		} else if h.Place != sweep.PlaceOther {
			head += " (" + strings.ReplaceAll(string(h.Place), "-", " ") + ")"
		}
		return head
	}
	g := h.Git
	head := "git history of " + h.Path
	switch {
	case g.Commit == "":
		head += ", an object no commit reaches any more"
	case g.Path == "":
		head += ", the message of " + g.ObjectType + " " + shortID(g.Commit)
	default:
		head += ", commit " + shortID(g.Commit) + " (" + g.Path + ")"
	}
	if g.Pushed() {
		head += ", pushed to " + strings.Join(g.Remotes, ", ")
	}
	return head
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// details says how the value was written: its name and encoding.
func details(h sweep.Hit) string {
	var d []string
	if h.Field != "" {
		d = append(d, fmt.Sprintf("as %s", h.Field))
	}
	switch h.Form {
	case sweep.FormJSONEscaped:
		d = append(d, "JSON-escaped")
	case sweep.FormURLEncoded:
		d = append(d, "URL-encoded")
	case sweep.FormWrapped:
		d = append(d, "wrapped over lines")
	case sweep.FormBase64:
		d = append(d, "base64-encoded")
	case sweep.FormHex:
		d = append(d, "its bytes as hex")
	}
	if h.Packed != "" {
		d = append(d, "inside the "+h.Packed+" file, once unpacked")
	}
	if h.PrivateLine != 0 && h.PrivateLine != h.Line {
		d = append(d, fmt.Sprintf("private key on line %d", h.PrivateLine))
	}
	if len(d) == 0 {
		return ""
	}
	return " (" + strings.Join(d, ", ") + ")"
}

// size says how many bytes, in the largest unit that fits.
func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// progress shows how far a sweep has got on one line of a terminal.
type progress struct {
	w io.Writer
}

// progressLine returns the progress display when stderr is a terminal,
// else nil: scripts and logs get no progress.
func (e *env) progressLine() *progress {
	f, ok := e.rawErr.(*os.File) // its own \r and erase-line pass: the folder is escaped in show
	if !ok || f == nil || !isTerminal(int(f.Fd())) {
		return nil
	}
	return &progress{w: f}
}

func (p *progress) show(pr sweep.Progress) {
	dir := safe(pr.Dir)
	if r := []rune(dir); len(r) > 50 {
		dir = "…" + string(r[len(r)-49:])
	}
	fmt.Fprintf(p.w, "\r\033[Kswept %d files… %s", pr.Files, dir)
}

func (p *progress) clear() { fmt.Fprint(p.w, "\r\033[K") }
