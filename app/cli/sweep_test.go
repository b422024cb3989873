package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/internal/testfiles"
	"github.com/keywarden/keywarden/app/sweep"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// plant writes a file under dir, making its folders.
func plant(t *testing.T, dir, rel, text string) string {
	return testfiles.Write(t, dir, rel, text, 0o600)
}

// sweepHome is a fixture with two stored keys, a key on the exchange that
// Keywarden does not hold, and a temporary home (HOME) with copies of all
// three.
func sweepHome(t *testing.T) (f *fixture, home string, bot, stray krakentest.Key) {
	t.Helper()
	f = newFixture(t)
	_, bot = f.add("freqtrade-bot", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
	f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
	stray = f.exchangeKey(krakentest.Key{Name: "stray"})
	home = t.TempDir()
	f.env["HOME"] = home
	esc := func(s string) string { return strings.ReplaceAll(s, "/", `\/`) }
	plant(t, home, "ft/user_data/config.json", `{"stake_currency": "EUR", "exchange": {"name": "kraken", "key": "`+esc(bot.APIKey)+`", "secret": "`+esc(bot.PrivateKey)+`"}}`+"\n")
	plant(t, home, ".bash_history", "cd ft\nexport KRAKEN_API_SECRET="+bot.PrivateKey+"\n")
	plant(t, home, "scripts/dca/.env", "KRAKEN_API_KEY="+stray.APIKey+"\nKRAKEN_API_SECRET="+stray.PrivateKey+"\n")
	return f, home, bot, stray
}

func TestSweep_FindsCopiesAndPrintsNoSecret(t *testing.T) {
	f, home, _, _ := sweepHome(t)

	res := f.run("", "sweep")
	if res.code != cli.ExitAttention {
		t.Fatalf("want exit 3: %v", res)
	}
	for _, want := range []string{
		"Found 3 copies of 1 of your keys and 1 key not in Keywarden.",
		filepath.Join(home, "ft", "user_data", "config.json") + " (freqtrade)",
		`line 1: API key of "freqtrade-bot" (as key`,
		"cd " + shellQuoted(filepath.Join(home, "ft")) + " && keywarden exec freqtrade-bot --key-env FREQTRADE__EXCHANGE__KEY --secret-env FREQTRADE__EXCHANGE__SECRET -- freqtrade trade --config user_data/config.json",
		filepath.Join(home, ".bash_history") + " (shell history)",
		`line 2: private key of "freqtrade-bot" (as KRAKEN_API_SECRET)`,
		"Delete line 2 of " + filepath.Join(home, ".bash_history"),
		filepath.Join(home, "scripts", "dca", ".env") + " (env file)",
		"line 1: key #1 not in Keywarden (API key and private key",
		"keywarden add --name dca",
		"Swept 3 files",
	} {
		if !strings.Contains(res.out, want) {
			t.Errorf("the output lacks %q:\n%s", want, res.out)
		}
	}
	if l := f.leaks(res.out + res.err); len(l) > 0 {
		t.Errorf("the output shows %v:\n%s", l, res)
	}

	res = f.run("", "sweep", "--json", home)
	if res.code != cli.ExitAttention {
		t.Fatalf("--json: want exit 3: %v", res)
	}
	if l := f.leaks(res.out + res.err); len(l) > 0 {
		t.Errorf("the JSON shows %v", l)
	}
	var got struct {
		Hits []struct {
			Path string        `json:"path"`
			Line int           `json:"line"`
			Kind sweep.Kind    `json:"kind"`
			Part sweep.Part    `json:"part"`
			Key  *sweep.KeyRef `json:"key"`
			Next string        `json:"next"`
		} `json:"hits"`
		Files         int `json:"files"`
		KeysLookedFor int `json:"keysLookedFor"`
		ExitCode      int `json:"exitCode"`
	}
	if err := json.Unmarshal([]byte(res.out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, res.out)
	}
	if len(got.Hits) != 4 || got.Files != 3 || got.KeysLookedFor != 2 || got.ExitCode != 3 {
		t.Fatalf("hits %d files %d keys %d exit %d:\n%s", len(got.Hits), got.Files, got.KeysLookedFor, got.ExitCode, res.out)
	}
	for _, h := range got.Hits {
		if h.Next == "" || (h.Kind == sweep.KindStored && (h.Key == nil || h.Key.Name != "freqtrade-bot")) {
			t.Errorf("hit %+v", h)
		}
	}
}

func TestSweep_NothingFound(t *testing.T) {
	f := newFixture(t)
	f.add("koinly-tax", taxPerms, "--purpose", "tax")
	home := t.TempDir()
	plant(t, home, ".bashrc", "alias ll='ls -l'\n")
	res := f.run("", "sweep", home)
	if res.code != cli.ExitOK || !strings.Contains(res.out, "Nothing found: no copy of your keys (1 looked for) and no other Kraken key.") {
		t.Fatalf("want exit 0 and nothing found: %v", res)
	}
}

// countingSecrets counts the keyring reads.
type countingSecrets struct {
	vault.SecretStore
	gets atomic.Int32
}

func (c *countingSecrets) Get(id string) (vault.Secret, error) {
	c.gets.Add(1)
	return c.SecretStore.Get(id)
}

func TestSweep_OneKeyringReadPerKey(t *testing.T) {
	f, home, _, _ := sweepHome(t)
	counter := &countingSecrets{SecretStore: f.secrets}
	f.secrets = counter
	f.run("", "sweep", home)
	if n := counter.gets.Load(); n != 2 {
		t.Fatalf("%d keyring reads for 2 keys", n)
	}
}

func TestSweep_LockedKeyring(t *testing.T) {
	f, home, _, _ := sweepHome(t)
	f.mem.SetError(fmt.Errorf("test: %w", vault.ErrKeyringUnavailable))
	res := f.run("", "sweep", home)
	// The stored key's copies are found as keys not in Keywarden, each
	// said to be probably the stored one; the stray key still is found.
	if res.code != cli.ExitAttention {
		t.Fatalf("want exit 3: %v", res)
	}
	for _, want := range []string{"The system keyring could not be read, so copies of your stored keys were not looked for"} {
		if !strings.Contains(res.err, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res)
		}
	}
	if !strings.Contains(res.out, `probably "freqtrade-bot"`) || !strings.Contains(res.out, "keywarden add --name dca") {
		t.Errorf("output:\n%s", res.out)
	}
	if l := f.leaks(res.out + res.err); len(l) > 0 {
		t.Errorf("the output shows %v", l)
	}

	// Nothing found and the keyring locked: the sweep could not look for
	// everything, so it is an error.
	empty := t.TempDir()
	res = f.run("", "sweep", empty)
	if res.code != cli.ExitError || !strings.Contains(res.err, "keyring") {
		t.Fatalf("want exit 1 with a keyring message: %v", res)
	}
}

