package kraken

import "errors"

// ownErrors are the sentinel errors this package returns.
var ownErrors = []error{ErrInvalidKey, ErrInvalidSignature, ErrInvalidNonce, ErrPermissionDenied,
	ErrLockout, ErrRateLimited, ErrThrottled, ErrUnknownMethod, ErrExchangeDown, ErrNetwork,
	ErrBadResponse, ErrMalformedKey, ErrBadBaseURL}

// Explain returns UserMessage for an error of this package, and false for
// any other error, so an application can ask each package in turn.
func Explain(err error) (string, bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return UserMessage(err), true
	}
	for _, e := range ownErrors {
		if errors.Is(err, e) {
			return UserMessage(err), true
		}
	}
	return "", false
}
