//go:build !windows

package cli_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/cli"
)

// helpCommands returns the command names `keywarden help` lists under
// Commands (not the window's arguments after them), and its usage lines.
func helpCommands(t *testing.T) (names, usages []string) {
	t.Helper()
	res := newFixture(t).run("", "help")
	if res.code != 0 {
		t.Fatalf("help: %v", res)
	}
	section := ""
	for _, l := range strings.Split(res.out, "\n") {
		switch {
		case l == "Commands:" || l == "Usage:":
			section = l
		case l == "":
			section = ""
		case section == "Commands:":
			names = append(names, strings.Fields(l)[0])
		case section == "Usage:":
			usages = append(usages, strings.TrimSpace(l))
		}
	}
	// The window's arguments follow the commands; they are not commands.
	for _, w := range []string{"demo", "open", "tray"} {
		names = slices.DeleteFunc(names, func(n string) bool { return n == w })
	}
	if len(names) < 10 || len(usages) != len(names) {
		t.Fatalf("help lists %d commands and %d usage lines:\n%s", len(names), len(usages), res.out)
	}
	return names, usages
}

// helpFlags returns the flags `keywarden help NAME` prints, as "--flag".
func helpFlags(t *testing.T, name string) []string {
	t.Helper()
	if name == "help" {
		return nil // help has no flags: "help help" prints the overview
	}
	res := newFixture(t).run("", "help", name)
	if res.code != 0 {
		t.Fatalf("help %s: %v", name, res)
	}
	var flags []string
	for _, m := range regexp.MustCompile(`(?m)^  --?([a-z0-9-]+)`).FindAllStringSubmatch(res.out, -1) {
		flags = append(flags, "--"+m[1])
	}
	return flags
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestWriteManPage_matchesHelp: the man page has every usage line help
// prints, each command's flags as its help shows them, and nothing more;
// man renders it without a warning.
func TestWriteManPage_matchesHelp(t *testing.T) {
	names, usages := helpCommands(t)
	var page bytes.Buffer
	if err := cli.WriteManPage(&page, "9.8.7", "2026-12-07"); err != nil {
		t.Fatal(err)
	}
	unescape := strings.NewReplacer(`\-`, "-", `\e`, `\`, `\fI`, "", `\fR`, "")
	var manUsages []string
	manFlags := map[string][]string{}
	cur := ""
	for _, l := range strings.Split(page.String(), "\n") {
		l = unescape.Replace(l)
		switch {
		case strings.HasPrefix(l, ".B keywarden "):
			manUsages = append(manUsages, strings.TrimPrefix(l, ".B "))
			cur = strings.Fields(l)[2]
		case strings.HasPrefix(l, ".B --"):
			manFlags[cur] = append(manFlags[cur], strings.Fields(l)[1])
		}
	}
	for _, u := range usages {
		if !slices.Contains(manUsages, u) {
			t.Errorf("help's %q is not in the man page", u)
		}
	}
	// After the commands come the window's demo, open ID and tray.
	if len(manUsages) != len(usages)+3 {
		t.Errorf("the man page has %d usage lines, help %d and 3 for the window:\n%q", len(manUsages), len(usages), manUsages)
	}
	for _, n := range names {
		if got, want := sorted(manFlags[n]), sorted(helpFlags(t, n)); !slices.Equal(got, want) {
			t.Errorf("%s: the man page has the flags %q, help %q", n, got, want)
		}
	}
	if !strings.HasPrefix(page.String(), `.TH KEYWARDEN 1 "2026-12-07" "Keywarden 9.8.7"`) {
		t.Errorf("header: %.80q", page.String())
	}

	// man itself reads it: every section, no warning.
	file := filepath.Join(t.TempDir(), "keywarden.1")
	if err := os.WriteFile(file, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("man", "--warnings", "-E", "UTF-8", "-l", file)
	cmd.Env = append(os.Environ(), "MANWIDTH=80", "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("man: %v\n%s", err, stderr.String())
	}
	for _, s := range []string{"NAME", "SYNOPSIS", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "keywarden exec NAME", "--lost-authenticator", "KEYWARDEN_APP_CODE"} {
		if !strings.Contains(string(out), s) {
			t.Errorf("man shows no %q:\n%s", s, out)
		}
	}
}

// completer asks a shell's completion, in one run of the shell, what it
// offers for each of lines (what is typed so far: its last word, maybe
// empty, is the one completed).
type completer func(t *testing.T, script string, lines []string) [][]string

// bashLike runs the completion function fn the way bash (or zsh through its
// bashcompinit) calls it: COMP_WORDS and COMP_CWORD set, COMPREPLY read.
func bashLike(shell, setup, fn string, args ...string) completer {
	return func(t *testing.T, script string, lines []string) [][]string {
		t.Helper()
		prog := setup + "source " + script + "\n"
		for _, line := range lines {
			words := strings.Split(line, " ")
			prog += "COMP_WORDS=('" + strings.Join(words, "' '") + "')\nCOMP_CWORD=" + strconv.Itoa(len(words)-1) +
				"\n" + fn + "\nprintf '%s\\n' \"${COMPREPLY[@]}\" =\n"
		}
		return splitRuns(runShell(t, shell, append(args, "-c", prog)...))
	}
}

func fish(t *testing.T, script string, lines []string) [][]string {
	t.Helper()
	prog := "source " + script + "\n"
	for _, line := range lines {
		prog += "complete -C '" + line + "'; echo =\n"
	}
	runs := splitRuns(runShell(t, "fish", "--no-config", "-c", prog))
	for _, run := range runs {
		for i, l := range run {
			run[i] = strings.SplitN(l, "\t", 2)[0] // without the description
		}
	}
	return runs
}

// splitRuns splits output lines at each "=" line.
func splitRuns(lines []string) [][]string {
	var runs [][]string
	var cur []string
	for _, l := range lines {
		if l == "=" {
			runs = append(runs, cur)
			cur = nil
		} else if l != "" {
			cur = append(cur, l)
		}
	}
	return runs
}

func runShell(t *testing.T, shell string, args ...string) []string {
	t.Helper()
	cmd := exec.Command(shell, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("%s %q: %v\n%s", shell, args, err, stderr.String())
	}
	return strings.Split(string(out), "\n")
}

// TestWriteCompletion_matchesHelp runs each shell's completion for real:
// after "keywarden " it offers exactly the commands help lists, after
// "keywarden CMD --" exactly the flags `help CMD` prints, after "help "
// the commands, and after "add --2fa " the values add's usage names.
func TestWriteCompletion_matchesHelp(t *testing.T) {
	names, _ := helpCommands(t)
	shells := map[string]completer{
		"bash": bashLike("bash", "", "_keywarden", "--norc", "--noprofile"),
		// zsh with its completion system, as an interactive zsh has it.
		"zsh":  bashLike("zsh", "autoload -U compinit && compinit -u -D\n", "_keywarden_bash", "-f"),
		"fish": fish,
	}
	for _, shell := range cli.Shells {
		t.Run(shell, func(t *testing.T) {
			var b bytes.Buffer
			if err := cli.WriteCompletion(&b, shell); err != nil {
				t.Fatal(err)
			}
			script := filepath.Join(t.TempDir(), "keywarden."+shell)
			if err := os.WriteFile(script, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			// Each line typed, and what its completion must offer.
			lines := []string{"keywarden ", "keywarden help ", "keywarden add --2fa "}
			want := [][]string{names, names, {"none", "password", "seed", "typed"}}
			for _, n := range names {
				lines = append(lines, "keywarden "+n+" --")
				want = append(want, helpFlags(t, n))
			}
			got := shells[shell](t, script, lines)
			if len(got) != len(lines) {
				t.Fatalf("%d answers for %d lines: %q", len(got), len(lines), got)
			}
			for i := range lines {
				if !slices.Equal(sorted(got[i]), sorted(want[i])) {
					t.Errorf("after %q: got %q, want %q", lines[i], got[i], want[i])
				}
			}
		})
	}
	if err := cli.WriteCompletion(io.Discard, "tcsh"); err == nil {
		t.Error("a shell without a completion gave no error")
	}
}
