package cli_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func TestIsCommand(t *testing.T) {
	cases := []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"demo"}, false},
		{[]string{"--hidden"}, false},
		{[]string{"frobnicate"}, false},
		{[]string{"add", "--name", "x"}, true},
		{[]string{"list"}, true},
		{[]string{"show", "x"}, true},
		{[]string{"check", "--all"}, true},
		{[]string{"review", "x"}, true},
		{[]string{"revoke", "x"}, true},
		{[]string{"remove", "x"}, true},
		{[]string{"settings"}, true},
		{[]string{"exec", "x", "--", "true"}, true},
		{[]string{"help"}, true},
		{[]string{"--help"}, true},
		{[]string{"-h"}, true},
		{[]string{"--version"}, true},
		{[]string{"version"}, true},
	}
	for _, tc := range cases {
		if got := cli.IsCommand(tc.args); got != tc.want {
			t.Errorf("IsCommand(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

func TestHelp(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"help lists every command and the environment", []string{"help"}, 0, "KEYWARDEN_KRAKEN_URL", ""},
		{"--help is help", []string{"--help"}, 0, "keywarden exec NAME", ""},
		{"help for one command shows its flags", []string{"help", "revoke"}, 0, "-force", ""},
		{"a command's -h shows its usage", []string{"check", "-h"}, 0, "", "usage: keywarden check"},
		{"an unknown command says so", []string{"frobnicate"}, 2, "", `"frobnicate" is not a Keywarden command`},
		{"an unknown flag shows the usage", []string{"list", "--yaml"}, 2, "", "usage: keywarden list"},
		{"no arguments at all print the help", nil, 2, "", "Commands:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := f.run("", tc.args...)
			if res.code != tc.wantCode || !strings.Contains(res.out, tc.wantOut) || !strings.Contains(res.err, tc.wantErr) {
				t.Fatalf("want exit %d, %q, %q; got %v", tc.wantCode, tc.wantOut, tc.wantErr, res)
			}
		})
	}
}

func TestEnvironment(t *testing.T) {
	t.Run("KEYWARDEN_KRAKEN_URL points at a simulated exchange on this computer", func(t *testing.T) {
		f := newFixture(t)
		k := f.exchangeKey(krakentest.Key{Permissions: taxPerms})
		var out, errw strings.Builder
		io := f.io(strings.NewReader(stdinFor(k)), &out, &errw)
		io.BaseURL = ""
		f.env[cli.EnvKrakenURL] = f.ex.URL()
		if code := cli.Main([]string{"add", "--name", "koinly-tax", "--purpose", "tax"}, io); code != 0 {
			t.Fatalf("exit %d: %s%s", code, out.String(), errw.String())
		}
		if len(f.ex.Calls()) != 1 {
			t.Error("the simulated exchange was not asked")
		}
	})

	for _, url := range []string{"https://api.kraken.example", "http://192.0.2.1:8080", "ftp://localhost"} {
		t.Run("KEYWARDEN_KRAKEN_URL may not point elsewhere: "+url, func(t *testing.T) {
			f := newFixture(t)
			k := f.exchangeKey(krakentest.Key{Permissions: taxPerms})
			var out, errw strings.Builder
			io := f.io(strings.NewReader(stdinFor(k)), &out, &errw)
			io.BaseURL = ""
			f.env[cli.EnvKrakenURL] = url
			code := cli.Main([]string{"add", "--name", "koinly-tax", "--purpose", "tax"}, io)
			if code != 1 || !strings.Contains(errw.String(), "may only point at this computer") {
				t.Fatalf("exit %d: %s%s", code, out.String(), errw.String())
			}
		})
	}

	t.Run("KEYWARDEN_DIR chooses the store folder", func(t *testing.T) {
		f := newFixture(t)
		dir := filepath.Join(t.TempDir(), "elsewhere")
		var out, errw strings.Builder
		io := f.io(strings.NewReader(""), &out, &errw)
		io.Dir = ""
		f.env[cli.EnvDir] = dir
		k := f.exchangeKey(krakentest.Key{Permissions: taxPerms})
		io.Stdin = strings.NewReader(stdinFor(k))
		if code := cli.Main([]string{"add", "--name", "koinly-tax", "--purpose", "tax"}, io); code != 0 {
			t.Fatalf("exit %d: %s", code, errw.String())
		}
		if _, err := os.Stat(filepath.Join(dir, "keys.json")); err != nil {
			t.Errorf("no key list in KEYWARDEN_DIR: %v", err)
		}
	})

	t.Run("KEYWARDEN_DEBUG adds the detail behind an error", func(t *testing.T) {
		f := newFixture(t)
		if err := os.WriteFile(filepath.Join(f.dir, "keys.json"), []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
		res := f.run("", "list")
		if res.code != 1 || !strings.Contains(res.err, "is damaged") || strings.Contains(res.err, "detail:") {
			t.Fatalf("list of a damaged file: %v", res)
		}
		f.env[cli.EnvDebug] = "1"
		if res := f.run("", "list"); !strings.Contains(res.err, "detail: ") {
			t.Fatalf("no detail with KEYWARDEN_DEBUG=1: %v", res)
		}
	})

	t.Run("a damaged key list with a backup says how to restore it, and is left alone", func(t *testing.T) {
		f := newFixture(t)
		f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
		f.run("", "review", "koinly-tax") // a second write leaves a backup
		path := filepath.Join(f.dir, "keys.json")
		if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"list"}, {"review", "koinly-tax"}, {"check"}} {
			res := f.run("", args...)
			if res.code != 1 || !strings.Contains(res.err, "keys.json.bak in its place") {
				t.Fatalf("%s: %v", args[0], res)
			}
		}
		if b, _ := os.ReadFile(path); string(b) != "{not json" {
			t.Error("the damaged file was overwritten")
		}
	})
}

