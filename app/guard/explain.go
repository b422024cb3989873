package guard

import "errors"

// Explain returns UserMessage for an error of this package, and false for
// any other error, so an application can ask each package in turn.
func Explain(err error) (string, bool) {
	var locked *LockedError
	var wrong *WrongCodeError
	if errors.As(err, &locked) || errors.As(err, &wrong) {
		return UserMessage(err), true
	}
	for _, e := range []error{ErrWrongCode, ErrReplayed, ErrCodeFormat, ErrNotEnabled, ErrAlreadyEnabled, ErrSeedMissing, ErrSeedPresent} {
		if errors.Is(err, e) {
			return UserMessage(err), true
		}
	}
	return "", false
}
