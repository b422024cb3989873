package keys

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/internal/safetext"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// Errors of the workflows, matched with errors.Is.
var (
	// ErrDuplicateKey is matched by *DuplicateKeyError.
	ErrDuplicateKey = errors.New("keys: the API key is kept already")
	// ErrNotAllowed is matched by *NotAllowedError.
	ErrNotAllowed = errors.New("keys: the action does not fit the key")
	// ErrNotConfirmed is matched by *NotConfirmedError.
	ErrNotConfirmed = errors.New("keys: the exchange did not confirm the key is gone")
	// ErrChanged is returned when the record changed meanwhile in a way
	// the action cannot follow (removed, or revoked by another window).
	ErrChanged = errors.New("keys: the key changed meanwhile")
	// ErrWrongCode is returned by Check when the exchange refused a call
	// made with a typed 2FA code: the code was mistyped or expired (the
	// pair was verified when the key was added). Nothing is saved.
	ErrWrongCode = errors.New("keys: the exchange refused the typed 2FA code")
)

// DuplicateKeyError says the API key being saved is kept already, by
// Holder; Replacing is set when Holder is the very key a rotation replaces.
// When Holder's own add has not finished (Holder.Pending), InProgress says
// whether the process doing it still runs: another add of the same key,
// started a moment earlier, rather than one that was stopped.
type DuplicateKeyError struct {
	Holder     vault.Record
	Replacing  bool
	InProgress bool
}

func (e *DuplicateKeyError) Error() string {
	return fmt.Sprintf("keys: the API key is kept already by record %s", e.Holder.ID)
}

// Is matches ErrDuplicateKey.
func (e *DuplicateKeyError) Is(target error) bool { return target == ErrDuplicateKey }

// NotAllowedError says an action does not fit the key's state; Why is in
// plain words (see Can).
type NotAllowedError struct {
	Record vault.Record
	Action Action
	Why    string
}

func (e *NotAllowedError) Error() string {
	return fmt.Sprintf("keys: %s on record %s: %s", e.Action, e.Record.ID, e.Why)
}

// Is matches ErrNotAllowed.
func (e *NotAllowedError) Is(target error) bool { return target == ErrNotAllowed }

// NotConfirmedError says a revocation was not recorded because the
// exchange's answer did not confirm the key is gone.
type NotConfirmedError struct {
	Record   vault.Record
	Readback vault.Readback
}

func (e *NotConfirmedError) Error() string {
	return fmt.Sprintf("keys: revoke %s: the exchange answered %s", e.Record.ID, e.Readback.Outcome)
}

// Is matches ErrNotConfirmed.
func (e *NotConfirmedError) Is(target error) bool { return target == ErrNotConfirmed }

// explain puts this package's own errors in plain words.
func explain(err error) (string, bool) {
	var (
		dup  *DuplicateKeyError
		not  *NotAllowedError
		unc  *NotConfirmedError
		ierr *ImportError
		cerr *CopyError
		conf *EditConflictError
	)
	switch {
	case errors.As(err, &conf):
		return fmt.Sprintf("While you edited “%s”, its %s changed elsewhere (another Keywarden window or command) to something else than you typed. Nothing was saved: look at it as it is now, then make your change again.",
			conf.Record.Name, strings.Join(conf.Fields, " and ")), true
	case errors.As(err, &ierr):
		return ierr.Msg, true
	case errors.As(err, &cerr):
		return upperFirst(strings.TrimSuffix(cerr.Msg, ".")) + ".", true
	case errors.As(err, &dup) && dup.InProgress:
		return "Another add of this API key is in progress (in another Keywarden window or command): wait for it to finish, then look for the key in your key list. Nothing was saved now.", true
	case errors.As(err, &dup) && dup.Holder.Pending != nil:
		return "An earlier save of this API key did not finish (it was stopped, or the system keyring did not answer in time). Keywarden finishes or undoes it the next time it starts; try again then. Nothing was saved now.", true
	case errors.As(err, &dup) && dup.Replacing:
		return fmt.Sprintf("That is the key being replaced (“%s”), not a new one. Create a new key on the Kraken website and paste that one; nothing was saved.", dup.Holder.Name), true
	case errors.As(err, &dup):
		return fmt.Sprintf("This API key is kept already, as “%s” (ID %s, %s). Keywarden keeps one record per key: use that one, or remove it first. Nothing was saved.",
			dup.Holder.Name, dup.Holder.ID, statusWords(dup.Holder)), true
	case errors.As(err, &not):
		return fmt.Sprintf("“%s”: %s", not.Record.Name, not.Why), true
	case errors.As(err, &unc) && unc.Readback.Outcome == vault.OutcomeOK:
		return fmt.Sprintf("Kraken still accepts “%s”: it has not been deleted, and whoever has it can use it. Delete it on the Kraken website (Settings → API), then confirm again. Nothing was changed.", unc.Record.Name), true
	case errors.As(err, &unc):
		return fmt.Sprintf("Keywarden could not confirm that Kraken no longer knows “%s”: %s Nothing was changed. Try again in a moment; if you are sure it is deleted on the website, record it revoked anyway.", unc.Record.Name, unc.Readback.Problem), true
	}
	return "", false
}