// TestNoSecretLeaves runs every command, successful and failing, and scans
// everything they printed and everything in the store folder for the keys'
// secrets.
func TestNoSecretLeaves(t *testing.T) {
	f := newFixture(t)
	f.env[cli.EnvDebug] = "1" // the details must be clean too
	var outputs []string
	run := func(stdin string, args ...string) {
		t.Helper()
		res := f.run(stdin, args...)
		outputs = append(outputs, res.out, res.err)
	}
	tax := f.exchangeKey(krakentest.Key{Permissions: taxPerms})
	bot := f.exchangeKey(krakentest.Key{Permissions: append(botPerms, kraken.WithdrawFunds)})
	run(stdinFor(tax), "add", "--name", "koinly-tax", "--purpose", "tax", "--used-by", "Koinly")
	run(stdinFor(bot), "add", "--name", "freqtrade-vps", "--purpose", "bot", "--perms", "query-funds,modify-trades")
	run(stdinFor(bot), "add", "--name", "freqtrade-vps") // duplicate name
	run(tax.APIKey+"\n"+bot.PrivateKey+"\n", "add", "--name", "mixed-up")
	run(tax.APIKey+"x\n"+tax.PrivateKey+"\n", "add", "--name", "bad-shape")
	run(tax.PrivateKey+"\n"+tax.APIKey+"\n", "add", "--name", "swapped")
	run("", "list")
	run("", "list", "--json")
	for _, name := range []string{"koinly-tax", "freqtrade-vps"} {
		run("", "show", name)
		run("", "show", name, "--json")
	}
	run("", "check")
	run("", "check", "--json")
	run("", "review", "koinly-tax")
	run("", "revoke", "freqtrade-vps")
	f.ex.DeleteKey(tax.APIKey)
	run("", "check", "koinly-tax", "--json")
	run("", "revoke", "koinly-tax")
	run("", "revoke", "freqtrade-vps", "--force")
	run("", "show", "freqtrade-vps", "--json")
	run("", "exec", "freqtrade-vps", "--", "true")
	run("", "remove", "--yes", "freqtrade-vps")

	for i, out := range outputs {
		if leaks := f.leaks(out); len(leaks) > 0 {
			t.Errorf("output %d shows %v:\n%s", i, leaks, out)
		}
	}
	err := filepath.WalkDir(f.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if leaks := f.leaks(string(b)); len(leaks) > 0 {
			t.Errorf("%s holds %v", path, leaks)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.data().Records) != 1 {
		t.Errorf("want koinly-tax alone left, got %d records", len(f.data().Records))
	}
}
