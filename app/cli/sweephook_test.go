// The pre-commit hook runs under a POSIX sh with git on PATH; the Windows
// tests run under Wine, which has neither (the hook on Git for Windows is
// untested, as the README's known limits say).

//go:build !windows

package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// The hook tests run real `git commit`s in a temporary repository, whose
// pre-commit hook runs this test binary in the "keywarden" role: the real
// command line (cli.Main) over the key list in $KEYWARDEN_DIR and the real
// Secret Service under the test's service name.
func init() {
	childRoles["keywarden"] = func() int {
		ring := vault.NewKeyring()
		ring.Service = "keywarden-test"
		ring.Timeout = 20 * time.Second
		return cli.Main(os.Args[1:], cli.IO{Secrets: ring, Dir: os.Getenv(cli.EnvDir)})
	}
}

// hookRepo is a temporary repository with one commit, whose git runs with
// a clean environment: no global or system config, HOME a temporary
// folder, and a PATH without keywarden (as in a GUI git client).
type hookRepo struct {
	t   *testing.T
	dir string
	env []string
}

func newHookRepo(t *testing.T, f *fixture) *hookRepo {
	t.Helper()
	r := &hookRepo{t: t, dir: filepath.Join(t.TempDir(), "bot")}
	r.env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "LANG=en_US.UTF-8",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"DBUS_SESSION_BUS_ADDRESS=" + os.Getenv("DBUS_SESSION_BUS_ADDRESS"),
		cli.EnvDir + "=" + f.dir, childEnv + "=keywarden"}
	r.write("README.md", "# bot\n")
	r.write("bot.cfg", "pair = XBTEUR\n")
	r.git("init", "-q", "-b", "main")
	r.git("add", ".")
	r.git("commit", "-qm", "first")
	return r
}

func (r *hookRepo) write(rel, text string) { plant(r.t, r.dir, rel, text) }

// run runs git and returns its combined output and whether it succeeded.
func (r *hookRepo) run(args ...string) (string, bool) {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = r.dir, r.env
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

func (r *hookRepo) git(args ...string) string {
	r.t.Helper()
	out, ok := r.run(args...)
	if !ok {
		r.t.Fatalf("git %v:\n%s", args, out)
	}
	return strings.TrimSpace(out)
}

func (r *hookRepo) head() string { return r.git("rev-parse", "HEAD") }

func TestSweepHook_CommitsInARealRepository(t *testing.T) {
	ring := liveKeyring(t)
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null") // install asks git where the hook goes
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	f := newFixture(t)
	f.secrets = ring
	rec, bot := f.add("grid-bot", botPerms, "--purpose", "bot")
	t.Cleanup(func() { _ = ring.Delete(rec.ID) })
	r := newHookRepo(t, f)

	// The repository's own hook, which must keep running after the check.
	mark := filepath.Join(t.TempDir(), "own-hook-ran")
	own := "#!/bin/sh\n# the team's hook\n: > '" + mark + "'\nexit 0\n"
	hook := filepath.Join(r.dir, ".git", "hooks", "pre-commit")
	if err := os.WriteFile(hook, []byte(own), 0o755); err != nil {
		t.Fatal(err)
	}

	res := f.run("", "sweep", "--install-hook", r.dir)
	if res.code != 0 || !strings.Contains(res.out, "Installed: "+hook+" now runs keywarden sweep --staged first, then what it ran before.") {
		t.Fatalf("install: %v", res)
	}
	if res = f.run("", "sweep", "--install-hook", r.dir); res.code != 0 || !strings.Contains(res.out, "already runs Keywarden's check") {
		t.Errorf("a second install: %v", res)
	}

	t.Run("a staged copy of a stored key stops the commit", func(t *testing.T) {
		before := r.head()
		r.write("deploy/.env", "KRAKEN_API_KEY="+bot.APIKey+"\nKRAKEN_API_SECRET="+bot.PrivateKey+"\n")
		r.git("add", "deploy/.env")
		out, ok := r.run("commit", "-qm", "deploy settings")
		if ok || r.head() != before {
			t.Fatalf("the commit went through:\n%s", out)
		}
		for _, want := range []string{
			"keywarden: this commit is stopped: the staged changes hold 2 copies of 1 of your keys.",
			filepath.Join(r.dir, "deploy", ".env") + " (env file)",
			`line 1: API key of "grid-bot" (as KRAKEN_API_KEY)`,
			`line 2: private key of "grid-bot" (as KRAKEN_API_SECRET)`,
			"Next: Before you commit, take the key out of deploy/.env and stage it again (git add -- deploy/.env), or leave the file out of the commit (git restore --staged -- deploy/.env).",
			"keywarden exec grid-bot",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("the hook's output lacks %q:\n%s", want, out)
			}
		}
		if l := f.leaks(out); len(l) > 0 {
			t.Errorf("the hook's output shows %v", l)
		}
		if _, err := os.Stat(mark); err == nil {
			t.Errorf("the repository's own hook ran although the check stopped the commit")
		}
	})

	t.Run("a clean commit goes through, and the repository's own hook still runs", func(t *testing.T) {
		r.write("deploy/.env", "# the key comes from keywarden exec grid-bot\n")
		r.git("add", "deploy/.env")
		before := r.head()
		if out, ok := r.run("commit", "-qm", "deploy settings"); !ok || r.head() == before {
			t.Fatalf("a clean commit was stopped:\n%s", out)
		}
		if _, err := os.Stat(mark); err != nil {
			t.Errorf("the repository's own hook did not run after the check: %v", err)
		}
	})

	t.Run("commit -a checks the index git commits, not the repository's", func(t *testing.T) {
		r.write("bot.cfg", "pair = XBTEUR\nsecret = "+bot.PrivateKey+"\n")
		before := r.head()
		out, ok := r.run("commit", "-qam", "tune")
		if ok || r.head() != before || !strings.Contains(out, `line 2: private key of "grid-bot"`) {
			t.Fatalf("commit -a with a key in a changed file: ok=%v\n%s", ok, out)
		}
		r.git("checkout", "--", "bot.cfg")
	})

	t.Run("removal leaves the repository's hook as it was, and commits are no longer checked", func(t *testing.T) {
		res := f.run("", "sweep", "--remove-hook", r.dir)
		if res.code != 0 || !strings.Contains(res.out, "Removed Keywarden's check from "+hook+"; the rest of the hook is as it was.") {
			t.Fatalf("remove: %v", res)
		}
		if got, err := os.ReadFile(hook); err != nil || !bytes.Equal(got, []byte(own)) {
			t.Fatalf("after removal the hook is %q (%v), want the original %q", got, err, own)
		}
		r.write("notes.txt", "API key "+bot.APIKey+"\n")
		r.git("add", "notes.txt")
		before := r.head()
		if out, ok := r.run("commit", "-qm", "notes"); !ok || r.head() == before {
			t.Fatalf("without the check the commit was still stopped:\n%s", out)
		}
	})
}