// WrongCodeMessage is what a person hears when Kraken refused the 2FA code
// they typed for a key's check.
const WrongCodeMessage = "Wrong code, nothing changed: Kraken refused the 2FA code typed for this key (a typo, or a code that had expired). " +
	"Type the code your authenticator shows now and check again; after several failed tries Kraken locks the key out for about 15 minutes. " +
	"If fresh codes keep failing, the private key may not belong to this API key."

// explainRun puts in plain words what stopped a workflow from outside
// this package's own errors: the settings, a change meanwhile, the
// exchange's answers that need advice only the service can give, the
// test-exchange address, a stopped or timed-out run.
func explainRun(err error) (string, bool) {
	var serr *SettingError
	var eerr *EditError
	switch {
	case errors.As(err, &serr):
		return upperFirst(serr.Msg) + ".", true
	case errors.As(err, &eerr):
		return eerr.Msg + " Nothing was changed.", true
	case errors.Is(err, ErrSettingsDamaged):
		return "The settings file is damaged, so the defaults are used. Change a setting to write a good file again.", true
	case errors.Is(err, ErrNoName):
		return "Give the key a name: say where it is used (koinly-tax, freqtrade-vps), so you can tell it apart here and on the website.", true
	case errors.Is(err, ErrChanged):
		return "The key was changed meanwhile, perhaps in another Keywarden window. Look at it again, then try once more.", true
	case errors.Is(err, kraken.ErrInvalidKey):
		msg, _ := kraken.Explain(err)
		return msg + " If you deleted it, revoke it in Keywarden (Revoke…, or keywarden revoke NAME); otherwise paste it again.", true
	case errors.Is(err, kraken.ErrInvalidNonce):
		msg, _ := kraken.Explain(err)
		return msg + " If a program uses this key with micro- or nanosecond nonces, set this key's nonce scale to match it (in its details, or keywarden nonce-scale NAME SCALE); otherwise check again in a moment.", true
	case errors.Is(err, ErrNoExchange):
		return "Keywarden cannot talk to the exchange here.", true
	case errors.Is(err, check.ErrNotLoopback):
		return check.EnvKrakenURL + " may only point at this computer: it is for tests and the demo. Unset it to talk to Kraken, or give an address such as http://127.0.0.1:8080.", true
	case errors.Is(err, ErrWrongCode):
		return WrongCodeMessage, true
	case errors.Is(err, check.ErrCodeNeeded):
		return "This key has 2FA, and its code is typed for each check: give its current code from your authenticator app, then check again.", true
	case errors.Is(err, context.DeadlineExceeded):
		return "It took too long: the exchange or the system keyring did not answer in time, so Keywarden stopped waiting. What was saved before stays saved; try again in a moment.", true
	case errors.Is(err, context.Canceled):
		return "It was stopped before it finished. What was saved before stays saved; try again when you like.", true
	}
	return "", false
}

// explainers ask each package in turn for its own words. guard comes
// before vault: its errors wrap the keyring's ("the app 2FA seed is
// missing" wraps "no secret for this key"), and the outer one says what
// happened.
var explainers = []func(error) (string, bool){explain, explainRun, explainActivity, explainFolder, guard.Explain, vault.Explain, kraken.Explain, remindExplain}

// UserMessage turns any error a workflow returns into plain words that
// say what happened and what to do next: each package explains its own
// errors, and anything else gets a general sentence. It never includes a
// secret; the full error belongs in the log. The words quote key names,
// paths and the exchange's text, so they are made one line of printable
// text (safetext.Line): no face shows them as terminal controls.
func UserMessage(err error) string {
	if err == nil {
		return ""
	}
	for _, ex := range explainers {
		if msg, ok := ex(err); ok {
			return safetext.Line(msg)
		}
	}
	return "Something went wrong and Keywarden could not finish. Nothing was lost; try again, and if it keeps happening, run again with KEYWARDEN_DEBUG=1 (command line) or look at the log."
}

// explainFolder words Open's FolderError: the folder of the key list.
func explainFolder(err error) (string, bool) {
	var f *FolderError
	switch {
	case !errors.As(err, &f):
		return "", false
	case f.Dir == "":
		return "Keywarden cannot find your config folder to keep its key list in. Set " + EnvDir + " to a folder of your choice.", true
	}
	return fmt.Sprintf("Keywarden cannot use the folder %s for its key list. Check that you may create and write to it, or set %s to another folder.", f.Dir, EnvDir), true
}

func remindExplain(err error) (string, bool) {
	var d *remind.DamagedError
	if errors.As(err, &d) {
		return "The reminders file (" + d.Path + ") was damaged, so reminders start over: some may be shown once more, and snoozes and background-check choices are back to their defaults.", true
	}
	return "", false
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