func TestSweep_MissingSecretIsSkippedWithANote(t *testing.T) {
	f := newFixture(t)
	r, _ := f.add("koinly-tax", taxPerms, "--purpose", "tax")
	if err := f.mem.Delete(r.ID); err != nil {
		t.Fatal(err)
	}
	res := f.run("", "sweep", t.TempDir())
	if res.code != cli.ExitOK || !strings.Contains(res.out, `Not looked for: "koinly-tax" (its secret is not in the system keyring).`) {
		t.Fatalf("want exit 0 and a note: %v", res)
	}
}

// TestSweep_UnfinishedAddIsNotAMissingSecret: a key whose add another
// process has not finished has no secret in the keyring yet; the sweep
// says so (keys.SweepKeys) instead of calling the secret missing.
func TestSweep_UnfinishedAddIsNotAMissingSecret(t *testing.T) {
	f := newFixture(t)
	r, _ := f.add("koinly-tax", taxPerms, "--purpose", "tax")
	f.update(func(d *vault.Data) error {
		rec, err := d.ByID(r.ID)
		if err != nil {
			return err
		}
		rec.Pending = &vault.Pending{Op: vault.PendingAdd, Since: time.Now(), PID: os.Getpid()} // a process that runs
		return nil
	})
	if err := f.mem.Delete(r.ID); err != nil {
		t.Fatal(err)
	}
	res := f.run("", "sweep", t.TempDir())
	if res.code != cli.ExitOK || !strings.Contains(res.out, `Not looked for: "koinly-tax" (Keywarden has not finished saving or removing it).`) {
		t.Fatalf("want exit 0 and a note that the add is unfinished: %v", res)
	}
}

