// Package cli is Keywarden's command-line face: the same vault as the window,
// for scripts and servers. Each command is a plain input struct, filled from
// its flags, and a function that takes its dependencies (the metadata store,
// the secret store, the exchange checker, the clock and the streams) from an
// env, so every command runs in tests without a terminal. It imports no GUI
// code.
//
// The environment variables it reads:
//
//	KEYWARDEN_DIR         the folder of the key list (default: the user's config folder/keywarden)
//	KEYWARDEN_KRAKEN_URL  another exchange address, on this computer only (tests, the demo)
//	KEYWARDEN_DEBUG=1     also print the technical detail behind an error (never a secret)
//	KEYWARDEN_OTP         a key's current 2FA code, for add, check and revoke (instead of --otp)
//	KEYWARDEN_APP_CODE    the app 2FA code, for exec, revoke, remove and 2fa when no terminal can ask
package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// Exit codes of Main. The exec command exits with its program's code
// instead.
const (
	ExitOK        = 0 // done; for check: nothing needs attention
	ExitError     = 1 // something failed; the message says what to do
	ExitUsage     = 2 // the command line was wrong
	ExitAttention = 3 // check: a key needs attention
)

// The environment variables Main reads.
const (
	EnvDir       = vault.EnvDir
	EnvKrakenURL = check.EnvKrakenURL
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

	// Dir is the store folder; "" means $KEYWARDEN_DIR, else
	// vault.DefaultDir().
	Dir string
	// Secrets is the secret store; nil means vault.NewKeyring().
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
		{"exec", execUsage, "run a program with the key in its environment, so it needs no config file", runExec},
		{"2fa", twoFAUsage, "app 2FA: status, enable (shows the QR code), disable, and which keys may start without a code", runTwoFA},
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
// is -h, -help or --help. No arguments, "demo" and anything else are the
// window's.
func IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "-h", "-help", "--help":
		return true
	}
	return lookup(args[0]) != nil
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
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	}
	cmd := lookup(name)
	if cmd == nil {
		e.say("keywarden: %q is not a Keywarden command. Run \"keywarden help\" to see them.", name)
		return ExitUsage
	}
	return cmd.run(e, args[1:])
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

	appGuard *guard.Guard // opened by guard(), once
}

func newEnv(s IO) *env {
	e := &env{
		stdin: s.Stdin, out: s.Stdout, errw: s.Stderr, getenv: s.Getenv, environ: s.Environ,
		dir: s.Dir, secrets: s.Secrets, baseURL: s.BaseURL, http: s.HTTP, now: s.Now, par: s.Parallel,
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
	if e.environ == nil {
		e.environ = os.Environ
	}
	if e.secrets == nil {
		e.secrets = vault.NewKeyring()
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.par <= 0 {
		e.par = DefaultParallel
	}
	e.in = bufio.NewReader(e.stdin)
	return e
}

// folder returns the folder of the key list (and of guard.json).
func (e *env) folder() (string, error) {
	if e.dir != "" {
		return e.dir, nil
	}
	d, err := vault.DirFromEnv(e.getenv)
	if err != nil {
		return "", &userError{msg: "Keywarden cannot find your config folder to keep its key list in. Set " + EnvDir + " to a folder of your choice.", err: err}
	}
	return d, nil
}

// store opens the metadata store.
func (e *env) store() (*vault.Store, error) {
	dir, err := e.folder()
	if err != nil {
		return nil, err
	}
	s, err := vault.Open(dir)
	if err != nil {
		return nil, &userError{msg: fmt.Sprintf("Keywarden cannot use the folder %s for its key list. Check that you may create and write to it, or set %s to another folder.", dir, EnvDir), err: err}
	}
	return s, nil
}

// load opens the store and reads it.
func (e *env) load() (*vault.Store, *vault.Data, error) {
	s, err := e.store()
	if err != nil {
		return nil, nil, err
	}
	d, err := s.Load()
	if err != nil {
		return nil, nil, err
	}
	return s, d, nil
}

// runner returns the checker for the exchange in use.
func (e *env) runner() (*check.Runner, error) {
	base := e.baseURL
	if base == "" {
		v, err := check.BaseURLFromEnv(e.getenv)
		if err != nil {
			return nil, &userError{msg: err.Error()}
		}
		base = v
	}
	return &check.Runner{Secrets: e.secrets, BaseURL: base, HTTP: e.http, Parallel: e.par}, nil
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

// genericVault is the message the vault package gives for errors it does
// not know: its hint to a log the command line does not have is replaced.
var genericVault = vault.UserMessage(errors.New(""))

// krakenSentinels are the errors kraken.UserMessage knows.
var krakenSentinels = []error{
	kraken.ErrInvalidKey, kraken.ErrInvalidSignature, kraken.ErrInvalidNonce, kraken.ErrPermissionDenied,
	kraken.ErrLockout, kraken.ErrRateLimited, kraken.ErrThrottled, kraken.ErrUnknownMethod,
	kraken.ErrExchangeDown, kraken.ErrNetwork, kraken.ErrBadResponse, kraken.ErrMalformedKey, kraken.ErrBadBaseURL,
}

// message turns any error into plain words with what to do next.
func message(err error) string {
	var u *userError
	if errors.As(err, &u) {
		return u.msg
	}
	var apiErr *kraken.APIError
	if errors.As(err, &apiErr) {
		return kraken.UserMessage(err)
	}
	for _, s := range krakenSentinels {
		if errors.Is(err, s) {
			return kraken.UserMessage(err)
		}
	}
	msg := vault.UserMessage(err)
	var damaged *vault.DamagedError
	if errors.As(err, &damaged) && damaged.HasBackup() && !damaged.Newer {
		msg += fmt.Sprintf(" To restore it, open the Keywarden window, which offers to; or by hand, move %s aside and copy %s in its place.", damaged.Path, damaged.Backup)
	}
	if msg == genericVault {
		msg = "Keywarden could not read or save its key list. Check that its folder exists and that you may write to it; run again with " + EnvDebug + "=1 to see the details."
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
