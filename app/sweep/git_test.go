package sweep

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/internal/testfiles"
)

// markers makes programs that each leave a mark file named after
// themselves when run, so a test can tell which one ran.
type markers struct {
	bin, marks string
}

func newMarkers(t testing.TB) *markers {
	t.Helper()
	return &markers{bin: t.TempDir(), marks: t.TempDir()}
}

// program writes the marking program called name and returns its path.
func (m *markers) program(t testing.TB, name string) string {
	t.Helper()
	return testfiles.Write(t, m.bin, name, "#!/bin/sh\n: >'"+filepath.Join(m.marks, name)+"'\ncat >/dev/null\n", 0o755)
}

// left lists the marks that appeared: the programs that ran.
func (m *markers) left(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(m.marks)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// programKeys are the settings that name a program git may run: to read
// a signature, show a difference, filter a file, page its output, watch
// a work tree, reach a remote, ask for a password or edit a message.
var programKeys = []string{
	"gpg.program", "gpg.openpgp.program", "gpg.x509.program", "gpg.ssh.program",
	"diff.external", "diff.mark.textconv", "diff.mark.command",
	"filter.mark.clean", "filter.mark.smudge", "filter.mark.process",
	"core.fsmonitor", "core.pager", "pager.log", "pager.cat-file", "pager.rev-parse", "pager.for-each-ref",
	"core.sshCommand", "core.askPass", "credential.helper", "core.editor", "sequence.editor",
	"core.alternateRefsCommand", "uploadpack.packObjectsHook", "remote.origin.uploadpack",
}

// hookNames are every hook git knows.
var hookNames = strings.Fields(`applypatch-msg pre-applypatch post-applypatch pre-commit pre-merge-commit
	prepare-commit-msg commit-msg post-commit pre-rebase post-checkout post-merge pre-push pre-receive update
	proc-receive post-receive post-update reference-transaction push-to-checkout pre-auto-gc post-rewrite
	sendemail-validate fsmonitor-watchman post-index-change p4-changelist p4-prepare-changelist p4-post-changelist p4-pre-submit`)

// setPrograms writes the config file config, pointing every
// program-valued setting at a marking program named prefix+key.
func setPrograms(t testing.TB, m *markers, config, prefix string, more ...[2]string) {
	t.Helper()
	var kvs [][2]string
	for _, k := range programKeys {
		kvs = append(kvs, [2]string{k, m.program(t, prefix+k)})
	}
	kvs = append(kvs, [][2]string{
		{"log.showSignature", "true"}, {"diff.mark.binary", "false"}, {"filter.mark.required", "true"},
		{"remote.origin.url", "ext::" + m.program(t, prefix+"ext-transport")}, {"protocol.ext.allow", "always"},
		{"core.hooksPath", writeHooks(t, m, t.TempDir(), prefix+"hooksPath-")},
	}...)
	var b strings.Builder
	for _, kv := range append(kvs, more...) {
		// section.subsection.name, the subsection holding any dots
		section, rest, _ := strings.Cut(kv[0], ".")
		i := strings.LastIndex(rest, ".")
		q := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
		if i < 0 {
			fmt.Fprintf(&b, "[%s]\n", section)
		} else {
			fmt.Fprintf(&b, "[%s \"%s\"]\n", section, q.Replace(rest[:i]))
		}
		fmt.Fprintf(&b, "\t%s = \"%s\"\n", rest[i+1:], q.Replace(kv[1]))
	}
	f, err := os.OpenFile(config, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err == nil {
		_, err = f.WriteString(b.String())
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		t.Fatal(err)
	}
}

// writeHooks fills dir with every hook, each a marking program.
func writeHooks(t testing.TB, m *markers, dir, prefix string) string {
	t.Helper()
	for _, h := range hookNames {
		p := filepath.Join(dir, h)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n: >'"+filepath.Join(m.marks, prefix+h)+"'\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// signedRepo makes a repository under home whose only commit is signed
// (it has a gpgsig header) and adds bot/.env with k's pair, then points
// every setting, hook, attribute and included config that names a
// program at a marking one. It returns the repository and the commit.
func signedRepo(t *testing.T, home string, k Key, m *markers) (string, string) {
	t.Helper()
	repo := filepath.Join(home, "projects", "signed")
	write(t, repo, "bot/.env", "KRAKEN_API_KEY="+k.APIKey+"\nKRAKEN_API_SECRET="+k.PrivateKey+"\n")
	write(t, repo, ".gitattributes", "* diff=mark filter=mark\n")
	git(t, repo, "init", "-q", "-b", "main")
	git(t, repo, "add", ".")
	tree := git(t, repo, "write-tree")
	body := "tree " + tree + "\nauthor t <t@example.com> 1700000000 +0000\ncommitter t <t@example.com> 1700000000 +0000\n" +
		"gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaFAmVVVVUACgkQ\n =abcd\n -----END PGP SIGNATURE-----\n\nbot settings\n"
	obj := write(t, t.TempDir(), "commit", body)
	commit := git(t, repo, "hash-object", "-t", "commit", "-w", obj)
	git(t, repo, "update-ref", "refs/heads/main", commit)
	git(t, repo, "reset", "-q", "--hard")

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
	if out := git(t, repo, "config", "--show-origin", "gpg.program"); !strings.Contains(out, "include2-gpg.program") {
		t.Fatalf("the fixture's config does not say what it should: gpg.program is %s", out)
	}
	return repo, commit
}

// Reading a repository's history runs nothing the repository names: not
// its signature program (git log would check the commit's signature with
// log.showSignature), diff, filter, pager, fsmonitor, ssh, askpass,
// credential or editor program, hooks, or those of a config it includes;
// nor one the person's GIT_* variables name. Its keys are still found,
// with the commit and file they came in with.
func TestRun_GitRunsNothingARepositoryNames(t *testing.T) {
	needGit(t)
	for _, env := range []bool{false, true} {
		name := "the repository's settings"
		if env {
			name = "and the person's GIT_ variables"
		}
		t.Run(name, func(t *testing.T) {
			m := newMarkers(t)
			home := t.TempDir()
			k := newKey(t, "signed-bot", "")
			repo, commit := signedRepo(t, home, k, m)
			if got := m.left(t); len(got) > 0 {
				t.Fatalf("programs ran while the fixture was made: %v", got)
			}
			if env {
				gpg := m.program(t, "env-GIT_CONFIG_PARAMETERS-gpg")
				t.Setenv("GIT_CONFIG_PARAMETERS", "'log.showsignature=true' 'gpg.program="+gpg+"' 'core.fsmonitor="+gpg+"'")
				t.Setenv("GIT_CONFIG_COUNT", "2")
				t.Setenv("GIT_CONFIG_KEY_0", "log.showSignature")
				t.Setenv("GIT_CONFIG_VALUE_0", "true")
				t.Setenv("GIT_CONFIG_KEY_1", "gpg.openpgp.program")
				t.Setenv("GIT_CONFIG_VALUE_1", m.program(t, "env-GIT_CONFIG_COUNT-gpg"))
				for _, v := range []string{"GIT_EXTERNAL_DIFF", "GIT_PAGER", "GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "PAGER"} {
					t.Setenv(v, m.program(t, "env-"+v))
				}
			}
			rep := sweepDir(t, Options{Roots: []string{home}, Keys: []Key{k}})
			if got := m.left(t); len(got) > 0 {
				t.Errorf("reading the history ran %d programs: %v", len(got), got)
			}
			var got []string
			for _, h := range historyHits(rep) {
				got = append(got, fmt.Sprintf("%s %s %s %s", h.Path, h.Git.ObjectType, h.Git.Commit, h.Git.Path))
			}
			want := []string{repo + " blob " + commit + " bot/.env", repo + " blob " + commit + " bot/.env"}
			if !slices.Equal(got, want) || len(rep.GitProblems) > 0 {
				t.Errorf("history hits %q, want %q; problems %q", got, want, rep.GitProblems)
			}
			assertNoLeak(t, rep, k)
		})
	}
}

// historyHits returns the hits in git histories.
func historyHits(rep *Report) []Hit {
	var out []Hit
	for _, h := range rep.Hits {
		if h.Git != nil {
			out = append(out, h)
		}
	}
	return out
}

// A sha256 repository is read with its own object format, which the view
// copies from the repository's config.
func TestRun_GitSha256Repository(t *testing.T) {
	needGit(t)
	home := t.TempDir()
	k := newKey(t, "sha256-bot", "")
	repo := filepath.Join(home, "bot")
	write(t, repo, "settings.env", "KRAKEN_API_KEY="+k.APIKey+"\nKRAKEN_API_SECRET="+k.PrivateKey+"\n")
	git(t, repo, "init", "-q", "-b", "main", "--object-format=sha256")
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-qm", "settings")
	commit := git(t, repo, "rev-parse", "HEAD")
	git(t, repo, "rm", "-q", "settings.env")
	git(t, repo, "commit", "-qm", "no settings")
	rep := sweepDir(t, Options{Roots: []string{home}, Keys: []Key{k}})
	found := 0
	for _, h := range historyHits(rep) {
		if h.Git.Commit == commit && h.Git.Path == "settings.env" && len(h.Git.Object) == 64 {
			found++
		}
	}
	if found != 2 || len(rep.GitProblems) > 0 {
		t.Errorf("%d history hits with commit %s, want 2; problems %q; hits:\n%s", found, commit, rep.GitProblems, describe(rep.Hits))
	}
}

// A shallow clone's history ends where its shallow list says; the view
// copies that list, or git would stop at the first missing parent.
func TestRun_GitShallowClone(t *testing.T) {
	needGit(t)
	h := newPlantedHome(t)
	h.commitThenRemove(t)
	src := filepath.Join(h.dir, "projects", "oldbot")
	write(t, src, "later.txt", "a later change\n")
	git(t, src, "add", ".")
	git(t, src, "commit", "-qm", "later")
	clone := filepath.Join(t.TempDir(), "shallow")
	git(t, filepath.Dir(clone), "clone", "-q", "--depth=2", "file://"+src, clone)
	write(t, clone, "config.json", `{"key": "`+h.git.APIKey+`"}`+"\n")
	git(t, clone, "add", ".")
	git(t, clone, "commit", "-qm", "a key again")
	commit := git(t, clone, "rev-parse", "HEAD")
	rep := sweepDir(t, Options{Roots: []string{clone}, Keys: h.stored()})
	if hs := historyHits(rep); len(hs) != 1 || hs[0].Git.Commit != commit || hs[0].Git.Path != "config.json" {
		t.Errorf("hits (want the file and its commit %s):\n%s problems %q", commit, describe(rep.Hits), rep.GitProblems)
	}
}

func TestObjectFormat(t *testing.T) {
	for _, c := range []struct{ config, want string }{
		{"", "sha1"},
		{"[core]\n\trepositoryformatversion = 0\n", "sha1"},
		{"[core]\n\trepositoryformatversion = 1\n[extensions]\n\tobjectFormat = sha256\n", "sha256"},
		{"[Extensions] ObjectFormat=\"SHA256\" ; a comment\n", "sha256"},
		{"[extensions \"x\"]\n\tobjectformat = sha256\n[core]\n\tobjectformat = sha256\n", "sha1"},
		{"[extensions]\n\tobjectformat = sha256\n[include]\n\tpath = other\n", "sha256"},
		{"[extensions]\n\tobjectformat = md5\n", ""},
	} {
		p := write(t, t.TempDir(), "config", c.config)
		got, err := objectFormat(p)
		if got != c.want || (err != nil) != (c.want == "") {
			t.Errorf("objectFormat(%q) = %q, %v; want %q", c.config, got, err, c.want)
		}
	}
	if got, err := objectFormat(filepath.Join(t.TempDir(), "none")); got != "sha1" || err != nil {
		t.Errorf("no config: %q, %v", got, err)
	}
}

// The view's packed-refs holds the repository's refs, loose over packed,
// and nothing git would stop at: no symbolic ref, no malformed name or
// object name, no line a file name could smuggle in.
func TestPackRefs(t *testing.T) {
	id := func(c string) string { return strings.Repeat(c, 40) }
	common := t.TempDir()
	write(t, common, "packed-refs", "# pack-refs with: peeled fully-peeled sorted \n"+
		id("1")+" refs/heads/main\n"+id("2")+" refs/tags/v1\n^"+id("3")+"\n"+id("4")+" refs/heads/a..b\n"+"zz refs/heads/short\n")
	write(t, common, "refs/heads/main", id("5")+"\n")
	write(t, common, "refs/remotes/origin/HEAD", "ref: refs/remotes/origin/main\n")
	write(t, common, "refs/remotes/origin/main", id("6")+"\n")
	write(t, common, "refs/heads/x\n"+id("7")+" refs/heads/smuggled", id("8")+"\n")
	write(t, common, "refs/heads/.hidden", id("9")+"\n")
	write(t, common, "refs/heads/café", id("a")+"\n")
	got := string(packRefs(common, 40))
	want := "# pack-refs with: sorted \n" + id("a") + " refs/heads/café\n" + id("5") + " refs/heads/main\n" +
		id("6") + " refs/remotes/origin/main\n" + id("2") + " refs/tags/v1\n"
	if got != want {
		t.Errorf("packRefs:\n%s\nwant:\n%s", got, want)
	}
}