func TestSweep_MissingFolder(t *testing.T) {
	f := newFixture(t)
	missing := filepath.Join(t.TempDir(), "nowhere")
	res := f.run("", "sweep", missing)
	if res.code != cli.ExitError || !strings.Contains(res.err, "Cannot sweep "+missing+": it does not exist.") {
		t.Fatalf("want exit 1 saying the folder does not exist: %v", res)
	}
}

// The next steps sweep prints name exec's variables; they must stay the
// ones exec sets.
func TestSweep_ExecNamesMatchExec(t *testing.T) {
	if sweep.ExecKeyEnv != cli.DefaultKeyEnv || sweep.ExecSecretEnv != cli.DefaultSecretEnv {
		t.Fatalf("sweep says %s/%s, exec sets %s/%s", sweep.ExecKeyEnv, sweep.ExecSecretEnv, cli.DefaultKeyEnv, cli.DefaultSecretEnv)
	}
}

// The sweep reads the stored keys from a real Secret Service (skipped
// without one, unless KEYWARDEN_REQUIRE_KEYRING=1).
func TestKeyring_Sweep(t *testing.T) {
	ring := liveKeyring(t)
	f := newFixture(t)
	f.secrets = ring
	k := f.exchangeKey(krakentest.Key{Permissions: botPerms})
	if res := f.run(stdinFor(k), "add", "--name", "vps-bot", "--purpose", "bot"); res.code != 0 {
		t.Fatalf("add: %v", res)
	}
	rec := f.record("vps-bot")
	t.Cleanup(func() { _ = ring.Delete(rec.ID) })
	home := t.TempDir()
	plant(t, home, "vps/.env", "KRAKEN_API_SECRET="+k.PrivateKey+"\n")
	res := f.run("", "sweep", home)
	if res.code != cli.ExitAttention || !strings.Contains(res.out, `line 1: private key of "vps-bot" (as KRAKEN_API_SECRET)`) {
		t.Fatalf("want the copy found: %v", res)
	}
	if l := f.leaks(res.out + res.err); len(l) > 0 {
		t.Errorf("the output shows %v", l)
	}
}

// A locked keyring is asked once: the first read fails, the others are
// not tried (each could pop up another unlock prompt, or wait for one).
func TestSweep_LockedKeyringIsAskedOnce(t *testing.T) {
	f, home, _, _ := sweepHome(t)
	f.mem.SetError(fmt.Errorf("test: %w", vault.ErrKeyringUnavailable))
	counter := &countingSecrets{SecretStore: f.secrets}
	f.secrets = counter
	f.run("", "sweep", home)
	if n := counter.gets.Load(); n != 1 {
		t.Fatalf("%d keyring reads, want 1", n)
	}
}

// shellQuoted is a path as the sweep's next steps write it in a command
// (app/sweep's shellQuote): quoted where a POSIX shell would read more
// than letters, digits and -_./:@%+=, in it (a Windows path's backslashes).
func shellQuoted(p string) string {
	if strings.IndexFunc(p, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-_./:@%+=,", r))
	}) < 0 {
		return p
	}
	return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
}
