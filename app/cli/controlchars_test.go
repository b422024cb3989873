package cli_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/vault"
)

// Issue 18: names, paths and exchange text that set the terminal's title,
// erase a line, hide the rest of the output, fake lines with a line break
// or reorder them with a bidi override. Each part is written here as it
// must show once escaped.
const (
	hostileTitle = "\x1b]0;OWNED\x07" // sets the window title
	hostileErase = "\x1b[2K\r"        // erases the line and goes back to its start
	hostileFake  = "\nFAKE: all keys fine"
	hostileBidi  = "\u202eexe.txt" // a right-to-left override
	hostileHide  = "\x1b[8m"       // hides everything after it

	hostileName = "bot" + hostileTitle + hostileErase + hostileFake + hostileBidi + hostileHide
)

// escapedName is how hostileName must show: recognisable, and inert.
var escapedName = `bot\x1b]0;OWNED\x07\x1b[2K\r\nFAKE: all keys fine\u202eexe.txt\x1b[8m`

// rawControls returns the characters in s a terminal would act on: any
// control but the line breaks and tabs of Keywarden's own layout, any C1
// control, bidi override or isolate, and any byte that is no character.
func rawControls(s string) []string {
	var found []string
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				found = append(found, fmt.Sprintf("byte %#x", s[i]))
			}
		case r == '\n' || r == '\t':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f),
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			found = append(found, fmt.Sprintf("%U", r))
		}
	}
	return found
}

// fakedLines returns the lines of s that start with what a line break in
// a name put there.
func fakedLines(s string) []string {
	var found []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "FAKE:") {
			found = append(found, l)
		}
	}
	return found
}

// assertInert fails t when res shows a raw control or a faked line, or
// lacks every one of wants (escaped names that must still be there).
func assertInert(t *testing.T, what string, res result, wants ...string) {
	t.Helper()
	all := res.out + res.err
	if c := rawControls(all); len(c) > 0 {
		t.Errorf("%s: the output reaches the terminal with %v:\n%q", what, c, all)
	}
	if l := fakedLines(all); len(l) > 0 {
		t.Errorf("%s: a line break in a name faked the lines %q:\n%s", what, l, all)
	}
	for _, w := range wants {
		if !strings.Contains(all, w) {
			t.Errorf("%s: the output lacks %q (the name, escaped):\n%s", what, w, all)
		}
	}
}

// hostileKey adds a key whose name (here and on the exchange), account,
// users and notes carry terminal controls, as a key list written by
// someone else, or a name pasted from anywhere, would.
func hostileKey(t *testing.T) *fixture {
	f := newFixture(t)
	f.add(hostileName, taxPerms, "--purpose", "tax", "--used-by", "Koinly")
	f.update(func(d *vault.Data) error {
		r := &d.Records[0]
		r.Account = "main" + hostileBidi + "\u009b2J"
		r.UsedBy = append(r.UsedBy, "svc"+hostileErase+hostileFake)
		r.Notes = "see" + hostileHide
		return nil
	})
	return f
}

func TestList_controlCharactersInNames(t *testing.T) {
	f := hostileKey(t)
	res := f.run("", "list")
	if res.code != cli.ExitOK {
		t.Fatalf("list: %v", res)
	}
	assertInert(t, "list", res, escapedName, `svc\x1b[2K\r\nFAKE: all keys fine`)
}

func TestShow_controlCharactersInNames(t *testing.T) {
	f := hostileKey(t)
	if res := f.run("", "check", hostileName); res.code == cli.ExitError {
		t.Fatalf("check: %v", res) // so that show has the exchange's name of the key to show
	}
	res := f.run("", "show", hostileName)
	if res.code != cli.ExitOK {
		t.Fatalf("show: %v", res)
	}
	assertInert(t, "show", res, escapedName, `main\u202eexe.txt\u009b2J`, `see\x1b[8m`)
	if n := strings.Count(res.out, escapedName); n < 1 { // the title
		t.Errorf("show names the key %d times escaped, want at least once:\n%s", n, res.out)
	}
	// The name on Kraken is stored as the check cleaned it (kraken.Cap
	// turns control characters into spaces); it still shows as that name.
	if !strings.Contains(res.out, "Name on Kraken: bot ]0;OWNED") {
		t.Errorf("show lacks the name on Kraken:\n%s", res.out)
	}

	t.Run("a name no key has, typed by the person", func(t *testing.T) {
		res := f.run("", "show", "nope"+hostileTitle+hostileFake)
		if res.code != cli.ExitError {
			t.Fatalf("show: %v", res)
		}
		assertInert(t, "show of an unknown name", res, `nope\x1b]0;OWNED`)
	})
}

