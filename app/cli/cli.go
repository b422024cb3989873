// Package cli is Keywarden's command-line face: the same vault as the window,
// for scripts and servers. Each command is a plain input struct, filled from
// its flags, and a function that takes its dependencies (the metadata store,
// the secret store, the exchange checker, the clock and the streams) from an
// env, so every command runs in tests without a terminal. It imports no GUI
// code. Every change to a key goes through one keys.Service (app/keys), the
// same owner of the key workflows the window and the tray part use, so the
// command line tells the same truth as they do.
//
// The environment variables it reads:
//
//	KEYWARDEN_DIR         the folder of the key list (default: the user's config folder/keywarden)
//	KEYWARDEN_KRAKEN_URL  another exchange address, on this computer only (tests, the demo)
//	KEYWARDEN_DEBUG=1     also print the technical detail behind an error (never a secret)
//	KEYWARDEN_OTP         a key's current 2FA code, for add, check and revoke (instead of --otp)
//	KEYWARDEN_APP_CODE    the app 2FA code, for exec, revoke, remove and 2fa when no terminal can ask
//
// On Windows keywarden.exe is a GUI program (no console window opens for
// the window or the tray part) that attaches to the console it was started
// from, so commands work from cmd.exe and PowerShell. cmd.exe does not wait
// for a GUI program, so the prompt may come back before its output;
// `start /wait /b keywarden.exe list` in cmd.exe, or
// `keywarden.exe list | Out-Host` in PowerShell, waits and keeps the exit
// code. exec waits for its program and returns the program's exit code
// (all 32 bits: a program Ctrl+C ended returns 0xC000013A, as without
// Keywarden). Ctrl+C and Ctrl+Break in the console reach the program by
// themselves, and Keywarden does not end at them but waits, so the program
// decides when to stop; when the console window is closed it waits too,
// until Windows ends the console's programs. The program runs in a job
// object that ends it, and whatever it started, if keywarden.exe is killed
// (taskkill /F, Task Manager). Microsoft documents that `start /b` starts a
// program with Ctrl+C turned off, and a program started from it inherits
// that: there, Ctrl+Break still reaches the program.
//
// # watch and activity
//
// `keywarden watch NAME` makes a read-only key (Funds – Query and Data –
// Query ledger entries, nothing more: Kraken is asked first, and a key that
// may trade or move money is refused) the watch key of its account.
// `keywarden activity` reads the ledger entries new since the last look
// (at most 3 Ledgers calls an account), prints each with its verdict and
// every entry that needs an answer, and exits 3 while one does;
// `--since 24h` lists that stretch of the ledger instead, changing nothing.
// `activity ok REFID` records "it was me"; `activity not-me REFID` says
// which keys could have done it, to revoke, or that the website login is
// the likely door.
//
// # sweep
//
// `keywarden sweep [PATH...]` (default: the home folder) runs app/sweep and
// prints each file's copies with the next step, as text or --json, never a
// secret. Exit codes: 0 nothing found, 3 something found, 1 an error (also
// when nothing was found but the keyring could not be read). The stored keys
// are read from the keyring once each; if it is locked the sweep says so,
// still looks for keys Keywarden does not hold, and says which found key is
// probably one of the person's. --no-git leaves out the histories,
// --all-folders sweeps the caches too; progress goes to stderr when it is a
// terminal. For example:
//
//	$ keywarden sweep
//	Found 3 copies of 1 of your keys and 1 key not in Keywarden.
//
//	/home/alice/.bash_history (shell history)
//	  line 2: private key of "freqtrade-bot" (as KRAKEN_API_SECRET)
//	  Next: Delete line 2 of /home/alice/.bash_history (it holds the key), and next time run: keywarden exec freqtrade-bot -- YOUR-PROGRAM
//
//	/home/alice/ft/user_data/config.json (freqtrade)
//	  line 1: API key of "freqtrade-bot" (as key, JSON-escaped)
//	  line 1: private key of "freqtrade-bot" (as secret, JSON-escaped)
//	  Next: Empty the key and secret values in this file and start freqtrade with the key in its environment instead (it reads FREQTRADE__EXCHANGE__KEY and FREQTRADE__EXCHANGE__SECRET over its config): cd /home/alice/ft && keywarden exec freqtrade-bot --key-env FREQTRADE__EXCHANGE__KEY --secret-env FREQTRADE__EXCHANGE__SECRET -- freqtrade trade --config user_data/config.json
//
//	/home/alice/scripts/dca/.env (env file)
//	  line 1: key #1 not in Keywarden (API key and private key, API key ending pkOb) (as KRAKEN_API_KEY, private key on line 2)
//	  Next: This key is not in Keywarden: add it so Keywarden can check what it may do: keywarden add --name dca (it asks for the API key and the private key). Then replace this copy with keywarden exec, as for your other keys.
//
//	Swept 3 files (528 bytes) under /home/alice, in 0.0 s.
//
// `sweep --import` then asks, on a terminal, about each key found that
// Keywarden does not hold: import it? [Y/n], its name (suggested from where
// it was found, made unique: keys.ImportName), who uses it, its purpose
// (suggested from what Kraken reports: a key that only reads is a tax
// import or a dashboard, one that trades is a trading bot, else custom),
// and "Remove the copy from FILE? (a backup is kept) [y/N]". Each key is
// verified with one GetApiKeyInfo call, its intended permissions are the
// ones Kraken reports, and it is saved by keys.Service.Import (see
// keys.RemoveCopy for how a copy is cut out). Without a terminal it refuses
// and imports nothing. A file that changed since the sweep, or that another
// program has open for writing (Linux names it: "The program bot.py (PID
// 1234) has … open for writing"; Windows refuses while another program
// writes to it), is left alone and nothing is saved, so the person can stop
// the program and run again. A later sweep that finds no other copy of the
// key lists the backups no longer needed and offers to delete them (on a
// terminal; `sweep --delete-backups` without one). The window's Find copies
// (app/ui) does the same with a folder picker, a count as it goes, a
// Cancel, an Import… dialog, and the exec command with a Copy button.
//
// `sweep --staged` checks only what the next commit of the repository
// around the current folder adds (sweep.Staged; the index in
// GIT_INDEX_FILE when git gives one, as it does to a pre-commit hook for
// `commit -a`), and exits 3 when a copy of a stored key or a Kraken key
// not in Keywarden is staged, naming the file, the line and the key, never
// the secret, with how to take it out; 1, which stops a commit too, when
// the check could not be made in full (the keyring or the index could not
// be read). `sweep --install-hook [REPO]` puts that check at the start of
// the repository's pre-commit hook, keeping a hook already there after it;
// `sweep --remove-hook [REPO]` takes it out again (sweep.InstallHook).
package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/instance"
	"github.com/keywarden/keywarden/app/internal/safetext"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

