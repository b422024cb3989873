package cli

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// The man page and the shell completions are generated from the command
// table and from each command's own flag set (what `keywarden help COMMAND`
// prints), so they cannot drift from help: .ci/gendocs writes them when
// the packages are made.

// docCommand is what the man page and the completions know of a command.
type docCommand struct {
	name, usage, summary string
	flags                []docFlag
	// words are the literal words of the usage line that are not flags
	// ("status", "enable", "on", "off" for 2fa): completed where a
	// command's arguments go.
	words []string
}

// docFlag is one flag of a command: arg is the name of its value ("" for a
// switch), values the words its usage line allows for it (--2fa
// none|typed|seed|password).
type docFlag struct {
	name, arg, usage string
	values           []string
}

// docCommands returns every command with its flags, in help's order.
func docCommands() []docCommand {
	out := make([]docCommand, 0, len(commands))
	for _, c := range commands {
		d := docCommand{name: c.name, usage: c.usage, summary: c.summary}
		values, words := usageWords(c.name, c.usage)
		d.words = words
		for _, f := range commandFlags(c) {
			arg, usage := flag.UnquoteUsage(f)
			d.flags = append(d.flags, docFlag{name: f.Name, arg: arg, usage: usage, values: values[f.Name]})
		}
		out = append(out, d)
	}
	return out
}

// commandFlags runs a command with -h, as `keywarden help COMMAND` does,
// with its output discarded, and returns the flags of the flag set it made.
// Every command parses its flags before it touches anything, so -h only
// prints.
func commandFlags(c command) []*flag.Flag {
	e := newEnv(IO{
		Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
		Getenv: func(string) string { return "" }, TellTray: func() {},
	})
	c.run(e, []string{"-h"})
	var flags []*flag.Flag
	if e.flags != nil {
		e.flags.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
	}
	return flags
}

