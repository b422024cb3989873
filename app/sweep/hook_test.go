//go:build unix

package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hookOf returns the pre-commit hook's path in repo's default hooks
// folder.
func hookOf(repo string) string { return filepath.Join(repo, ".git", "hooks", "pre-commit") }

// With no hook, install writes one holding only the check (executable,
// the program's path quoted so a space or a quote in it cannot split or
// end the word), and removal deletes it again.
func TestInstallHook_NewHookAndRemoval(t *testing.T) {
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	repo := botRepo(t, newKey(t, "old", ""))
	prog := filepath.Join(t.TempDir(), "it's a dir", "keywarden")
	res, err := InstallHook(context.Background(), HookOptions{Repo: repo, Program: prog})
	if err != nil || !res.Changed || res.Chained || res.Path != hookOf(repo) {
		t.Fatalf("install: %+v, %v", res, err)
	}
	b := mustRead(t, res.Path)
	if !strings.HasPrefix(string(b), "#!/bin/sh\n"+hookBegin+"\n") || !strings.Contains(string(b), "kw_exe="+shQuote(prog)+"\n") {
		t.Errorf("the hook:\n%s", b)
	}
	if fi, err := os.Stat(res.Path); err != nil || fi.Mode().Perm()&0o100 == 0 {
		t.Errorf("the hook is not executable: %v %v", fi.Mode(), err)
	}
	out, err := exec.Command("sh", "-n", res.Path).CombinedOutput()
	if err != nil {
		t.Errorf("sh -n: %v\n%s", err, out)
	}
	res, err = RemoveHook(context.Background(), HookOptions{Repo: repo})
	if err != nil || !res.Changed || !res.Deleted {
		t.Fatalf("remove: %+v, %v", res, err)
	}
	if _, err := os.Lstat(res.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the hook Keywarden wrote is still there: %v", err)
	}
	if res, err = RemoveHook(context.Background(), HookOptions{Repo: repo}); err != nil || res.Changed {
		t.Errorf("a second removal: %+v, %v", res, err)
	}
}

// When the program the hook names is gone and keywarden is not on PATH,
// the hook stops the commit and says how to put things right: a check
// that cannot run does not let a commit through.
func TestInstallHook_MissingProgramStopsTheCommit(t *testing.T) {
	repo := botRepo(t, newKey(t, "old", ""))
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	if _, err := InstallHook(context.Background(), HookOptions{Repo: repo, Program: "/nonexistent/keywarden"}); err != nil {
		t.Fatal(err)
	}
	write(t, repo, "a.txt", "a\n")
	git(t, repo, "add", "a.txt")
	before := git(t, repo, "rev-parse", "HEAD")
	cmd := exec.Command("git", "-C", repo, "commit", "-qm", "a")
	cmd.Env = append(os.Environ(), "PATH=/usr/bin:/bin", "HOME="+t.TempDir(), "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err == nil || git(t, repo, "rev-parse", "HEAD") != before {
		t.Fatalf("the commit went through:\n%s", out)
	}
	if want := "keywarden: this commit is stopped: Keywarden is neither at /nonexistent/keywarden nor on PATH"; !strings.Contains(string(out), want) {
		t.Errorf("the output lacks %q:\n%s", want, out)
	}
}

// An existing shell hook keeps its first line, its content, its line
// endings and its mode; the check goes right after the first line, and
// removal gives back the very same bytes. Installing again with another
// path updates the check in place.
func TestInstallHook_ChainsAShellHook(t *testing.T) {
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	for name, own := range map[string]string{
		"husky's":       "#!/usr/bin/env sh\n. \"${0%/*}/h\"",
		"a bash script": "#!/bin/bash -e\nset -u\nnpx lint-staged\n",
		"CRLF endings":  "#!/bin/sh\r\necho hi\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			repo := botRepo(t, newKey(t, "old", ""))
			hook := hookOf(repo)
			if err := os.WriteFile(hook, []byte(own), 0o750); err != nil {
				t.Fatal(err)
			}
			res, err := InstallHook(context.Background(), HookOptions{Repo: repo, Program: "/opt/kw/keywarden"})
			if err != nil || !res.Changed || !res.Chained {
				t.Fatalf("install: %+v, %v", res, err)
			}
			first, rest, _ := strings.Cut(own, "\n")
			nl := "\n"
			if strings.HasSuffix(first, "\r") {
				nl = "\r\n"
			}
			want := first + "\n" + hookBlock("/opt/kw/keywarden", nl) + rest
			if got := string(mustRead(t, hook)); got != want {
				t.Errorf("the hook:\n%q\nwant:\n%q", got, want)
			}
			if res, err = InstallHook(context.Background(), HookOptions{Repo: repo, Program: "/usr/bin/keywarden"}); err != nil || !res.Changed {
				t.Fatalf("install with another path: %+v, %v", res, err)
			}
			if got := string(mustRead(t, hook)); strings.Count(got, hookBegin) != 1 || !strings.Contains(got, "kw_exe='/usr/bin/keywarden'") {
				t.Errorf("after a second install:\n%s", got)
			}
			if res, err = RemoveHook(context.Background(), HookOptions{Repo: repo}); err != nil || !res.Changed || res.Deleted {
				t.Fatalf("remove: %+v, %v", res, err)
			}
			if got := mustRead(t, hook); !bytes.Equal(got, []byte(own)) {
				t.Errorf("after removal:\n%q\nwant the original:\n%q", got, own)
			}
			if fi, err := os.Stat(hook); err != nil || fi.Mode().Perm() != 0o750 {
				t.Errorf("the hook's mode: %v, %v", fi.Mode(), err)
			}
		})
	}
}

