package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// newFlags returns the flag set of one command: errors go to stderr with
// the command's usage line and flags.
func newFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.errw)
	fs.Usage = func() {
		fmt.Fprintf(e.errw, "usage: keywarden %s\n", usage)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fs.PrintDefaults()
		}
	}
	e.flags = fs
	return fs
}

// parseArgs parses args with fs, letting flags come after the positional
// arguments too ("show NAME --json"), and returns the positional ones. A
// "--" ends the flags; what follows it is returned as rest.
func parseArgs(fs *flag.FlagSet, args []string) (pos, rest []string, err error) {
	for {
		if err := fs.Parse(args); err != nil {
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

// flagFailed returns the exit code for a flag parse error, which the flag
// package has already printed with the usage: 0 for -h, else ExitUsage.
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
