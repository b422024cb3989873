package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// stagedIn checks dir's staged changes with a time limit, so a test that
// would block fails instead.
func stagedIn(t testing.TB, opt StagedOptions) *StagedReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := Staged(ctx, opt)
	if err != nil {
		t.Fatalf("Staged: %v", err)
	}
	return rep
}

// stagedHits lists the hits as "file:line what", the file relative to the
// repository.
func stagedHits(t testing.TB, rep *StagedReport) []string {
	t.Helper()
	var got []string
	for _, h := range rep.Hits {
		rel, err := filepath.Rel(rep.Repo, h.Path)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s:%d %s", filepath.ToSlash(rel), h.Line, h.What()))
	}
	return got
}

// assertStagedNoLeak fails when the report, as JSON or %+v, or its next
// steps hold any of the keys' values.
func assertStagedNoLeak(t testing.TB, rep *StagedReport, keys ...Key) {
	t.Helper()
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b) + fmt.Sprintf("%v %+v", rep, rep.Hits)
	for _, h := range rep.Hits {
		text += h.Where() + h.What() + h.Next
	}
	if l := leaks(text, keys...); len(l) > 0 {
		t.Errorf("the report shows %v", l)
	}
}

// botRepo makes a repository with one commit holding a clean README and a
// config that already held key old's API key (committed before: history,
// not this commit's business).
func botRepo(t testing.TB, old Key) string {
	t.Helper()
	repo := filepath.Join(t.TempDir(), "bot")
	write(t, repo, "README.md", "# bot\n")
	write(t, repo, "old.cfg", "api = "+old.APIKey+"\n")
	git(t, repo, "init", "-q", "-b", "main")
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-qm", "first")
	return repo
}

// The staged changes are what the next commit adds: a stored key's copy
// in a staged file and a Kraken key not in Keywarden are found, with the
// file, the line and the key; what is only in the work tree, and what an
// earlier commit already holds unchanged, are not this commit's.
func TestStaged_FindsWhatTheCommitAdds(t *testing.T) {
	bot, old := newKey(t, "grid-bot", ""), newKey(t, "old-bot", "")
	stray := newKey(t, "stray", "")
	repo := botRepo(t, old)
	write(t, repo, "README.md", "# bot\n\nRun it with keywarden exec.\n")
	write(t, repo, "deploy/.env", "# bot settings\nKRAKEN_API_KEY="+bot.APIKey+"\nKRAKEN_API_SECRET="+bot.PrivateKey+"\n")
	write(t, repo, "scripts/kraken.py", "# kraken account of the dca script\nKRAKEN_API_KEY = '"+stray.APIKey+"'\nKRAKEN_API_SECRET = '"+stray.PrivateKey+"'\n")
	git(t, repo, "add", ".")
	write(t, repo, "notes.txt", "secret "+bot.PrivateKey+"\n") // not staged
	write(t, repo, "README.md", "# bot\n"+bot.APIKey+"\n")     // changed again, not staged

	rep := stagedIn(t, StagedOptions{Dir: filepath.Join(repo, "deploy"), Keys: []Key{bot, old}})
	want := []string{
		`deploy/.env:2 API key of "grid-bot"`,
		`deploy/.env:3 private key of "grid-bot"`,
		`scripts/kraken.py:2 key #1 not in Keywarden (API key and private key, API key ending ` + stray.Hint + `)`,
	}
	if got := stagedHits(t, rep); !slices.Equal(got, want) {
		t.Errorf("hits:\n%q\nwant:\n%q", got, want)
	}
	if rep.Repo != repo || rep.Files != 3 {
		t.Errorf("repo %q files %d, want %q and 3 staged files read", rep.Repo, rep.Files, repo)
	}
	for _, h := range rep.Hits {
		if !strings.HasPrefix(h.Next, "Before you commit, take the key out of ") {
			t.Errorf("next step of %s: %q", h.Where(), h.Next)
		}
	}
	if n := rep.Hits[0].Next; !strings.Contains(n, "git restore --staged -- deploy/.env") || !strings.Contains(n, "keywarden exec grid-bot") {
		t.Errorf("the next step of the .env copy does not say how to unstage it and run the bot: %q", n)
	}
	assertStagedNoLeak(t, rep, bot, old, stray)
}

// A pre-commit hook of `git commit -a` or `git commit PATH` is handed a
// temporary index in GIT_INDEX_FILE: that one is what is committed, and
// what is checked.
func TestStaged_ReadsTheIndexItIsGiven(t *testing.T) {
	bot := newKey(t, "grid-bot", "")
	repo := botRepo(t, newKey(t, "old", ""))
	write(t, repo, "README.md", "# bot\nKRAKEN_API_KEY="+bot.APIKey+"\n")
	next := filepath.Join(repo, ".git", "next-index-1.lock")
	if err := os.WriteFile(next, mustRead(t, filepath.Join(repo, ".git", "index")), 0o600); err != nil {
		t.Fatal(err)
	}
	gitEnv(t, repo, []string{"GIT_INDEX_FILE=" + next}, "add", "README.md")

	if rep := stagedIn(t, StagedOptions{Dir: repo, Keys: []Key{bot}}); len(rep.Hits) != 0 {
		t.Errorf("the repository's own index has nothing staged, yet:\n%s", describe(rep.Hits))
	}
	rep := stagedIn(t, StagedOptions{Dir: repo, IndexFile: ".git/next-index-1.lock", Keys: []Key{bot}})
	if got := stagedHits(t, rep); !slices.Equal(got, []string{`README.md:2 API key of "grid-bot"`}) {
		t.Errorf("with the commit's index: %q", got)
	}
}

