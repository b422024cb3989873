package cli_test

import (
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// singleDash finds an option listed the flag package's way ("  -json").
var singleDash = regexp.MustCompile(`\n  -[a-z]`)

// nonASCII finds the first byte a C locale cannot show.
var nonASCII = regexp.MustCompile(`[^\x00-\x7f]`)

// Issue 20: under LANG=C the command line printed "…", "–" and curly
// quotes, which such a terminal shows as "â€¦" or "?".
func TestWords_ASCIIUnderTheCLocale(t *testing.T) {
	for _, env := range []map[string]string{{"LANG": "C"}, {"LC_ALL": "POSIX", "LANG": "en_US.UTF-8"}, {}} {
		f := newFixture(t)
		f.env = env
		k := f.exchangeKey(krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds, kraken.WithdrawFunds}})
		res := f.run(stdinFor(k), "add", "--name", "tracker “quoted”", "--perms", "query-funds,query-ledger")
		if res.code != 0 {
			t.Fatalf("%v: add failed: %v", env, res)
		}
		if len(env) == 0 && (runtime.GOOS == "windows" || runtime.GOOS == "darwin") {
			// No locale named: these systems' terminals are UTF-8.
			if !strings.Contains(res.out, "Funds – Withdraw") {
				t.Errorf("no locale on %s: want the words in UTF-8:\n%v", runtime.GOOS, res)
			}
			continue
		}
		if at := nonASCII.FindStringIndex(res.out + res.err); at != nil {
			t.Errorf("%v: %q is not ASCII:\n%v", env, (res.out + res.err)[max(0, at[0]-30):at[1]], res)
		}
		if !strings.Contains(res.out, "+ granted but not intended: Funds - Withdraw (withdraw-funds)") || !strings.Contains(res.out, `"tracker "quoted""`) {
			t.Errorf("%v: the words are not spelled in ASCII:\n%v", env, res)
		}
		// JSON is data, not words: its names keep their characters.
		if js := f.run("", "list", "--json"); !strings.Contains(js.out, "tracker “quoted”") {
			t.Errorf("%v: list --json changed the name:\n%v", env, js)
		}
	}
	f := newFixture(t)
	f.env = map[string]string{"LANG": "de_DE.utf8"}
	k := f.exchangeKey(krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds, kraken.WithdrawFunds}})
	if res := f.run(stdinFor(k), "add", "--name", "tracker", "--perms", "query-funds"); !strings.Contains(res.out, "Funds – Withdraw") {
		t.Errorf("a UTF-8 locale lost its typography:\n%v", res)
	}
}

// Issue 20: --help's KEYWARDEN_DEBUG line stood one column off the others.
func TestHelp_EnvironmentIsAligned(t *testing.T) {
	f := newFixture(t)
	res := f.run("", "help")
	_, env, ok := strings.Cut(res.out+res.err, "Environment:\n")
	if !ok {
		t.Fatalf("no Environment section:\n%v", res)
	}
	cols := map[int][]string{}
	for _, line := range strings.Split(strings.TrimRight(env, "\n"), "\n") {
		name, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
		col := len(line) - len(strings.TrimLeft(rest, " "))
		cols[col] = append(cols[col], name)
	}
	if len(cols) != 1 {
		t.Errorf("the descriptions start in columns %v", cols)
	}
}

// Issue 20: `list --jsn` got Go's raw flag dump ("flag provided but not
// defined: -jsn", then "  -json" and a tab-indented line).
func TestFlags_MistypedFlagGetsTheCommandsUsage(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"list", "--jsn"}, []string{"keywarden list: there is no option --jsn. Did you mean --json?\n",
			"usage: keywarden list [--json]\n  --json  print JSON for scripts\n", `"keywarden help list" says more.`}},
		{[]string{"check", "--otp"}, []string{"keywarden check: --otp needs a value after it.", "  --otp CODE  "}},
		{[]string{"add", "--review-days", "soon"}, []string{`keywarden add: "soon" is not a value --review-days takes.`}},
		{[]string{"sweep", "--frobnicate"}, []string{"keywarden sweep: there is no option --frobnicate.\n"}},
	}
	for _, tc := range tests {
		f := newFixture(t)
		res := f.run("", tc.args...)
		if res.code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want %d", tc.args, res.code, cli.ExitUsage)
		}
		for _, w := range tc.want {
			if !strings.Contains(res.err, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, res.err)
			}
		}
		if strings.Contains(res.err, "flag provided") || strings.Contains(res.err, "\t") || singleDash.MatchString(res.err) {
			t.Errorf("%v: the flag package's own words:\n%s", tc.args, res.err)
		}
	}
	if res := newFixture(t).run("", "list", "-h"); res.code != cli.ExitOK || !strings.HasPrefix(res.err, "usage: keywarden list") {
		t.Errorf("list -h: %v", res)
	}
}

// Issue 20: a key that may only deposit was labelled "can trade", though
// money only comes in.
func TestWords_DepositIsNotTrading(t *testing.T) {
	f := newFixture(t)
	f.add("deposits", []kraken.Permission{kraken.QueryFunds, kraken.AddFunds}, "--perms", "query-funds,add-funds")
	for _, args := range [][]string{{"list"}, {"show", "deposits"}} {
		res := f.run("", args...)
		if !strings.Contains(res.out, "money in only") || strings.Contains(res.out, "can trade") {
			t.Errorf("%v:\n%v", args, res)
		}
	}
}
