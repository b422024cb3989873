package sweep

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plantedHome is a temporary home with copies of stored keys and of keys
// not in the vault in every kind of place the sweep looks.
type plantedHome struct {
	dir                          string
	bot, script, dotenv, hb, git Key // stored
	pushed                       Key // stored, in a pushed history
	missing                      Key // stored, but its secret was not read
	near, named, inGit           Key // not in the vault
}

func newPlantedHome(t *testing.T) *plantedHome {
	t.Helper()
	h := &plantedHome{
		dir: t.TempDir(),
		bot: newKey(t, "freqtrade-bot", "/+"), script: newKey(t, "script", ""), dotenv: newKey(t, "trader", ""),
		hb: newKey(t, "hummingbot", ""), git: newKey(t, "old-bot", ""), pushed: newKey(t, "pushed", ""),
		missing: newKey(t, "locked", ""),
		near:    newKey(t, "near", ""), named: newKey(t, "named", ""), inGit: newKey(t, "in-git", ""),
	}
	d := h.dir
	esc := func(s string) string { return strings.ReplaceAll(s, "/", `\/`) }
	// A freqtrade config, written by a program that escapes slashes.
	write(t, d, "bots/mybot/user_data/config.json", `{
    "max_open_trades": 3,
    "stake_currency": "EUR",
    "exchange": {
        "name": "kraken",
        "key": "`+esc(h.bot.APIKey)+`",
        "secret": "`+esc(h.bot.PrivateKey)+`"
    }
}
`)
	// The same private key URL-encoded in a dotfile folder.
	write(t, d, ".config/tool/settings.ini", "[auth]\nsecret="+url.QueryEscape(h.bot.PrivateKey)+"\n")
	// Shell histories: bash, zsh's extended format, fish.
	write(t, d, ".bash_history", "ls\nexport KRAKEN_API_SECRET="+h.script.PrivateKey+"\nKRAKEN_API_KEY="+h.script.APIKey+" python3 trade.py --pair XBTEUR\n")
	write(t, d, ".zsh_history", ": 1700000000:0;cd bots\n: 1700000001:0;export KRAKEN_API_KEY='"+h.script.APIKey+"'\n")
	write(t, d, ".local/share/fish/fish_history", "- cmd: set -x KRAKEN_API_SECRET "+h.script.PrivateKey+"\n  when: 1700000000\n")
	// A .env beside a script, under other names than exec's defaults.
	write(t, d, "projects/trader/.env", "# trader\nKRAKEN_KEY="+h.dotenv.APIKey+"\nKRAKEN_SECRET=\""+h.dotenv.PrivateKey+"\"\n")
	// A Hummingbot connector file written by hand.
	write(t, d, "hummingbot/conf/connectors/kraken.yml", "kraken_api_key: "+h.hb.APIKey+"\nkraken_secret_key: "+h.hb.PrivateKey+"\n")
	// A key Keywarden holds but whose secret it could not read: a pair.
	write(t, d, "old/locked.txt", "key "+h.missing.APIKey+"\nsecret "+h.missing.PrivateKey+"\n")
	// Keys not in the vault: a pair two lines apart in a file that does
	// not name Kraken, and one under names far apart in one that does.
	write(t, d, "notes/todo.txt", "buy milk\napi key: "+h.near.APIKey+"\nremember\nsecret: "+h.near.PrivateKey+"\n")
	named := "# Kraken settings\nKRAKEN_API_KEY=" + h.named.APIKey + "\n" + strings.Repeat("# filler\n", 12) + "KRAKEN_API_SECRET=" + h.named.PrivateKey + "\n"
	write(t, d, "scripts/kraken.sh", named)
	// Noise that must not be taken for keys: a request ID above a
	// signature, of a key's and a private key's shapes, in a file that
	// has nothing to do with Kraken (issue 21), and hex digests.
	decoy := newKey(t, "decoy", "")
	write(t, d, "logs/webhook.log", "POST /hook 200\nrequest_id: "+decoy.APIKey+"\nsignature: "+decoy.PrivateKey+"\n")
	write(t, d, "noise/hashes.txt", strings.Repeat("a", 56)+"\n"+strings.Repeat("0123456789abcdef", 4)[:56]+"\n")
	return h
}

// stored returns the keys the vault holds, with the one whose secret was
// not read reduced to its ID, name and hint.
func (h *plantedHome) stored() []Key {
	return []Key{h.bot, h.script, h.dotenv, h.hb, h.git, h.pushed, {ID: h.missing.ID, Name: h.missing.Name, Hint: h.missing.Hint}}
}

