package cli

import (
	"fmt"
	"io"
	"text/tabwriter"
)

const helpUsage = "help [COMMAND]"

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

// printHelp writes the overview of every command.
func printHelp(w io.Writer) {
	fmt.Fprintln(w, `Keywarden keeps your Kraken API keys: what each may do, where it is used, when it is due
for a look. Secrets live in the system keyring only. Without arguments it opens the window.

Commands:`)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	fmt.Fprintf(tw, "  %s\t%s\n", "demo", "the window over sample keys and a simulated exchange (nothing real is touched)")
	fmt.Fprintf(tw, "  %s\t%s\n", "open ID", "the window, on one key's detail")
	fmt.Fprintf(tw, "  %s\t%s\n", "tray", "the tray icon and reminders alone, without a window (what start at login runs)")
	tw.Flush()
	fmt.Fprintln(w, `
Usage:`)
	for _, c := range commands {
		fmt.Fprintf(w, "  keywarden %s\n", c.usage)
	}
	fmt.Fprintf(w, `
add reads the API key and the private key as two lines from standard input, or asks for them
without echo on a terminal; with --2fa seed or password, a third line holds the authenticator
seed or the key's 2FA password. Secrets are never taken from arguments.

A key's 2FA code is asked for without echo on a terminal, or read from %s, or from
standard input with --otp - ; --otp CODE works but other users can read it in the process
list. With app 2FA on, exec, revoke and remove ask for the app code on a terminal, or read
it from %s; with neither they refuse (exit 1) and exec starts nothing. App 2FA is on
while its seed is in the system keyring, whatever files say. Lost your authenticator app?
keywarden 2fa reset --lost-authenticator turns app 2FA off without a code: it needs your
unlocked keyring, asks to confirm, and is written in every key's history.

Exit codes: 0 done (check: nothing needs attention; sweep: nothing found), 1 failed, 2 wrong usage,
3 check found something that needs attention, or sweep found a copy; exec exits with its program's code
(126 or 127 when the program cannot be started).

Environment:
  %s         folder of the key list (default: your config folder/keywarden)
  %s  another exchange address, on this computer only (tests, the demo)
  %s=1     also print the technical detail behind an error (never a secret)
  %s         a key's current 2FA code, instead of --otp
  %s    the app 2FA code, where no terminal can ask for it
`, EnvOTP, EnvAppCode, EnvDir, EnvKrakenURL, EnvDebug, EnvOTP, EnvAppCode)
}
