package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/keywarden/keywarden/app/internal/atomicfile"
)

// The pre-commit hook. Keywarden's check is a block of a few lines between
// two marker lines, put right after the first line of the repository's
// pre-commit hook when there is one (a shell script), so that hook keeps
// its name, its place and its content and runs after the check: hook
// managers (husky, pre-commit, lefthook) find their files by the hook's
// own name, which renaming it would break. With no hook, Keywarden writes
// one holding only the block; removing the block from it deletes the file.
// The block runs the keywarden program by its absolute path, quoted, so a
// GUI git client without keywarden on PATH runs it too, and falls back to
// keywarden on PATH when that program has moved; when there is none it
// stops the commit (fail closed) and says how to reinstall or remove the
// check. It works in Git for Windows' sh, which runs hooks there.

const (
	hookBegin = "# >>> keywarden: stops a commit that holds a Kraken key (keywarden sweep --remove-hook takes this out)"
	hookEnd   = "# <<< keywarden"
	// hookShebang starts a hook Keywarden writes itself.
	hookShebang = "#!/bin/sh"
	// maxHook is the largest existing hook Keywarden reads and changes.
	maxHook = 1 << 20
)

// HookOptions says which repository's pre-commit hook to change.
type HookOptions struct {
	// Repo is a folder inside the repository (default: the current one).
	Repo string
	// Program is the keywarden program the hook runs (an absolute path).
	Program string
	// Git is the git program (default "git" from PATH).
	Git string
}

// HookResult says what InstallHook or RemoveHook did.
type HookResult struct {
	// Path is the pre-commit hook's file.
	Path string
	// Changed is false when there was nothing to do (already installed,
	// or no check to remove).
	Changed bool
	// Chained is true when the repository had a hook of its own, which
	// runs after Keywarden's check (install) or is left as it was
	// (remove).
	Chained bool
	// Deleted is true when the hook held only Keywarden's check and was
	// deleted.
	Deleted bool
}

// HookError says why a hook cannot be changed, in plain words with what to
// do instead.
type HookError struct {
	Path string
	Msg  string
}

// Error is the message.
func (e *HookError) Error() string { return e.Msg }

// InstallHook puts Keywarden's check (`keywarden sweep --staged`) at the
// start of the repository's pre-commit hook, where git looks for it (which
// core.hooksPath may change), keeping a hook already there: a shell
// script gets the check after its first line; anything else (a link, a
// program, another language) is not changed, and the error says what to
// add by hand. Installing again updates the program's path.
func InstallHook(ctx context.Context, opt HookOptions) (HookResult, error) {
	if !filepath.IsAbs(opt.Program) {
		return HookResult{}, fmt.Errorf("the keywarden program's path %q is not absolute", opt.Program)
	}
	hook, err := hookPath(ctx, opt)
	if err != nil {
		return HookResult{}, err
	}
	res := HookResult{Path: hook}
	old, mode, err := readHook(hook)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(filepath.Dir(hook), 0o700); err != nil {
			return res, err
		}
		res.Changed = true
		return res, atomicfile.Write(hook, []byte(hookShebang+"\n"+hookBlock(opt.Program, "\n")), 0o700)
	case err != nil:
		return res, err
	}
	nl := lineEnd(old)
	rest, had := cutBlock(old)
	res.Chained = len(bytes.TrimSpace(rest)) > 0 && string(bytes.TrimSpace(rest)) != hookShebang
	first, body, _ := bytes.Cut(rest, []byte("\n"))
	if !shellScript(string(first)) {
		return res, &HookError{Path: hook, Msg: fmt.Sprintf("%s is a hook of this repository that is not a shell script; Keywarden does not change it. Make it run %s sweep --staged first and stop the commit when that fails.",
			hook, shellQuote(opt.Program))}
	}
	updated := append(append(append([]byte{}, first...), '\n'), hookBlock(opt.Program, nl)...)
	updated = append(updated, body...)
	if had && bytes.Equal(updated, old) {
		return res, nil
	}
	res.Changed = true
	return res, atomicfile.Write(hook, updated, mode)
}

// RemoveHook takes Keywarden's check out of the repository's pre-commit
// hook, leaving the rest as it was, and deletes a hook that held nothing
// else.
func RemoveHook(ctx context.Context, opt HookOptions) (HookResult, error) {
	hook, err := hookPath(ctx, opt)
	if err != nil {
		return HookResult{}, err
	}
	res := HookResult{Path: hook}
	old, mode, err := readHook(hook)
	if errors.Is(err, fs.ErrNotExist) {
		return res, nil
	}
	if err != nil {
		return res, err
	}
	rest, had := cutBlock(old)
	if !had {
		return res, nil
	}
	res.Changed = true
	if string(bytes.TrimSpace(rest)) == hookShebang {
		res.Deleted = true
		return res, os.Remove(hook)
	}
	res.Chained = true
	return res, atomicfile.Write(hook, rest, mode)
}

