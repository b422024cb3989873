package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// newFlags returns the flag set of one command. Its errors and -h go to
// stderr, in plain words (parseArgs), with the command's usage line and
// its options (printUsage), never the flag package's own dump.
func newFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.errw)
	fs.Usage = func() { printUsage(e.errw, fs, usage) }
	e.flags = fs
	return fs
}

// printUsage prints the command's usage line and its options, as
// "--name VALUE  what it does", aligned.
func printUsage(w io.Writer, fs *flag.FlagSet, usage string) {
	fmt.Fprintf(w, "usage: keywarden %s\n", usage)
	var names, texts []string
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		arg, text := flag.UnquoteUsage(f)
		switch arg {
		case "string", "value":
			arg = "value"
		case "int", "uint", "float":
			arg = "n"
		}
		name := "--" + f.Name
		if arg != "" {
			name += " " + strings.ToUpper(arg)
		}
		names, texts = append(names, name), append(texts, text)
		width = max(width, len(name))
	})
	for i := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, names[i], texts[i])
	}
	fmt.Fprintf(w, "\"keywarden help %s\" says more.\n", fs.Name())
}

// parseArgs parses args with fs, letting flags come after the positional
// arguments too ("show NAME --json"), and returns the positional ones. A
// "--" ends the flags; what follows it is returned as rest. A flag it
// does not know, or one without its value, is said in plain words on
// fs's output, with a near name when there is one, then the usage.
func parseArgs(fs *flag.FlagSet, args []string) (pos, rest []string, err error) {
	w, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard) // the flag package's own words
	fs.Usage = func() {}
	defer func() { fs.SetOutput(w); fs.Usage = usage }()
	for {
		if err := fs.Parse(args); err != nil {
			if !errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(w, "keywarden %s: %s\n", fs.Name(), flagWords(fs, err))
			}
			usage()
			return nil, nil, err
		}
		left := fs.Args()
		used := len(args) - len(left)
		if used > 0 && args[used-1] == "--" {
			return pos, left, nil
		}
		if len(left) == 0 {
			return pos, nil, nil
		}
		pos = append(pos, left[0])
		args = left[1:]
	}
}

// flagWords says a flag package error in plain words. Its messages are
// stable ("flag provided but not defined: -jsn"); one it does not know is
// passed on.
func flagWords(fs *flag.FlagSet, err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		name = strings.TrimLeft(name, "-")
		words := fmt.Sprintf("there is no option --%s.", name)
		if near := nearFlag(fs, name); near != "" {
			words += fmt.Sprintf(" Did you mean --%s?", near)
		}
		return words
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return fmt.Sprintf("--%s needs a value after it.", strings.TrimLeft(name, "-"))
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		if value, name, ok := strings.Cut(rest, " for flag -"); ok {
			name, _, _ = strings.Cut(name, ":")
			return fmt.Sprintf("%s is not a value --%s takes.", value, name)
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		if value, name, ok := strings.Cut(rest, " for -"); ok {
			name, _, _ = strings.Cut(name, ":")
			return fmt.Sprintf("--%s is on or off: give it alone, or as --%s=false, not %s.", name, name, value)
		}
	}
	return msg + "."
}

// nearFlag returns the option of fs closest to name when it is a likely
// slip: at most two letters off, or name is the start of it.
func nearFlag(fs *flag.FlagSet, name string) string {
	best, bestDist := "", 3
	fs.VisitAll(func(f *flag.Flag) {
		d := editDistance(name, f.Name)
		if strings.HasPrefix(f.Name, name) && len(name) >= 2 {
			d = min(d, 1)
		}
		if d < bestDist {
			best, bestDist = f.Name, d
		}
	})
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// flagFailed returns the exit code for a flag parse error, which parseArgs
// has already printed with the usage: 0 for -h, else ExitUsage.
func flagFailed(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitUsage
}

// isSet reports whether the flag called name was given.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

// splitList splits a comma-separated list, trimming spaces and dropping
// empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// parsePermissions reads a comma-separated list of permission codes, as
// GetApiKeyInfo spells them ("query-funds,query-ledger"); "none" is the
// empty list.
func parsePermissions(s string) ([]kraken.Permission, error) {
	items := splitList(strings.ToLower(s))
	if len(items) == 1 && items[0] == "none" {
		return nil, nil
	}
	var perms []kraken.Permission
	for _, item := range items {
		p := kraken.Permission(item)
		if !p.Known() {
			codes := make([]string, len(kraken.Catalogue))
			for i, c := range kraken.Catalogue {
				codes[i] = string(c.Code)
			}
			return nil, usageErr("%q is not a Kraken permission. Use these codes, separated by commas: %s (or none).", item, strings.Join(codes, ", "))
		}
		perms = append(perms, p)
	}
	return kraken.SortPermissions(perms), nil
}

// parsePurpose reads a purpose, by its name or a short form.
func parsePurpose(s string) (vault.Purpose, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case string(vault.PurposeTaxImport), "tax":
		return vault.PurposeTaxImport, nil
	case string(vault.PurposeDashboard), "dashboard", "read-only":
		return vault.PurposeDashboard, nil
	case string(vault.PurposeTradingBot), "bot", "trading":
		return vault.PurposeTradingBot, nil
	case string(vault.PurposeWatch), "watch":
		return vault.PurposeWatch, nil
	case string(vault.PurposeCustom):
		return vault.PurposeCustom, nil
	}
	return "", usageErr("%q is not a purpose Keywarden knows. Use tax-import, read-only-dashboard, trading-bot, account-watch or custom.", s)
}

// parseTwoFA reads the --2fa flag.
func parseTwoFA(s string) (vault.TwoFA, error) {
	switch t := vault.TwoFA(strings.ToLower(strings.TrimSpace(s))); t {
	case vault.TwoFANone, vault.TwoFATyped, vault.TwoFASeed, vault.TwoFAPassword:
		return t, nil
	}
	return "", usageErr("--2fa %q is not known. Use none, typed (you type a code at each check), seed (Keywarden keeps the authenticator seed in the keyring) or password (Keywarden keeps the key's 2FA password in the keyring).", s)
}
