package sweep

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// A repository the sweep finds is untrusted: it may come from an archive
// or a shared folder, and its config can name programs that git runs
// while it only reads (gpg.program with log.showSignature, diff and
// filter drivers, core.fsmonitor, pagers, hooks, core.sshCommand, …),
// directly or through include and includeIf. So git never reads that
// config. It reads a private view of the repository instead: a throwaway
// GIT_DIR made by Keywarden (0700), whose config Keywarden writes, holding
// the repository's HEAD and refs (written as one packed-refs file) and
// copies of its reflogs and shallow list, with the repository's own
// objects folder as GIT_OBJECT_DIRECTORY (objects, packs, commit-graph and
// alternates are data; reading them runs nothing, and checkObjects first
// makes sure none of them is a FIFO git would wait on). The environment loses every GIT_* variable, so neither the
// person's settings (GIT_CONFIG_PARAMETERS, GIT_EXTERNAL_DIFF, …) nor
// their global or system config reach git either; git runs in the view's
// folder, so it finds no work tree, index or .gitattributes.
//
// Why git and not an object reader in Go: git is the reference reader of
// its own format (packs, deltas, sha256, commit-graph, alternates) and is
// already how the sweep reads histories; a library (go-git) would be a
// large new dependency to review. The danger was never git's object
// reading but what its config and environment let a repository name, and
// the view takes exactly that away.
//
// Limits, with git 2.39: a reftable repository (not supported by 2.39)
// has its objects read but no commit or path found for them; HEADs of
// other worktrees are not in the view, so an object that only such a
// detached HEAD reaches has no commit found either.

// gitView is the private view of one repository git reads.
type gitView struct {
	dir string // the throwaway GIT_DIR, also git's working folder
	env []string
}

// viewCopyMax is the largest packed-refs, reflog or shallow file read
// into a view; a bigger one is left out (its commits are then just not
// named).
const viewCopyMax = DefaultMaxFileSize

// viewConfig is the view's whole config: a bare repository whose
// settings run nothing and fetch nothing. The format version and object
// format are filled in from the repository's.
const viewConfig = `# Written by Keywarden for one read of a repository's history.
[core]
	repositoryformatversion = %d
	bare = true
	fsmonitor = false
[log]
	showSignature = false
[protocol]
	allow = never
[gc]
	auto = 0
`

// newGitView makes the private view of the repository whose common folder
// (the one holding objects and refs) is common; close removes it.
func newGitView(common string) (*gitView, error) {
	format, err := objectFormat(filepath.Join(common, "config"))
	if err != nil {
		return nil, err
	}
	if err := checkObjects(filepath.Join(common, "objects"), 0); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "keywarden-git-")
	if err != nil {
		return nil, err
	}
	v := &gitView{dir: dir}
	if err := v.fill(common, format); err != nil {
		v.close()
		return nil, err
	}
	v.env = viewEnv(dir, filepath.Join(common, "objects"))
	return v, nil
}

