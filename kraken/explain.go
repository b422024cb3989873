package kraken

import "errors"

// Explain returns UserMessage for an error of this package, and false for
// any other error, so an application can ask each package in turn and add
// its own advice (what to do in its screens) to the exchange's facts.
func Explain(err error) (string, bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return UserMessage(err), true
	}
	for _, m := range userMessages {
		if errors.Is(err, m.kind) {
			return UserMessage(err), true
		}
	}
	return "", false
}