// Exit codes of Main. The exec command exits with its program's code
// instead.
const (
	ExitOK        = 0 // done; for check: nothing needs attention
	ExitError     = 1 // something failed; the message says what to do
	ExitUsage     = 2 // the command line was wrong
	ExitAttention = 3 // check: a key needs attention; activity: an entry needs an answer
)

// The environment variables Main reads.
const (
	EnvDir       = keys.EnvDir
	EnvKrakenURL = keys.EnvKrakenURL
	EnvDebug     = "KEYWARDEN_DEBUG"
)

// DefaultParallel is how many keys check runs at once when IO.Parallel is
// zero. Each key has its own rate counter on the exchange, so checking many
// keys together costs no key more than one call; the cap only bounds open
// connections.
const DefaultParallel = 64

// IO is everything Main reads from, writes to and talks to. A zero field
// means the real thing (os.Stdin, the OS keyring, the clock, ...), so
// main.go passes IO{}; tests fill in what they fake.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads an environment variable (default os.Getenv).
	Getenv func(string) string
	// Environ is the environment handed to the program exec runs, before
	// the key is added (default os.Environ).
	Environ func() []string

	// Dir is the store folder; "" means $KEYWARDEN_DIR, else the user's
	// config folder.
	Dir string
	// Secrets is the secret store; nil means the OS keyring. It goes
	// unread into keys.Open (tests give a memory one).
	Secrets vault.SecretStore
	// BaseURL is the exchange address; "" means $KEYWARDEN_KRAKEN_URL
	// (loopback only), else Kraken itself.
	BaseURL string
	// HTTP is the client for the exchange; nil means the kraken default.
	HTTP *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Parallel caps how many keys check runs at once (default
	// DefaultParallel).
	Parallel int
	// LegacyPreferences is the toolkit's preferences file older versions
	// kept the settings in, read once while settings.json does not exist;
	// "" means where the toolkit keeps it on this system.
	LegacyPreferences string
	// Version is Keywarden's version, as FyneApp.toml gives it (main.go
	// embeds that file); "" prints as "unknown".
	Version string
	// TellTray tells the tray part, if it runs, that the key list, the
	// reminders or the settings changed; nil means the message on
	// app/instance's socket. Main calls it once, after a command that saved
	// a change.
	TellTray func()
}

// command is one subcommand: its name, one usage line, what it does, and
// how to run it with the arguments after its name.
type command struct {
	name    string
	usage   string
	summary string
	run     func(e *env, args []string) int
}

// commands lists the subcommands in the order help shows them.
var commands []command