func (h *plantedHome) all() []Key {
	return []Key{h.bot, h.script, h.dotenv, h.hb, h.git, h.pushed, h.missing, h.near, h.named, h.inGit}
}

// commitThenRemove makes a repository under the home whose first commit
// holds a stored key's copy and an unknown pair, removed again by the
// second commit.
func (h *plantedHome) commitThenRemove(t *testing.T) string {
	t.Helper()
	repo := filepath.Join(h.dir, "projects", "oldbot")
	write(t, repo, "config.json", `{"exchange": {"name": "kraken", "key": "`+h.git.APIKey+`", "secret": "`+h.git.PrivateKey+`"}}`+"\n")
	write(t, repo, "notes.md", "kraken test key\n"+h.inGit.APIKey+"\n"+h.inGit.PrivateKey+"\n")
	git(t, repo, "init", "-q", "-b", "main")
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-qm", "add config")
	first := git(t, repo, "rev-parse", "HEAD")
	write(t, repo, "config.json", `{"exchange": {"name": "kraken", "key": "", "secret": ""}}`+"\n")
	if err := os.Remove(filepath.Join(repo, "notes.md")); err != nil {
		t.Fatal(err)
	}
	git(t, repo, "add", "-A")
	git(t, repo, "commit", "-qm", "keys out of the config")
	return first
}

// pushedRepo makes a repository whose commit with a key was pushed to a
// remote (a bare repository outside the home), then removed locally.
func (h *plantedHome) pushedRepo(t *testing.T) string {
	t.Helper()
	remote := filepath.Join(t.TempDir(), "remote.git")
	git(t, filepath.Dir(remote), "init", "-q", "--bare", "-b", "main", remote)
	repo := filepath.Join(h.dir, "projects", "shared")
	write(t, repo, "deploy/.env", "KRAKEN_API_KEY="+h.pushed.APIKey+"\nKRAKEN_API_SECRET="+h.pushed.PrivateKey+"\n")
	git(t, repo, "init", "-q", "-b", "main")
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-qm", "deploy settings")
	commit := git(t, repo, "rev-parse", "HEAD")
	git(t, repo, "remote", "add", "origin", remote)
	git(t, repo, "push", "-q", "origin", "main")
	git(t, repo, "rm", "-q", "deploy/.env")
	git(t, repo, "commit", "-qm", "no keys in the repository")
	return commit
}