// fill writes the view's config, HEAD, refs and an empty file for git's
// global and system config, and copies the repository's reflogs and
// shallow list. It makes no hooks folder: git's default, $GIT_DIR/hooks,
// holds nothing.
func (v *gitView) fill(common, format string) error {
	config, hexLen := fmt.Sprintf(viewConfig, 0), 40
	if format == "sha256" {
		config, hexLen = fmt.Sprintf(viewConfig, 1)+"[extensions]\n\tobjectFormat = sha256\n", 64
	}
	err := errors.Join(
		os.WriteFile(filepath.Join(v.dir, "config"), []byte(config), 0o600),
		v.setHead(common, hexLen),
		os.WriteFile(filepath.Join(v.dir, "empty"), nil, 0o600),
		os.Mkdir(filepath.Join(v.dir, "refs"), 0o700),
		os.WriteFile(filepath.Join(v.dir, "packed-refs"), packRefs(common, hexLen), 0o600),
	)
	if err != nil {
		return err
	}
	for _, name := range []string{"logs", "shallow"} {
		if err := copyData(filepath.Join(common, name), filepath.Join(v.dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// setHead writes the view's HEAD from the HEAD in gitDir (the common
// folder, or a worktree's own git folder): a branch name or a commit, only
// when well-formed, else a branch that need not exist (git needs a HEAD).
func (v *gitView) setHead(gitDir string, hexLen int) error {
	head := "ref: refs/heads/main\n"
	if b, kind, err := readRaw(filepath.Join(gitDir, "HEAD"), nil, 4<<10); err == nil && kind == kindRegular {
		text := strings.TrimSpace(string(b))
		if target, ok := strings.CutPrefix(text, "ref: "); (ok && validRefName(target)) || validID(text, hexLen) {
			head = text + "\n"
		}
	}
	return os.WriteFile(filepath.Join(v.dir, "HEAD"), []byte(head), 0o600)
}

// viewEnv is the environment git reads a view with: the person's, less
// every GIT_* variable and the programs git could start for a person
// (pager, editor, password prompt), with git's own config files all
// pointing at an empty one.
func viewEnv(dir, objects string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k = strings.ToUpper(k); {
		case strings.HasPrefix(k, "GIT_"), k == "HOME", k == "XDG_CONFIG_HOME", k == "LC_ALL",
			k == "PAGER", k == "EDITOR", k == "VISUAL", k == "SSH_ASKPASS":
			continue
		}
		env = append(env, kv)
	}
	empty := filepath.Join(dir, "empty")
	return append(env, "GIT_DIR="+dir, "GIT_OBJECT_DIRECTORY="+objects,
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_SYSTEM="+empty, "GIT_CONFIG_GLOBAL="+empty, "GIT_ATTR_NOSYSTEM=1",
		"GIT_NO_REPLACE_OBJECTS=1", "GIT_NO_LAZY_FETCH=1", "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0",
		"HOME="+dir, "XDG_CONFIG_HOME="+dir, "LC_ALL=C")
}

// command is git reading the view.
func (v *gitView) command(ctx context.Context, git string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, git, append([]string{"--no-pager"}, args...)...)
	cmd.Dir, cmd.Env = v.dir, v.env
	return cmd
}

// readBatch runs a `git cat-file --batch` of the view (args), feeding it
// stdin (nil: none), hands its output to read, and waits for it; when read
// fails, the rest is drained so git can finish. git's own first line of
// complaint is the error when there is one.
func (v *gitView) readBatch(ctx context.Context, git string, stdin io.Reader, read func(*bufio.Reader) error, args ...string) error {
	cmd := v.command(ctx, git, args...)
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &limited{w: &stderr, n: 512}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	br := bufio.NewReaderSize(out, 64<<10)
	readErr := read(br)
	if readErr != nil {
		_, _ = io.Copy(io.Discard, br)
	}
	if err := errors.Join(readErr, cmd.Wait()); err != nil {
		if msg := strings.TrimSpace(firstLine(stderr.String())); msg != "" {
			return fmt.Errorf("git: %s", msg)
		}
		return err
	}
	return nil
}

// close removes the view; the repository is untouched.
func (v *gitView) close() { _ = os.RemoveAll(v.dir) }

// maxAlternates is how deep checkObjects follows alternates, as git does.
const maxAlternates = 5

// checkObjects refuses an objects folder holding anything git would open
// that is not a folder or a regular file (a FIFO or a device, directly or
// through a symbolic link), in it or in the alternates it names: git
// opens those with a blocking open and would wait for ever. This holds
// for a repository from an archive or a shared folder; one that a running
// process changes between this check and git's read is not covered.
func checkObjects(objects string, depth int) error {
	if depth > maxAlternates {
		return nil
	}
	root, err := filepath.EvalSymlinks(objects)
	if err != nil {
		return nil // missing or unreadable: git says so
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		mode := d.Type()
		if mode&fs.ModeSymlink != 0 {
			fi, err := os.Stat(p)
			if err != nil {
				return nil // a dangling link: git cannot open it either
			}
			if fi.IsDir() {
				return checkObjects(p, depth+1)
			}
			mode = fi.Mode().Type()
		}
		if mode.IsDir() || mode.IsRegular() {
			return nil
		}
		return fmt.Errorf("%s is not a regular file (a named pipe or a device)", p)
	})
	if err != nil {
		return err
	}
	b, kind, err := readRaw(filepath.Join(root, "info", "alternates"), nil, 1<<20)
	if err != nil || kind != kindRegular {
		return nil
	}
	for _, line := range strings.Split(string(b), "\n") {
		alt := strings.TrimSpace(line)
		if alt == "" || alt[0] == '#' {
			continue
		}
		if !filepath.IsAbs(alt) {
			alt = filepath.Join(root, alt)
		}
		if err := checkObjects(alt, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// copyData copies the regular files at or under src to dst, 0600 in
// 0700 folders. Symbolic links, FIFOs and devices are left out, so git
// never follows the repository out of its refs nor waits on a FIFO there;
// so are unreadable and oversized files: a missing reflog only means a
// commit is not named.
func copyData(src, dst string) error {
	var buf []byte
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // nothing there, or unreadable: skipped
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o700)
		case d.Type().IsRegular():
			b, kind, err := readRaw(p, buf, viewCopyMax)
			if err != nil || kind != kindRegular {
				return nil
			}
			buf = b
			return os.WriteFile(to, b, 0o600)
		}
		return nil
	})
}