// A check that cannot look does not let a commit through: with the
// keyring locked, sweep --staged exits 1 (which stops the commit) and says
// why, though nothing Kraken-shaped is staged; a key not in Keywarden is
// still found and exits 3. Outside a repository it says so.
func TestSweepStaged_FailsClosed(t *testing.T) {
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	f := newFixture(t)
	f.add("grid-bot", botPerms, "--purpose", "bot")
	r := newHookRepo(t, f)
	r.write("README.md", "# bot\nno key here\n")
	r.git("add", "README.md")
	t.Chdir(r.dir)

	if res := f.run("", "sweep", "--staged"); res.code != cli.ExitOK || !strings.Contains(res.out, "keywarden: checked the 1 file staged in "+r.dir+": no copy of your keys (1 looked for) and no other Kraken key.") {
		t.Fatalf("unlocked, nothing staged: %v", res)
	}
	f.mem.SetError(fmt.Errorf("test: %w", vault.ErrKeyringUnavailable))
	res := f.run("", "sweep", "--staged")
	if res.code != cli.ExitError || !strings.Contains(res.err, "The system keyring could not be read, so the staged changes were not checked for copies of your stored keys") {
		t.Errorf("locked keyring: %v", res)
	}
	stray := f.exchangeKey(krakentest.Key{Name: "stray"})
	r.write("kraken.env", "KRAKEN_API_KEY="+stray.APIKey+"\nKRAKEN_API_SECRET="+stray.PrivateKey+"\n")
	r.git("add", "kraken.env")
	if res = f.run("", "sweep", "--staged"); res.code != cli.ExitAttention || !strings.Contains(res.out, "line 1: key #1 not in Keywarden") ||
		!strings.Contains(res.out, "keywarden: the staged changes hold 1 key not in Keywarden; do not commit them as they are.") {
		t.Errorf("locked keyring, a key not in Keywarden staged: %v", res)
	}
	if l := f.leaks(res.out + res.err); len(l) > 0 {
		t.Errorf("the output shows %v", l)
	}

	t.Chdir(t.TempDir())
	if res = f.run("", "sweep", "--staged"); res.code != cli.ExitError || !strings.Contains(res.err, "not inside a git repository") {
		t.Errorf("outside a repository: %v", res)
	}
	if res = f.run("", "sweep", "--staged", "--install-hook"); res.code != cli.ExitUsage {
		t.Errorf("two modes at once: %v", res)
	}
}