func TestRun_FindsEveryPlantedCopy(t *testing.T) {
	needGit(t)
	h := newPlantedHome(t)
	oldCommit := h.commitThenRemove(t)
	pushedCommit := h.pushedRepo(t)

	rep := sweepDir(t, Options{Roots: []string{h.dir}, Keys: h.stored()})
	assertNoLeak(t, rep, h.all()...)
	t.Logf("hits:\n%s", describe(rep.Hits))

	type want struct {
		path  string // suffix
		kind  Kind
		key   string // stored key's name, or "" for unknown
		part  Part
		line  int
		check func(t *testing.T, h Hit)
	}
	wants := []want{
		{"bots/mybot/user_data/config.json", KindStored, "freqtrade-bot", PartAPIKey, 6, func(t *testing.T, hit Hit) {
			if hit.Form != FormJSONEscaped || hit.Field != "key" || hit.Program != ProgramFreqtrade || hit.Place != PlaceBotConfig {
				t.Errorf("form %s field %q program %q place %s", hit.Form, hit.Field, hit.Program, hit.Place)
			}
			wantNext := "cd " + filepath.Join(h.dir, "bots", "mybot") + " && keywarden exec freqtrade-bot --key-env FREQTRADE__EXCHANGE__KEY --secret-env FREQTRADE__EXCHANGE__SECRET -- freqtrade trade --config user_data/config.json"
			if !strings.Contains(hit.Next, wantNext) {
				t.Errorf("next step %q lacks %q", hit.Next, wantNext)
			}
		}},
		{"bots/mybot/user_data/config.json", KindStored, "freqtrade-bot", PartPrivateKey, 7, nil},
		{".config/tool/settings.ini", KindStored, "freqtrade-bot", PartPrivateKey, 2, func(t *testing.T, hit Hit) {
			if hit.Form != FormURLEncoded || hit.Place != PlaceConfig {
				t.Errorf("form %s place %s", hit.Form, hit.Place)
			}
		}},
		{".bash_history", KindStored, "script", PartPrivateKey, 2, nil},
		{".bash_history", KindStored, "script", PartAPIKey, 3, func(t *testing.T, hit Hit) {
			if hit.Place != PlaceHistory || hit.Command != "python3 trade.py --pair XBTEUR" {
				t.Errorf("place %s command %q", hit.Place, hit.Command)
			}
			if want := "Delete line 3 of " + filepath.Join(h.dir, ".bash_history"); !strings.Contains(hit.Next, want) {
				t.Errorf("next step %q lacks %q", hit.Next, want)
			}
			if want := "keywarden exec script -- python3 trade.py --pair XBTEUR"; !strings.Contains(hit.Next, want) {
				t.Errorf("next step %q lacks %q", hit.Next, want)
			}
		}},
		{".zsh_history", KindStored, "script", PartAPIKey, 2, nil},
		{".local/share/fish/fish_history", KindStored, "script", PartPrivateKey, 1, nil},
		{"projects/trader/.env", KindStored, "trader", PartAPIKey, 2, func(t *testing.T, hit Hit) {
			if want := "keywarden exec trader --key-env KRAKEN_KEY --secret-env KRAKEN_SECRET -- "; !strings.Contains(hit.Next, want) || hit.Place != PlaceEnvFile {
				t.Errorf("place %s, next step %q lacks %q", hit.Place, hit.Next, want)
			}
		}},
		{"projects/trader/.env", KindStored, "trader", PartPrivateKey, 3, nil},
		{"hummingbot/conf/connectors/kraken.yml", KindStored, "hummingbot", PartAPIKey, 1, func(t *testing.T, hit Hit) {
			if hit.Program != ProgramHummingbot || !strings.Contains(hit.Next, "connect kraken") {
				t.Errorf("program %q next %q", hit.Program, hit.Next)
			}
		}},
		{"old/locked.txt", KindUnknown, "", PartPair, 1, func(t *testing.T, hit Hit) {
			if hit.Maybe == nil || hit.Maybe.Name != "locked" || !strings.Contains(hit.Next, "unlock the keyring") {
				t.Errorf("maybe %v next %q", hit.Maybe, hit.Next)
			}
		}},
		{"notes/todo.txt", KindUnknown, "", PartPair, 2, func(t *testing.T, hit Hit) {
			if hit.PrivateLine != 4 || hit.Hint != h.near.Hint {
				t.Errorf("private line %d hint %q", hit.PrivateLine, hit.Hint)
			}
			api, priv, ok := hit.Pair()
			if !ok || api != h.near.APIKey || priv != h.near.PrivateKey {
				t.Error("Pair does not give the values found")
			}
			if !strings.Contains(hit.Next, "keywarden add --name notes") {
				t.Errorf("next step %q", hit.Next)
			}
		}},
		{"scripts/kraken.sh", KindUnknown, "", PartPair, 2, func(t *testing.T, hit Hit) {
			if hit.Field != "KRAKEN_API_KEY" || hit.PrivateLine != 15 {
				t.Errorf("field %q private line %d", hit.Field, hit.PrivateLine)
			}
		}},
	}
	used := map[int]bool{}
	for _, w := range wants {
		name := w.path + " " + string(w.part)
		found := false
		for i, hit := range rep.Hits {
			if used[i] || hit.Git != nil || !strings.HasSuffix(filepath.ToSlash(hit.Path), w.path) || hit.Kind != w.kind || hit.Part != w.part || hit.Line != w.line {
				continue
			}
			if w.kind == KindStored && hit.Key.Name != w.key {
				continue
			}
			used[i], found = true, true
			if w.check != nil {
				t.Run(name, func(t *testing.T) { w.check(t, hit) })
			}
			break
		}
		if !found {
			t.Errorf("no hit for %s %s %s line %d", w.path, w.key, w.part, w.line)
		}
	}

	// The git histories: the removed copies are still found, with the
	// commit that added them; only the pushed one is called leaked.
	var gitStored, gitUnknown, gitPushed bool
	for i, hit := range rep.Hits {
		if hit.Git == nil {
			continue
		}
		used[i] = true
		g := hit.Git
		switch {
		case hit.Kind == KindStored && hit.Key.Name == "old-bot":
			gitStored = true
			if g.Commit != oldCommit || g.Path != "config.json" || g.Pushed() || !strings.Contains(hit.Next, "not pushed") {
				t.Errorf("old-bot in git: %+v, next %q", *g, hit.Next)
			}
		case hit.Kind == KindUnknown && hit.Part == PartPair:
			gitUnknown = true
			if g.Commit != oldCommit || g.Path != "notes.md" || hit.Line != 2 {
				t.Errorf("unknown in git: %+v line %d", *g, hit.Line)
			}
		case hit.Kind == KindStored && hit.Key.Name == "pushed":
			gitPushed = true
			if g.Commit != pushedCommit || g.Path != "deploy/.env" || !g.Pushed() || g.Remotes[0] != "origin/main" {
				t.Errorf("pushed in git: %+v", *g)
			}
			if !strings.Contains(hit.Next, `Treat "pushed" as leaked`) || !strings.Contains(hit.Next, "keywarden revoke pushed") {
				t.Errorf("next step %q", hit.Next)
			}
		default:
			t.Errorf("unexpected git hit %s: %s", hit.Where(), hit.What())
		}
	}
	if !gitStored || !gitUnknown || !gitPushed {
		t.Errorf("git hits: stored %v, unknown %v, pushed %v", gitStored, gitUnknown, gitPushed)
	}
	for i, hit := range rep.Hits {
		if !used[i] && hit.Kind == KindUnknown {
			t.Errorf("unexpected hit %s: %s", hit.Where(), hit.What())
		}
	}
	if rep.Repos != 2 {
		t.Errorf("read %d repositories, want 2", rep.Repos)
	}
	if len(hitsAt(rep, "noise/hashes.txt")) > 0 {
		t.Errorf("noise taken for keys:\n%s", describe(hitsAt(rep, "noise/hashes.txt")))
	}
}