func init() {
	commands = []command{
		{"add", addUsage, "verify a new key on the exchange and keep it (secrets go to the system keyring)", runAdd},
		{"list", listUsage, "list every key and where it stands", runList},
		{"show", showUsage, "show one key: its record, last check and findings (never a secret)", runShow},
		{"check", checkUsage, "read keys back from the exchange and review them; exit 3 if one needs attention", runCheck},
		{"review", reviewUsage, "mark a key reviewed", runReview},
		{"revoke", revokeUsage, "confirm a key was deleted on the exchange, then retire it and drop its secret", runRevoke},
		{"remove", removeUsage, "delete a key's record and secret from Keywarden", runRemove},
		{"settings", settingsUsage, "list Keywarden's settings, or change one (the window and the tray part follow)", runSettings},
		{"nonce-scale", nonceScaleUsage, "show or set the scale of the nonces sent with a key, to match the programs that use it", runNonceScale},
		{"sweep", sweepUsage, "find plain-text copies of your keys, and Kraken keys not in Keywarden, in files and git histories (--import brings those in); exit 3 if any", runSweep},
		{"watch", watchUsage, "make a read-only key the watch key of its account: Keywarden reads the account's ledger and asks about what none of your keys was meant to do", runWatch},
		{"activity", activityUsage, "show the account's new ledger entries and what needs your answer (exit 3 if something does); ok REFID says it was you", runActivity},
		{"exec", execUsage, "run a program with the key in its environment, so it needs no config file", runExec},
		{"2fa", twoFAUsage, "app 2FA: status, enable (shows the QR code), disable, and which keys may start without a code", runTwoFA},
		{"version", versionUsage, "print Keywarden's version (also --version)", runVersion},
		{"help", helpUsage, "show this help, or one command's", runHelp},
	}
}

func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// IsCommand reports whether args (without the program name) ask for the
// command line rather than the window: the first one names a command, or
// is -h, -help, --help or --version. No arguments, "demo" and anything else are the
// window's.
func IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	return lookup(alias(args[0])) != nil
}

// alias returns the command an option-style first argument stands for
// (--help is help, --version is version), else arg itself.
func alias(arg string) string {
	switch arg {
	case "-h", "-help", "--help":
		return "help"
	case "-version", "--version":
		return "version"
	}
	return arg
}

// Main runs the command named by args (without the program name) and
// returns the exit code. It marks the process non-dumpable first, so no
// other program of the user can read a secret from its memory.
func Main(args []string, stdio IO) int {
	_ = vault.Harden() // best effort: a no-op where the OS has no such switch
	e := newEnv(stdio)
	if len(args) == 0 {
		printHelp(e.errw)
		return ExitUsage
	}
	name := alias(args[0])
	cmd := lookup(name)
	if cmd == nil {
		e.say("keywarden: %q is not a Keywarden command. Run \"keywarden help\" to see them.", name)
		return ExitUsage
	}
	code := cmd.run(e, args[1:])
	if e.changed.Load() {
		e.tellTray()
	}
	return code
}

// env holds a command's dependencies: IO with its defaults filled in.
type env struct {
	stdin   io.Reader     // as given, for exec and terminal detection
	in      *bufio.Reader // lines of stdin; the one reader for all of them
	out     io.Writer
	errw    io.Writer
	getenv  func(string) string
	environ func() []string
	dir     string
	secrets vault.SecretStore
	baseURL string
	http    *http.Client
	now     func() time.Time
	par     int
	// out and errw are stdout and stderr behind safetext's writer: a name,
	// path or exchange text printed there cannot command the terminal,
	// even where a printing line forgot safetext.Line. rawOut and rawErr
	// are the streams as given, for what must pass unchanged: JSON, the
	// output of the program exec runs, the sweep's own progress line.
	rawOut, rawErr io.Writer
	// legacyPrefs is IO.LegacyPreferences.
	legacyPrefs string
	// tellTray is IO.TellTray with its default; changed is set when the
	// service saved a change, so Main calls it.
	tellTray func()
	changed  atomic.Bool
	// version is IO.Version.
	version string
	// flags is the last flag set newFlags made: the man page and the
	// completions read a command's flags from it.
	flags *flag.FlagSet
	// settingsNoted is set once a damaged settings file was reported.
	settingsNoted bool

	appGuard *guard.Guard // opened by guard(), once
}