func TestCheck_controlCharactersInNames(t *testing.T) {
	f := hostileKey(t)
	res := f.run("", "check", hostileName)
	if res.code == cli.ExitError {
		t.Fatalf("check: %v", res)
	}
	assertInert(t, "check", res, escapedName+": ok")
}

// hostileExchange answers every call with an error of its own words: a
// bidi override and terminal controls, as a proxy or a compromised
// network path could.
func hostileExchange(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"error":["EGeneral:Upgrade at evil.example \u202egnp.exe \u001b]0;OWNED\u0007\u001b[2K\r\nFAKE: all keys fine"],"result":{}}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestCheck_controlCharactersFromTheExchange(t *testing.T) {
	f := newFixture(t)
	f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
	var out, errw bytes.Buffer
	io := f.io(strings.NewReader(""), &out, &errw)
	io.BaseURL = hostileExchange(t)
	code := cli.Main([]string{"check", "koinly-tax"}, io)
	res := result{code, out.String(), errw.String()}
	if code != cli.ExitError {
		t.Fatalf("check against an exchange that answers with an error: %v", res)
	}
	assertInert(t, "check", res, `Upgrade at evil.example \u202egnp.exe`)

	res = f.run("", "show", "koinly-tax")
	assertInert(t, "show after the check", res, `Upgrade at evil.example \u202egnp.exe`)
}

// The JSON output is for programs: it stays exactly as encoding/json
// writes it (which escapes what a terminal acts on by itself).
func TestList_JSONUnchangedByEscaping(t *testing.T) {
	f := hostileKey(t)
	res := f.run("", "list", "--json")
	if res.code != cli.ExitOK {
		t.Fatalf("list --json: %v", res)
	}
	for _, want := range []string{
		`"name": "bot\u001b]0;OWNED\u0007\u001b[2K\r\nFAKE: all keys fine` + "\u202e" + `exe.txt\u001b[8m"`,
		`"account": "main` + "\u202e" + `exe.txt` + "\u009b" + `2J"`,
	} {
		if !strings.Contains(res.out, want) {
			t.Errorf("list --json lacks %q:\n%s", want, res.out)
		}
	}
}

// The words for errors (keys.UserMessage) quote names too: a key the
// exchange still accepts, named with controls.
func TestRevoke_controlCharactersInNames(t *testing.T) {
	f := hostileKey(t)
	res := f.run("", "revoke", hostileName)
	if res.code != cli.ExitError {
		t.Fatalf("revoke of a key Kraken still accepts: %v", res)
	}
	assertInert(t, "revoke", res, "Kraken still accepts “"+escapedName+"”")
}

// What no printing line escapes itself is escaped by the writer behind
// stdout and stderr: here the flag package's own message, which quotes an
// unknown flag as typed (or pasted).
func TestMain_streamsEscapeWhatAPrintingLineMissed(t *testing.T) {
	f := newFixture(t)
	res := f.run("", "list", "--x"+hostileTitle+hostileErase+hostileBidi)
	if res.code != cli.ExitUsage {
		t.Fatalf("list with an unknown flag: %v", res)
	}
	assertInert(t, "an unknown flag", res, `x\x1b]0;OWNED\x07\x1b[2K\r\u202eexe.txt`)
}

// The program exec runs writes to the streams as given: its own colours
// and controls are its business, not text Keywarden shows.
func TestExec_programOutputPassesUnescaped(t *testing.T) {
	f := newFixture(t)
	f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
	res := f.run("\x1b[31mred\x1b[0m\n", append([]string{"exec", "freqtrade-vps"}, child(t, f, "echo")...)...)
	if want := "\x1b[31MRED\x1b[0M\n"; res.code != 0 || res.out != want {
		t.Fatalf("got %v; want stdout %q", res, want)
	}
}