func TestRun_NoGit(t *testing.T) {
	needGit(t)
	h := newPlantedHome(t)
	h.commitThenRemove(t)
	rep := sweepDir(t, Options{Roots: []string{h.dir}, Keys: h.stored(), NoGit: true})
	for _, hit := range rep.Hits {
		if hit.Git != nil {
			t.Fatalf("a git hit with NoGit: %s", hit.Where())
		}
	}
	if rep.Repos != 0 {
		t.Errorf("read %d repositories", rep.Repos)
	}
}

func TestRun_MissingRoot(t *testing.T) {
	_, err := Run(t.Context(), Options{Roots: []string{filepath.Join(t.TempDir(), "nothing")}})
	if _, ok := err.(*RootError); !ok || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("err = %v, want a RootError saying it does not exist", err)
	}
}

func TestRun_FileRoot(t *testing.T) {
	k := newKey(t, "k", "")
	p := write(t, t.TempDir(), "one.env", "KRAKEN_API_KEY="+k.APIKey+"\n")
	rep := sweepDir(t, Options{Roots: []string{p}, Keys: []Key{k}})
	if len(rep.Hits) != 1 || rep.Hits[0].Path != p || rep.Files != 1 {
		t.Fatalf("hits:\n%s files %d", describe(rep.Hits), rep.Files)
	}
}

func TestRun_GitThatCannotRunIsAProblemNotAFailure(t *testing.T) {
	needGit(t)
	h := newPlantedHome(t)
	h.commitThenRemove(t)
	rep := sweepDir(t, Options{Roots: []string{h.dir}, Keys: h.stored(), Git: filepath.Join(t.TempDir(), "no-git")})
	if len(rep.GitProblems) != 1 || !strings.Contains(rep.GitProblems[0], "The history of "+filepath.Join(h.dir, "projects", "oldbot")+" could not be read") {
		t.Errorf("git problems %q", rep.GitProblems)
	}
	if len(hitsAt(rep, ".bash_history")) == 0 {
		t.Error("the files were not swept")
	}
}

// A worktree shares its repository's objects: the history is read once.
func TestRun_WorktreeHistoryReadOnce(t *testing.T) {
	needGit(t)
	h := newPlantedHome(t)
	h.commitThenRemove(t)
	repo := filepath.Join(h.dir, "projects", "oldbot")
	git(t, repo, "worktree", "add", "-q", filepath.Join(h.dir, "projects", "oldbot-wt"))
	rep := sweepDir(t, Options{Roots: []string{h.dir}, Keys: h.stored()})
	if rep.Repos != 1 {
		t.Errorf("read %d histories, want 1", rep.Repos)
	}
}

// A bare repository under the home (a backup, or what a server was
// pushed) is read as a history, not as files.
func TestRun_BareRepository(t *testing.T) {
	needGit(t)
	h := newPlantedHome(t)
	commit := h.pushedRepo(t)
	bare := filepath.Join(h.dir, "backups", "shared.git")
	git(t, h.dir, "clone", "-q", "--bare", filepath.Join(h.dir, "projects", "shared"), bare)
	rep := sweepDir(t, Options{Roots: []string{h.dir}, Keys: h.stored()})
	found := 0
	for _, hit := range rep.Hits {
		if hit.Git != nil && hit.Path == bare {
			found++
			if hit.Git.Commit != commit || hit.Git.Path != "deploy/.env" {
				t.Errorf("in the bare repository: %+v", *hit.Git)
			}
		}
	}
	if found != 2 || rep.Repos != 2 {
		t.Errorf("%d hits in the bare repository, %d histories read; hits:\n%s", found, rep.Repos, describe(rep.Hits))
	}
}