// packRefs returns the repository's refs, loose ones over packed ones,
// as the text of one packed-refs file. One file is cheaper than a copy of
// every branch's and tag's (git then also reads one file per command),
// and only refs that are well-formed reach git: a bad line in
// packed-refs stops it. Symbolic refs are left out; their targets are in.
func packRefs(common string, hexLen int) []byte {
	refs := map[string]string{}
	if b, kind, err := readRaw(filepath.Join(common, "packed-refs"), nil, viewCopyMax); err == nil && kind == kindRegular {
		for _, line := range strings.Split(string(b), "\n") {
			if id, name, ok := strings.Cut(strings.TrimSpace(line), " "); ok && validID(id, hexLen) && validRefName(name) {
				refs[name] = id
			}
		}
	}
	var buf []byte
	_ = filepath.WalkDir(filepath.Join(common, "refs"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil // unreadable, a link, a FIFO: left out
		}
		b, kind, err := readRaw(p, buf, 4<<10)
		rel, relErr := filepath.Rel(common, p)
		if err != nil || kind != kindRegular || relErr != nil {
			return nil
		}
		buf = b
		id, name := strings.TrimSpace(string(b)), filepath.ToSlash(rel)
		if validID(id, hexLen) && validRefName(name) {
			refs[name] = id
		}
		return nil
	})
	var out strings.Builder
	out.WriteString("# pack-refs with: sorted \n")
	for _, name := range slices.Sorted(maps.Keys(refs)) {
		out.WriteString(refs[name] + " " + name + "\n")
	}
	return []byte(out.String())
}

// validID reports whether s is an object name of the repository's format.
func validID(s string, hexLen int) bool {
	return len(s) == hexLen && strings.Trim(s, "0123456789abcdef") == ""
}

// validRefName reports whether name is a ref under refs/ as git names
// them (git check-ref-format's rules), so that git takes every ref the
// view gives it.
func validRefName(name string) bool {
	if !strings.HasPrefix(name, "refs/") || strings.HasSuffix(name, "/") || strings.HasSuffix(name, ".") ||
		strings.Contains(name, "..") || strings.Contains(name, "@{") || strings.Contains(name, "//") ||
		strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r == 0x7f || strings.ContainsRune("~^:?*[\\", r) }) {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock") {
			return false
		}
	}
	return utf8.ValidString(name)
}

// objectFormat reads extensions.objectFormat from a repository's config
// file the way git does to open a repository: that file alone, without
// includes, and without running anything. It returns "sha1" when the
// setting or the file is missing.
func objectFormat(config string) (string, error) {
	b, kind, err := readRaw(config, nil, 1<<20)
	if err != nil || kind != kindRegular {
		return "sha1", nil
	}
	format, section := "sha1", ""
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, "["); ok {
			name, after, ok := strings.Cut(rest, "]")
			if !ok {
				continue
			}
			section, line = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(after)
		}
		key, value, ok := strings.Cut(line, "=")
		if section != "extensions" || !ok || !strings.EqualFold(strings.TrimSpace(key), "objectformat") {
			continue
		}
		value, _, _ = strings.Cut(value, "#")
		value, _, _ = strings.Cut(value, ";")
		format = strings.ToLower(strings.Trim(strings.TrimSpace(value), `"`))
	}
	switch format {
	case "sha1", "sha256":
		return format, nil
	}
	return "", errors.New("its objects are stored in a format this sweep does not know")
}