// A hook Keywarden cannot safely edit (another language, a link that may
// point into the work tree) is left byte for byte as it was, and the
// error says what to do by hand.
func TestInstallHook_LeavesOtherHooksAlone(t *testing.T) {
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	repo := botRepo(t, newKey(t, "old", ""))
	hook := hookOf(repo)
	py := "#!/usr/bin/env python3\nprint('hi')\n"
	if err := os.WriteFile(hook, []byte(py), 0o755); err != nil {
		t.Fatal(err)
	}
	var he *HookError
	if _, err := InstallHook(context.Background(), HookOptions{Repo: repo, Program: "/opt/kw/keywarden"}); !errors.As(err, &he) || !strings.Contains(he.Msg, "not a shell script") {
		t.Errorf("a Python hook: %v", err)
	}
	if got := string(mustRead(t, hook)); got != py {
		t.Errorf("the Python hook was changed:\n%s", got)
	}

	target := write(t, repo, "scripts/pre-commit.sh", "#!/bin/sh\nexit 0\n")
	if err := os.Remove(hook); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, hook); err != nil {
		t.Fatal(err)
	}
	if _, err := InstallHook(context.Background(), HookOptions{Repo: repo, Program: "/opt/kw/keywarden"}); !errors.As(err, &he) || !strings.Contains(he.Msg, "is a link") {
		t.Errorf("a linked hook: %v", err)
	}
	if got := string(mustRead(t, target)); got != "#!/bin/sh\nexit 0\n" {
		t.Errorf("the linked script was changed:\n%s", got)
	}
	if _, err := InstallHook(context.Background(), HookOptions{Repo: t.TempDir(), Program: "/opt/kw/keywarden"}); !errors.Is(err, ErrNoRepository) {
		t.Errorf("outside a repository: %v", err)
	}
}

// core.hooksPath moves the hook: install follows it, as git does.
func TestInstallHook_FollowsHooksPath(t *testing.T) {
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	repo := botRepo(t, newKey(t, "old", ""))
	hooks := filepath.Join(repo, ".githooks")
	git(t, repo, "config", "core.hooksPath", ".githooks")
	res, err := InstallHook(context.Background(), HookOptions{Repo: repo, Program: "/opt/kw/keywarden"})
	if err != nil || res.Path != filepath.Join(hooks, "pre-commit") {
		t.Fatalf("install: %+v, %v", res, err)
	}
	if _, err := os.Stat(res.Path); err != nil {
		t.Error(err)
	}
}

// Installing and removing the hook asks git where the hooks are, in the
// repository itself: nothing its config (or a config it includes) or the
// GIT_* variables name may run.
func TestInstallHook_RunsNothingTheRepositoryNames(t *testing.T) {
	m := newMarkers(t)
	repo := botRepo(t, newKey(t, "old", ""))
	dotGit := filepath.Join(repo, ".git")
	write(t, dotGit, "info/attributes", "* diff=mark filter=mark\n")
	var includes [][2]string
	for i, key := range []string{"include.path", "includeIf.gitdir:" + filepath.ToSlash(dotGit) + ".path", "includeIf.onbranch:main.path"} {
		included := filepath.Join(t.TempDir(), "included")
		setPrograms(t, m, included, fmt.Sprintf("include%d-", i))
		includes = append(includes, [2]string{key, included})
	}
	setPrograms(t, m, filepath.Join(dotGit, "config"), "config-", includes...)
	if got := m.left(t); len(got) > 0 {
		t.Fatalf("programs ran while the fixture was made: %v", got)
	}
	t.Setenv("GIT_EXTERNAL_DIFF", m.program(t, "env-GIT_EXTERNAL_DIFF"))
	t.Setenv("GIT_PAGER", m.program(t, "env-GIT_PAGER"))
	t.Setenv("GIT_CONFIG_PARAMETERS", "'core.fsmonitor="+m.program(t, "env-fsmonitor")+"'")
	opt := HookOptions{Repo: repo, Program: "/opt/kw/keywarden"}
	if _, err := InstallHook(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	if _, err := RemoveHook(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	if got := m.left(t); len(got) > 0 {
		t.Errorf("installing and removing the hook ran %d programs: %v", len(got), got)
	}
}