// hookPath asks git where the repository's pre-commit hook is: in its git
// folder's hooks, or where core.hooksPath says. git rev-parse only reads
// the configuration; it runs nothing it names.
func hookPath(ctx context.Context, opt HookOptions) (string, error) {
	git := opt.Git
	if git == "" {
		var err error
		if git, err = exec.LookPath("git"); err != nil {
			return "", errors.New("git is not installed")
		}
	}
	dir, err := filepath.Abs(cmpOr(opt.Repo, "."))
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, git, "--no-pager", "rev-parse", "--path-format=absolute", "--git-path", "hooks")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0")
	var stderr bytes.Buffer
	cmd.Stderr = &limited{w: &stderr, n: 512}
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "not a git repository") {
			return "", ErrNoRepository
		}
		if msg := strings.TrimSpace(firstLine(stderr.String())); msg != "" {
			return "", fmt.Errorf("git: %s", msg)
		}
		return "", err
	}
	// The folder, not the file: git gives an absolute path with links
	// resolved, which for a hook that is a link would name its target.
	p := strings.TrimSpace(string(out))
	if !filepath.IsAbs(p) {
		return "", fmt.Errorf("git named the hooks folder %q, not an absolute path", p)
	}
	return filepath.Join(p, "pre-commit"), nil
}

// readHook reads an existing hook: only a regular file (not a link, which
// may point into the work tree, nor a FIFO), at most maxHook bytes. It
// returns its mode, to keep.
func readHook(hook string) ([]byte, os.FileMode, error) {
	fi, err := os.Lstat(hook)
	if err != nil {
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, &HookError{Path: hook, Msg: fmt.Sprintf("%s is a link or not a regular file; Keywarden does not change it. Make the hook it stands for run keywarden sweep --staged first and stop the commit when that fails.", hook)}
	}
	b, kind, err := readRaw(hook, nil, maxHook)
	switch {
	case err != nil:
		return nil, 0, err
	case kind != kindRegular:
		return nil, 0, &HookError{Path: hook, Msg: fmt.Sprintf("%s is too big or not a regular file; Keywarden does not change it.", hook)}
	}
	return b, fi.Mode().Perm(), nil
}

// hookBlock is Keywarden's check, its lines ending with nl.
func hookBlock(program, nl string) string {
	missing := fmt.Sprintf("keywarden: this commit is stopped: Keywarden is neither at %s nor on PATH, so the staged changes could not be checked for Kraken keys. "+
		"Install it again and run keywarden sweep --install-hook in this repository, or take the check out with keywarden sweep --remove-hook (or by deleting its lines from this hook).", program)
	lines := []string{
		hookBegin,
		"kw_exe=" + shQuote(hookProgram(program)),
		`[ -x "$kw_exe" ] || kw_exe=$(command -v keywarden 2>/dev/null) || kw_exe=`,
		`if [ -z "$kw_exe" ]; then`,
		"\tprintf '%s\\n' " + shQuote(missing) + " >&2",
		"\texit 1",
		"fi",
		`"$kw_exe" sweep --staged || exit 1`,
		"unset kw_exe",
		hookEnd,
	}
	return strings.Join(lines, nl) + nl
}

// hookProgram is the program's path as the hook's shell reads it: with
// forward slashes on Windows (C:/Program Files/…), which Git for
// Windows' sh takes.
func hookProgram(p string) string { return filepath.ToSlash(p) }

// shQuote always single-quotes s for a POSIX shell: nothing in it
// expands.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// cutBlock returns the hook without Keywarden's block, and whether it had
// one.
func cutBlock(hook []byte) ([]byte, bool) {
	begin := bytes.Index(hook, []byte(hookBegin))
	if begin < 0 || (begin > 0 && hook[begin-1] != '\n') {
		return hook, false
	}
	end := bytes.Index(hook[begin:], []byte(hookEnd))
	if end < 0 {
		return hook, false
	}
	end += begin + len(hookEnd)
	if end < len(hook) && hook[end] == '\r' {
		end++
	}
	if end < len(hook) && hook[end] == '\n' {
		end++
	}
	return append(append([]byte{}, hook[:begin]...), hook[end:]...), true
}

// lineEnd is the hook's line ending: "\r\n" when its first line has one.
func lineEnd(hook []byte) string {
	if first, _, ok := bytes.Cut(hook, []byte("\n")); ok && bytes.HasSuffix(first, []byte("\r")) {
		return "\r\n"
	}
	return "\n"
}

// shellScript reports whether a first line starts a POSIX-like shell
// script: #!/bin/sh, #!/usr/bin/env bash and the like.
func shellScript(first string) bool {
	rest, ok := strings.CutPrefix(strings.TrimSpace(first), "#!")
	if !ok {
		return false
	}
	f := strings.Fields(rest)
	if len(f) == 0 {
		return false
	}
	prog := path.Base(f[0])
	if prog == "env" && len(f) > 1 {
		prog = path.Base(f[1])
	}
	switch prog {
	case "sh", "bash", "dash", "zsh", "ksh", "ash", "mksh":
		return true
	}
	return false
}
