package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
)

// ErrNoAppCode matches, with errors.Is, a refusal because app 2FA is on and
// no code could be asked for: no terminal, and no KEYWARDEN_APP_CODE.
var ErrNoAppCode = errors.New("cli: app 2FA is on and nothing can give its code")

// appCodeTries is how many codes a person may type on the terminal in one
// run before the command gives up (the guard's own lock counts too).
const appCodeTries = 3

// guard returns the app 2FA guard over the key list's folder, as the
// service has it: the same guard.json the window and the tray part use, so
// they share the lock and the used codes. Whether app 2FA is on is kept
// there too.
func (e *env) guard() (*guard.Guard, error) {
	if e.appGuard != nil {
		return e.appGuard, nil
	}
	svc, err := e.newService(false)
	if err != nil {
		return nil, err
	}
	e.appGuard = svc.AppGuard()
	return e.appGuard, nil
}

// requireAppCode lets action (e.g. "hand \"bot\" to a program") go ahead
// when app 2FA is off (no seed in the keyring), or after a right app code:
// from $KEYWARDEN_APP_CODE, else typed on the terminal without echo. With
// neither it refuses with ErrNoAppCode, so nothing runs.
func (e *env) requireAppCode(action string) error {
	g, err := e.guard()
	if err != nil {
		return err
	}
	// The keyring decides, not guard.json: a file someone deleted or
	// edited never lets the action through.
	on, err := g.Required()
	if err != nil {
		return &userError{msg: fmt.Sprintf("%s Keywarden cannot tell whether app 2FA is on, so it acts as if it were. Nothing was changed: Keywarden did not %s.", message(err), action), err: err}
	}
	if !on {
		return nil
	}
	return e.withAppCode(action, g.Verify)
}

// withAppCode gets the app code as requireAppCode does and passes it to
// use (Guard.Verify or Guard.Disable), letting a person on a terminal try
// again after a mistyped code.
func (e *env) withAppCode(action string, use func(code string, now time.Time) error) error {
	if code := strings.TrimSpace(e.getenv(EnvAppCode)); code != "" {
		return appCodeErr(use(code, e.now()), action)
	}
	if !e.interactive() {
		return &userError{msg: fmt.Sprintf("App 2FA is on, so Keywarden needs the code from your authenticator app to %s, and there is no terminal to ask on. Run the command on a terminal, or give the code in %s. For a program that must start unattended, allow its key to start without a code: keywarden 2fa unattended NAME on. Nothing was done.", action, EnvAppCode), err: ErrNoAppCode}
	}
	for try := 1; ; try++ {
		code, err := e.askCode(fmt.Sprintf("App 2FA code to %s (input hidden): ", action))
		if err != nil {
			return err
		}
		err = use(code, e.now())
		retry := errors.Is(err, guard.ErrWrongCode) || errors.Is(err, guard.ErrCodeFormat) || errors.Is(err, guard.ErrReplayed)
		if err == nil || !retry || try == appCodeTries {
			return appCodeErr(err, action)
		}
		e.say("keywarden: %s", keys.UserMessage(err))
	}
}

// appCodeErr puts a guard error in plain words, saying nothing was done.
func appCodeErr(err error, action string) error {
	if err == nil {
		return nil
	}
	msg := keys.UserMessage(err)
	if errors.Is(err, guard.ErrSeedMissing) {
		msg = "App 2FA is on, but its authenticator seed is missing from the system keyring, so no code can be checked. Turn app 2FA off with \"keywarden 2fa reset\", then set it up again."
	}
	return &userError{msg: fmt.Sprintf("%s Keywarden did not %s.", msg, action), err: err}
}
