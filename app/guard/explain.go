package guard

import (
	"errors"
	"strings"
)

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

// GroupSeed writes a base32 seed in groups of four, as authenticator apps
// show it, so it is easier to type.
func GroupSeed(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