func newEnv(s IO) *env {
	e := &env{
		stdin: s.Stdin, out: s.Stdout, errw: s.Stderr, getenv: s.Getenv, environ: s.Environ,
		dir: s.Dir, secrets: s.Secrets, baseURL: s.BaseURL, http: s.HTTP, now: s.Now, par: s.Parallel,
		legacyPrefs: s.LegacyPreferences, tellTray: s.TellTray, version: s.Version,
	}
	if e.stdin == nil {
		e.stdin = os.Stdin
	}
	if e.out == nil {
		e.out = os.Stdout
	}
	if e.errw == nil {
		e.errw = os.Stderr
	}
	if e.getenv == nil {
		e.getenv = os.Getenv
	}
	e.rawOut, e.rawErr = e.out, e.errw
	if !utf8Locale(e.getenv) { // words only: JSON keeps its UTF-8 (rawOut)
		e.out, e.errw = &asciiWriter{w: e.out}, &asciiWriter{w: e.errw}
	}
	e.out, e.errw = safetext.NewWriter(e.out), safetext.NewWriter(e.errw)
	if e.environ == nil {
		e.environ = os.Environ
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.version == "" {
		e.version = "unknown"
	}
	if e.par <= 0 {
		e.par = DefaultParallel
	}
	if e.tellTray == nil {
		// Best effort: a tray part that does not run needs no telling, and
		// one that does looks again at its next start anyway.
		e.tellTray = func() { _ = instance.Send(instance.Tray, instance.TrayChanged) }
	}
	e.in = bufio.NewReader(e.stdin)
	return e
}

// newService builds the keys.Service every command works through, with
// keys.Open, the composition root the window and the tray part use too.
// With exchange, a checker that cannot be made (a KEYWARDEN_KRAKEN_URL that
// is not allowed) is an error; without, the service has none and refuses
// checks.
func (e *env) newService(exchange bool) (*keys.Service, error) {
	return keys.Open(keys.Config{
		Dir: e.dir, Getenv: e.getenv, Secrets: e.secrets, BaseURL: e.baseURL, HTTP: e.http,
		Parallel: e.par, Offline: !exchange, LegacyPreferences: e.legacyPrefs, Now: e.now,
		Changed: func() { e.changed.Store(true) },
	})
}

// service is newService for a command that touches the key list: it reads
// the list first, so a damaged one is reported as the command's failure,
// then finishes or undoes what an earlier run left unfinished
// (keys.Service.Repair). A keyring that cannot be reached leaves that for
// a later run; any other failure to repair is reported and the command
// goes on.
func (e *env) service(exchange bool) (*keys.Service, error) {
	svc, err := e.newService(exchange)
	if err != nil {
		return nil, err
	}
	if _, err := svc.Records(); err != nil {
		return nil, err
	}
	if _, err := svc.Repair(); err != nil {
		e.say("keywarden: note: a change an earlier run left unfinished could not be finished yet. %s", message(err))
	}
	return svc, nil
}

// snapshot returns the key list as every face shows it now, with the
// person's settings applied; a damaged settings file is reported and the
// defaults are used.
func (e *env) snapshot(svc *keys.Service) (*keys.Snapshot, error) {
	snap, err := svc.Snapshot()
	if err != nil {
		return nil, err
	}
	if snap.SettingsErr != nil && !e.settingsNoted {
		e.settingsNoted = true
		e.say("keywarden: note: %s", message(snap.SettingsErr))
	}
	return snap, nil
}

// say prints a line to stderr.
func (e *env) say(format string, args ...any) {
	fmt.Fprintf(e.errw, format+"\n", args...)
}

// userError is a failure already put in plain words for the person; err is
// the technical detail behind it, shown only with KEYWARDEN_DEBUG=1.
type userError struct {
	msg  string
	err  error
	code int // exit code; 0 means ExitError
}

func (u *userError) Error() string { return u.msg }
func (u *userError) Unwrap() error { return u.err }

// usageErr is a mistake on the command line: exit ExitUsage.
func usageErr(format string, args ...any) error {
	return &userError{msg: fmt.Sprintf(format, args...), code: ExitUsage}
}

// message turns any error into plain words with what to do next: a
// userError says its own, anything else is put by keys.UserMessage, with
// how to restore a damaged key list from the command line.
func message(err error) string {
	var u *userError
	if errors.As(err, &u) {
		return u.msg
	}
	msg := keys.UserMessage(err)
	var damaged *vault.DamagedError
	if errors.As(err, &damaged) && damaged.HasBackup() && !damaged.Newer {
		msg += fmt.Sprintf(" To restore it, open the Keywarden window, which offers to; or by hand, move %s aside and copy %s in its place.", damaged.Path, damaged.Backup)
	}
	return msg
}

// fail prints err in plain words (and its detail with KEYWARDEN_DEBUG=1)
// and returns its exit code.
func (e *env) fail(err error) int {
	e.say("keywarden: %s", message(err))
	if e.getenv(EnvDebug) != "" {
		var u *userError
		if errors.As(err, &u) && u.err != nil {
			e.say("detail: %v", u.err)
		} else if u == nil {
			e.say("detail: %v", err)
		}
	}
	var u *userError
	if errors.As(err, &u) && u.code != 0 {
		return u.code
	}
	return ExitError
}