// Before the first commit every staged file is new; in a linked worktree
// the worktree's own HEAD and index count.
func TestStaged_FirstCommitAndWorktree(t *testing.T) {
	bot := newKey(t, "grid-bot", "")
	repo := filepath.Join(t.TempDir(), "new")
	write(t, repo, "config.json", `{"key": "`+bot.APIKey+`"}`+"\n")
	git(t, repo, "init", "-q", "-b", "main")
	git(t, repo, "add", ".")
	if got := stagedHits(t, stagedIn(t, StagedOptions{Dir: repo, Keys: []Key{bot}})); !slices.Equal(got, []string{`config.json:1 API key of "grid-bot"`}) {
		t.Errorf("before the first commit: %q", got)
	}

	git(t, repo, "rm", "-q", "--cached", "config.json")
	write(t, repo, "a.txt", "a\n")
	git(t, repo, "add", "a.txt")
	git(t, repo, "commit", "-qm", "a")
	wt := filepath.Join(t.TempDir(), "wt")
	git(t, repo, "worktree", "add", "-q", "-b", "side", wt)
	write(t, wt, "b.txt", "b\n")
	git(t, wt, "add", "b.txt")
	git(t, wt, "commit", "-qm", "b on side")
	write(t, wt, "b.txt", "b\nKRAKEN_API_KEY="+bot.APIKey+"\n")
	git(t, wt, "add", "b.txt")
	if got := stagedHits(t, stagedIn(t, StagedOptions{Dir: wt, Keys: []Key{bot}})); !slices.Equal(got, []string{`b.txt:2 API key of "grid-bot"`}) {
		t.Errorf("in the worktree: %q", got)
	}
	if got := stagedHits(t, stagedIn(t, StagedOptions{Dir: repo, Keys: []Key{bot}})); len(got) != 0 {
		t.Errorf("the main work tree has nothing staged, yet: %q", got)
	}
}

// Checking the staged changes runs nothing the repository names: not its
// hooks, fsmonitor, filters, pagers or any other program its config (or
// one it includes) or the person's GIT_* variables name.
func TestStaged_RunsNothingTheRepositoryNames(t *testing.T) {
	m := newMarkers(t)
	k := newKey(t, "trap-bot", "")
	repo := botRepo(t, newKey(t, "old", ""))
	write(t, repo, "bot/.env", "KRAKEN_API_KEY="+k.APIKey+"\n")
	write(t, repo, ".gitattributes", "* diff=mark filter=mark\n")
	git(t, repo, "add", ".")
	// Then the traps: every hook, and every setting that names a program,
	// in the repository's config and in configs it includes.
	dotGit := filepath.Join(repo, ".git")
	write(t, dotGit, "info/attributes", "* diff=mark filter=mark\n")
	writeHooks(t, m, filepath.Join(dotGit, "hooks"), "hook-")
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
	rep := stagedIn(t, StagedOptions{Dir: repo, Keys: []Key{k}})
	if got := m.left(t); len(got) > 0 {
		t.Errorf("checking the staged changes ran %d programs: %v", len(got), got)
	}
	if got := stagedHits(t, rep); !slices.Equal(got, []string{`bot/.env:1 API key of "trap-bot"`}) {
		t.Errorf("hits %q", got)
	}
}

func mustRead(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// gitEnv runs git in dir with extra environment variables.
func gitEnv(t testing.TB, dir string, env []string, args ...string) {
	t.Helper()
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	git(t, dir, args...)
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		os.Unsetenv(k)
	}
}

// A staged file over the size limit is not read, and the report names it
// rather than passing it over in silence.
func TestStaged_NamesFilesTooBigToRead(t *testing.T) {
	bot := newKey(t, "grid-bot", "")
	repo := botRepo(t, newKey(t, "old", ""))
	write(t, repo, "small.txt", "KRAKEN_API_KEY="+bot.APIKey+"\n")
	write(t, repo, "logs/big.log", strings.Repeat("a line of a log\n", 64)+"KRAKEN_API_KEY="+bot.APIKey+"\n")
	git(t, repo, "add", ".")
	rep := stagedIn(t, StagedOptions{Dir: repo, Keys: []Key{bot}, MaxFileSize: 512})
	if got := stagedHits(t, rep); !slices.Equal(got, []string{`small.txt:1 API key of "grid-bot"`}) || !slices.Equal(rep.NotChecked, []string{"logs/big.log"}) {
		t.Errorf("hits %q, not checked %q; want the small file's hit and logs/big.log named", got, rep.NotChecked)
	}
}
