package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"

	"github.com/keywarden/keywarden/app/internal/guardian"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

const execUsage = "exec NAME [--key-env VAR] [--secret-env VAR] -- COMMAND [ARGS...]"

// The variables exec puts the key in, unless told otherwise: the names
// ccxt-based bots and most Kraken examples read.
const (
	DefaultKeyEnv    = "KRAKEN_API_KEY"
	DefaultSecretEnv = "KRAKEN_API_SECRET"
)

// Exit codes of exec when the program cannot be started, as shells use them.
const (
	ExitCannotRun = 126 // found but not runnable
	ExitNotFound  = 127 // no such program
)

// execInput is what exec needs.
type execInput struct {
	Ref       string
	KeyEnv    string
	SecretEnv string
	Command   []string
}

func runExec(e *env, args []string) int {
	fs := newFlags(e, "exec", execUsage)
	keyEnv := fs.String("key-env", DefaultKeyEnv, "the environment `variable` that gets the API key")
	secretEnv := fs.String("secret-env", DefaultSecretEnv, "the environment `variable` that gets the private key")
	if !slices.Contains(args, "--") && !slices.Contains(args, "-h") && !slices.Contains(args, "-help") && !slices.Contains(args, "--help") {
		return e.fail(usageErr("Put -- between the key's name and the command to run.\nusage: keywarden %s", execUsage))
	}
	pos, rest, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	switch {
	case len(pos) != 1:
		return e.fail(usageErr("Name one key (its name or ID) before the --.\nusage: keywarden %s", execUsage))
	case len(rest) == 0:
		return e.fail(usageErr("Give the command to run after the --.\nusage: keywarden %s", execUsage))
	}
	code, err := execKey(e, execInput{Ref: pos[0], KeyEnv: *keyEnv, SecretEnv: *secretEnv, Command: rest})
	if err != nil {
		return e.fail(err)
	}
	return code
}

// execKey runs the command with the key's API key and private key in its
// environment, its standard streams passed through and the signals Keywarden
// receives passed on, and returns the command's exit code (128 + the signal
// number when a signal ended it).
func execKey(e *env, in execInput) (int, error) {
	if err := checkEnvName(in.KeyEnv, "--key-env"); err != nil {
		return ExitUsage, err
	}
	if err := checkEnvName(in.SecretEnv, "--secret-env"); err != nil {
		return ExitUsage, err
	}
	if sameEnvName(in.KeyEnv, in.SecretEnv) {
		return ExitUsage, usageErr("--key-env and --secret-env must name different variables.")
	}
	svc, rec, err := e.serviceFor(in.Ref, false)
	if err != nil {
		return ExitError, err
	}
	r := &rec
	// Refused before the app code is asked for: the service says why.
	if ok, why := keys.Can(*r, keys.ActExec); !ok {
		return ExitError, &keys.NotAllowedError{Record: *r, Action: keys.ActExec, Why: why}
	}
	if r.Status == vault.StatusParked {
		e.say("keywarden: note: %q is parked, so nothing was meant to use it. Running anyway.", r.Name)
	}
	if !svc.StartsWithoutAppCode(*r) { // a flag without its keyring seal asks too
		if err := e.requireAppCode(fmt.Sprintf("hand %q to a program", r.Name)); err != nil {
			return ExitError, err
		}
	}
	secret, err := svc.ExecSecret(r.ID)
	if err != nil {
		return ExitError, err
	}

	cmd := exec.Command(in.Command[0], in.Command[1:]...)
	// The codes Keywarden may have been given are no business of the program.
	cmd.Env = append(withoutEnv(e.environ(), in.KeyEnv, in.SecretEnv, EnvAppCode, EnvOTP),
		in.KeyEnv+"="+secret.APIKey, in.SecretEnv+"="+secret.PrivateKey)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = e.stdin, e.rawOut, e.rawErr
	if cmd.Err != nil { // not found in PATH: the guardian needs the program's path
		return startFailed(in.Command[0], cmd.Err)
	}

	release := bindToParent(cmd)
	defer release()
	started, stop := relaySignals()
	defer stop()
	if err := startBound(cmd); err != nil {
		return startFailed(in.Command[0], err)
	}
	started(cmd.Process)
	err = cmd.Wait()
	if n := release(); n > 0 {
		fmt.Fprint(e.rawErr, guardian.LeftNote(in.Command[0], n))
	}
	if cmd.ProcessState == nil {
		return ExitError, &userError{msg: fmt.Sprintf("Lost track of %q while it ran.", in.Command[0]), err: err}
	}
	return exitCode(cmd.ProcessState), nil
}

// startFailed explains why the program did not start.
func startFailed(name string, err error) (int, error) {
	switch {
	case errors.Is(err, guardian.ErrNoGuardian):
		return ExitCannotRun, &userError{msg: fmt.Sprintf("Keywarden could not start the guard that ends %q with it (it needs /proc), so it does not hand it the key.", name), err: err, code: ExitCannotRun}
	case errors.Is(err, guardian.ErrNoSubreaper):
		return ExitCannotRun, &userError{msg: fmt.Sprintf("This system cannot keep track of the processes %q would start (Linux 3.4 or later can), so Keywarden does not hand it the key.", name), err: err, code: ExitCannotRun}
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, os.ErrNotExist):
		return ExitNotFound, &userError{msg: fmt.Sprintf("There is no program %q (looked in PATH). Check its name, or give its full path.", name), err: err, code: ExitNotFound}
	case errors.Is(err, os.ErrPermission):
		return ExitCannotRun, &userError{msg: fmt.Sprintf("%q may not be run: check that it is executable.", name), err: err, code: ExitCannotRun}
	}
	return ExitCannotRun, &userError{msg: fmt.Sprintf("%q could not be started. Check that it is a program for this computer.", name), err: err, code: ExitCannotRun}
}

// checkEnvName refuses a name no environment variable can have.
func checkEnvName(name, flagName string) error {
	if name == "" || strings.ContainsAny(name, "=\x00") {
		return usageErr("%s needs a variable name without = in it, e.g. %s.", flagName, DefaultKeyEnv)
	}
	return nil
}

func sameEnvName(a, b string) bool {
	if runtime.GOOS == "windows" {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// withoutEnv returns env without the variables named, so the key's values
// are the only ones the program sees.
func withoutEnv(env []string, names ...string) []string {
	out := make([]string, 0, len(env)+len(names))
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			if sameEnvName(k, n) {
				drop = true
			}
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}
