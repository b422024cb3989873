package cli

import (
	"fmt"
	"io"
	"text/tabwriter"
)

const (
	helpUsage    = "help [COMMAND]"
	versionUsage = "version"
)

// helpIntro opens the help and the man page's description.
const helpIntro = `Keywarden keeps your Kraken API keys: what each may do, where it is used, when it is due
for a look. Secrets live in the system keyring only. Without arguments it opens the window.`

// windowCommands are the arguments that open the window or the tray part
// rather than a command (main.go picks them): help and the man page list
// them after the commands.
var windowCommands = []struct{ usage, summary string }{
	{"demo", "the window over sample keys and a simulated exchange (nothing real is touched)"},
	{"open ID", "the window, on one key's detail"},
	{"tray", "the tray icon and reminders alone, without a window (what start at login runs)"},
}

// helpNotes is the help's text on secrets and codes (Sprintf'd with
// EnvOTP and EnvAppCode), exitCodes its paragraph on exit codes, and
// environment the variables it lists; the man page shows the same.
const (
	helpNotes = `add reads the API key and the private key as two lines from standard input, or asks for them
without echo on a terminal; with --2fa seed or password, a third line holds the authenticator
seed or the key's 2FA password. Secrets are never taken from arguments.

A key's 2FA code is asked for without echo on a terminal, or read from %s, or from
standard input with --otp - ; --otp CODE works but other users can read it in the process
list. With app 2FA on, exec, revoke and remove ask for the app code on a terminal, or read
it from %s; with neither they refuse (exit 1) and exec starts nothing. App 2FA is on
while its seed is in the system keyring, whatever files say. Lost your authenticator app?
keywarden 2fa reset --lost-authenticator turns app 2FA off without a code: it needs your
unlocked keyring, asks to confirm, and is written in every key's history.`
	exitCodes = `Exit codes: 0 done (check: nothing needs attention; sweep: nothing found), 1 failed, 2 wrong usage,
3 check found something that needs attention, or sweep found a copy; exec exits with its program's code
(126 or 127 when the program cannot be started).`
)

var environment = []struct{ name, about string }{
	{EnvDir, "folder of the key list (default: your config folder/keywarden)"},
	{EnvKrakenURL, "another exchange address, on this computer only (tests, the demo)"},
	{EnvDebug + "=1", "also print the technical detail behind an error (never a secret)"},
	{EnvOTP, "a key's current 2FA code, instead of --otp"},
	{EnvAppCode, "the app 2FA code, where no terminal can ask for it"},
}

func runHelp(e *env, args []string) int {
	if len(args) == 0 {
		printHelp(e.out)
		return ExitOK
	}
	cmd := lookup(args[0])
	if cmd == nil || cmd.name == "help" {
		if cmd == nil {
			e.say("%q is not a Keywarden command.", args[0])
		}
		printHelp(e.errw)
		return ExitUsage
	}
	fmt.Fprintf(e.out, "%s\n\n", cmd.summary)
	// The command's own -h prints its usage line and flags.
	e.errw, e.out = e.out, e.errw
	defer func() { e.errw, e.out = e.out, e.errw }()
	return cmd.run(e, []string{"-h"})
}

func runVersion(e *env, args []string) int {
	fs := newFlags(e, "version", versionUsage)
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	if len(pos) > 0 {
		return e.fail(usageErr("version takes no arguments."))
	}
	fmt.Fprintf(e.out, "keywarden %s\n", e.version)
	return ExitOK
}

// printHelp writes the overview of every command.
func printHelp(w io.Writer) {
	fmt.Fprintf(w, "%s\n\nCommands:\n", helpIntro)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	for _, c := range windowCommands {
		fmt.Fprintf(tw, "  %s\t%s\n", c.usage, c.summary)
	}
	tw.Flush()
	fmt.Fprintln(w, `
Usage:`)
	for _, c := range commands {
		fmt.Fprintf(w, "  keywarden %s\n", c.usage)
	}
	fmt.Fprintf(w, "\n"+helpNotes+"\n\n%s\n\nEnvironment:\n", EnvOTP, EnvAppCode, exitCodes)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, v := range environment {
		fmt.Fprintf(tw, "  %s\t%s\n", v.name, v.about)
	}
	tw.Flush()
}
