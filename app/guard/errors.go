package guard

import (
	"errors"
	"fmt"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// Errors of the guard, matched with errors.Is. None contains a code or the
// seed.
var (
	// ErrWrongCode is matched by every *WrongCodeError.
	ErrWrongCode = errors.New("guard: wrong code")
	// ErrReplayed: the code was right but has been used already.
	ErrReplayed = errors.New("guard: code already used")
	// ErrLocked is matched by every *LockedError.
	ErrLocked = errors.New("guard: too many wrong codes")
	// ErrNotEnabled: app 2FA is off, so there is nothing to check.
	ErrNotEnabled = errors.New("guard: app 2FA is off")
	// ErrAlreadyEnabled: app 2FA is on; turn it off before enrolling again.
	ErrAlreadyEnabled = errors.New("guard: app 2FA is already on")
	// ErrCodeFormat: the input is not 6 digits. It does not count as a wrong
	// code.
	ErrCodeFormat = errors.New("guard: a code is 6 digits")
	// ErrSeedMissing: app 2FA is on but its seed is not in the keyring (or
	// cannot be read); Reset turns it off.
	ErrSeedMissing = errors.New("guard: the app 2FA seed is missing from the keyring")
	// ErrSeedPresent is Reset's answer when the seed is fine: use Disable.
	ErrSeedPresent = errors.New("guard: the app 2FA seed is in the keyring; turn it off with a code")
)

// WrongCodeError is a code that matched no time step near now.
type WrongCodeError struct {
	// Left is how many more wrong codes lock the prompt.
	Left int
}

// Error says how many tries are left.
func (e *WrongCodeError) Error() string {
	return fmt.Sprintf("guard: wrong code (%d more before the lock)", e.Left)
}

// Is makes errors.Is(err, ErrWrongCode) true.
func (e *WrongCodeError) Is(target error) bool { return target == ErrWrongCode }

// LockedError says the prompt is locked after too many wrong codes.
type LockedError struct {
	Until time.Time // when codes are checked again
	// Rebuilt: the lock stands in for a lost guard.json (State.rebuild),
	// not for wrong codes.
	Rebuilt bool
}

// Error says until when.
func (e *LockedError) Error() string {
	return "guard: too many wrong codes; locked until " + e.Until.Format(time.RFC3339)
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// UserMessage turns an error from this package into plain words that say
// what happened and what to do next. The full error belongs in the log.
func UserMessage(err error) string {
	var (
		locked *LockedError
		wrong  *WrongCodeError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &locked) && locked.Rebuilt:
		return fmt.Sprintf("Keywarden's record of recent app 2FA codes was missing or damaged, so it checks no code until %s, as after too many wrong codes. Wait a minute, then type the code your authenticator app shows.",
			locked.Until.Local().Format("15:04:05"))
	case errors.As(err, &locked):
		return fmt.Sprintf("Too many wrong codes in a row, so Keywarden stops checking codes until %s. Wait a minute, then type the code your authenticator app shows.",
			locked.Until.Local().Format("15:04:05"))
	case errors.As(err, &wrong):
		msg := "That code is not right. Type the code your authenticator app shows now for Keywarden; if it still fails, check that this computer's clock is correct."
		if wrong.Left == 1 {
			return msg + " One more wrong code locks this for a minute."
		}
		return msg
	case errors.Is(err, ErrWrongCode):
		return "That code is not right. Type the code your authenticator app shows now for Keywarden."
	case errors.Is(err, ErrReplayed):
		return "That code has been used already. Wait until your authenticator app shows a new one (at most 30 seconds), then type it."
	case errors.Is(err, ErrCodeFormat):
		return "Type the 6 digits your authenticator app shows for Keywarden."
	case errors.Is(err, ErrNotEnabled):
		return "App 2FA is off, so there is no code to check. Turn it on in Settings."
	case errors.Is(err, ErrAlreadyEnabled):
		return "App 2FA is already on. To use another authenticator app, turn it off (that asks for a code), then set it up again."
	case errors.Is(err, ErrSeedMissing):
		return "App 2FA is on, but its authenticator seed is missing from the system keyring, so no code can be checked. Turn app 2FA off without a code, then set it up again."
	case errors.Is(err, ErrSeedPresent):
		return "App 2FA's seed is still in the system keyring: turn it off with a code from your authenticator app."
	case errors.Is(err, vault.ErrKeyringUnavailable):
		return vault.UserMessage(err)
	}
	return "Keywarden could not check the code. Try again; the log has details."
}