// usageWords reads a usage line: the values listed after a flag
// ("--2fa none|typed|seed|password") by flag name, and the other literal
// lower-case words ("on|off", "status"), which are arguments.
func usageWords(name, usage string) (values map[string][]string, words []string) {
	values = map[string][]string{}
	fields := strings.Fields(strings.NewReplacer("[", " ", "]", " ").Replace(usage))
	seen := map[string]bool{}
	for i, tok := range fields {
		if tok == name || tok == "|" || strings.HasPrefix(tok, "-") {
			continue
		}
		var lits []string
		for _, w := range strings.Split(tok, "|") {
			if isLiteral(w) {
				lits = append(lits, w)
			}
		}
		if i > 0 && strings.HasPrefix(fields[i-1], "--") && len(lits) > 0 {
			values[strings.TrimLeft(fields[i-1], "-")] = lits
			continue
		}
		for _, w := range lits {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	return values, words
}

// isLiteral reports whether a usage word is typed as it stands: lower case
// letters, digits and dashes (NAME, COMMAND and ARGS... are placeholders).
func isLiteral(w string) bool {
	if w == "" || w == "keywarden" {
		return false
	}
	for _, r := range w {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// WriteManPage writes keywarden(1) in roff: the help's text, every command
// with its usage line and flags, exit codes and environment. version and
// date ("2026-12-07") go in its header.
func WriteManPage(w io.Writer, version, date string) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, ".TH KEYWARDEN 1 %q %s \"User Commands\"\n", date, roffQuote("Keywarden "+version))
	fmt.Fprintf(b, ".SH NAME\nkeywarden \\- keeps your Kraken API keys safe\n")
	fmt.Fprintf(b, ".SH SYNOPSIS\n.B keywarden\n.br\n.B keywarden\n.I COMMAND\n.RI [ OPTIONS ]\n")
	fmt.Fprintf(b, ".SH DESCRIPTION\n%s\n", roffText(helpIntro))
	fmt.Fprintf(b, ".SH COMMANDS\n")
	for _, c := range docCommands() {
		fmt.Fprintf(b, ".TP\n.B %s\n%s\n", roffText("keywarden "+c.usage), roffText(c.summary))
		if len(c.flags) > 0 {
			b.WriteString(".RS\n")
			for _, f := range c.flags {
				head := "\\-\\-" + roffText(f.name)
				if f.arg != "" {
					head += " \\fI" + roffText(f.arg) + "\\fR"
				}
				fmt.Fprintf(b, ".TP\n.B %s\n%s\n", head, roffText(f.usage))
			}
			b.WriteString(".RE\n")
		}
	}
	for _, c := range windowCommands {
		fmt.Fprintf(b, ".TP\n.B %s\n%s\n", roffText("keywarden "+c.usage), roffText(c.summary))
	}
	notes := fmt.Sprintf(helpNotes, EnvOTP, EnvAppCode)
	fmt.Fprintf(b, ".SH NOTES\n")
	for i, p := range strings.Split(notes, "\n\n") {
		if i > 0 {
			b.WriteString(".PP\n")
		}
		b.WriteString(roffText(p) + "\n")
	}
	fmt.Fprintf(b, ".SH \"EXIT STATUS\"\n%s\n", roffText(strings.TrimPrefix(exitCodes, "Exit codes: ")))
	fmt.Fprintf(b, ".SH ENVIRONMENT\n")
	for _, v := range environment {
		fmt.Fprintf(b, ".TP\n.B %s\n%s\n", roffText(v.name), roffText(v.about))
	}
	fmt.Fprintf(b, ".SH \"SEE ALSO\"\n.BR secret\\-tool (1)\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// roffText escapes text for roff: backslashes and dashes, and a dot or
// quote that would start a request at the beginning of a line.
func roffText(s string) string {
	s = strings.NewReplacer(`\`, `\e`, "-", `\-`).Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			lines[i] = `\&` + l
		}
	}
	return strings.Join(lines, "\n")
}

// roffQuote is s as one quoted argument of a roff request.
func roffQuote(s string) string {
	return `"` + strings.ReplaceAll(roffText(s), `"`, `""`) + `"`
}

// Shells lists the shells WriteCompletion writes for.
var Shells = []string{"bash", "zsh", "fish"}

// WriteCompletion writes the completion script for shell (one of Shells):
// command names, each command's flags, the values a flag's usage lists,
// and the literal words of its usage line.
func WriteCompletion(w io.Writer, shell string) error {
	var s string
	switch shell {
	case "bash":
		s = bashCompletion(docCommands(), "_keywarden", "")
	case "zsh":
		// zsh runs the bash completion through its bashcompinit, so both
		// shells complete alike.
		// zsh autoloads this file as the function _keywarden at the first
		// Tab: it defines the bash function under another name, registers
		// it, and completes that first Tab too.
		s = "#compdef keywarden\n# Keywarden's completion for zsh, through zsh's bash completion support.\n" +
			"autoload -U +X bashcompinit && bashcompinit\n" +
			bashCompletion(docCommands(), "_keywarden_bash", "setopt localoptions ksharrays\n\t") +
			"if (( ${+compstate} )); then _bash_complete -F _keywarden_bash; fi\n"
	case "fish":
		s = fishCompletion(docCommands())
	default:
		return fmt.Errorf("no completion for the shell %q: use %s", shell, strings.Join(Shells, ", "))
	}
	_, err := io.WriteString(w, s)
	return err
}

// bashCompletion is the bash completion function fn; pre opens its body
// (zsh needs its arrays counted from 0, as bash does). It matches the
// candidates itself rather than through compgen, which zsh's bashcompinit
// imitates only in part.
func bashCompletion(cmds []docCommand, fn, pre string) string {
	b := &strings.Builder{}
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.name
	}
	fmt.Fprintf(b, "# Generated by Keywarden from its command table; do not edit.\n%s() {\n\t%s", fn, pre)
	b.WriteString("local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd=${COMP_WORDS[1]} w\n")
	b.WriteString("\tlocal -a words\n")
	fmt.Fprintf(b, "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n\t\twords=(%s)\n\telse\n", shellWords(names))
	b.WriteString("\t\tcase \"$cmd $prev\" in\n")
	for _, c := range cmds {
		for _, f := range c.flags {
			// A flag's value: the words its usage lists, or none to offer
			// (a name, a code: the person's own).
			if f.arg != "" || len(f.values) > 0 {
				fmt.Fprintf(b, "\t\t%s) words=(%s) ;;\n", shellQuote(c.name+" --"+f.name), shellWords(f.values))
			}
		}
	}
	b.WriteString("\t\t*)\n\t\t\tcase $cmd in\n")
	for _, c := range cmds {
		words := c.words
		if c.name == "help" {
			words = names
		}
		for _, f := range c.flags {
			words = append(words, "--"+f.name)
		}
		if len(words) > 0 {
			fmt.Fprintf(b, "\t\t\t%s) words=(%s) ;;\n", shellQuote(c.name), shellWords(words))
		}
	}
	b.WriteString("\t\t\tesac\n\t\t\t;;\n\t\tesac\n\tfi\n")
	b.WriteString("\tCOMPREPLY=()\n\tfor w in \"${words[@]}\"; do\n\t\t[[ $w == \"$cur\"* ]] && COMPREPLY+=(\"$w\")\n\tdone\n\treturn 0\n}\n")
	fmt.Fprintf(b, "complete -F %s keywarden\n", fn)
	return b.String()
}

// shellWords is words, each quoted, for an array.
func shellWords(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = shellQuote(w)
	}
	return strings.Join(q, " ")
}

// fishCompletion is the fish script: each candidate with its description.
func fishCompletion(cmds []docCommand) string {
	b := &strings.Builder{}
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.name
	}
	all := strings.Join(names, " ")
	b.WriteString("# Generated by Keywarden from its command table; do not edit.\ncomplete -c keywarden -f\n")
	for _, c := range cmds {
		fmt.Fprintf(b, "complete -c keywarden -n %s -a %s -d %s\n", shellQuote("not __fish_seen_subcommand_from "+all), shellQuote(c.name), shellQuote(c.summary))
		on := shellQuote("__fish_seen_subcommand_from " + c.name)
		words := c.words
		if c.name == "help" {
			words = names
		}
		sorted := append([]string(nil), words...)
		sort.Strings(sorted)
		if len(sorted) > 0 {
			fmt.Fprintf(b, "complete -c keywarden -n %s -a %s\n", on, shellQuote(strings.Join(sorted, " ")))
		}
		for _, f := range c.flags {
			fmt.Fprintf(b, "complete -c keywarden -n %s -l %s", on, shellQuote(f.name))
			if f.arg != "" {
				b.WriteString(" -x")
			}
			if len(f.values) > 0 {
				fmt.Fprintf(b, " -a %s", shellQuote(strings.Join(f.values, " ")))
			}
			fmt.Fprintf(b, " -d %s\n", shellQuote(f.usage))
		}
	}
	return b.String()
}

// shellQuote quotes s in single quotes for bash, zsh and fish.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
