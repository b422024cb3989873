package kraken

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors, matched with errors.Is. An *APIError from the exchange
// unwraps to one of these when its message is one Keywarden knows.
var (
	ErrInvalidKey       = errors.New("the exchange does not know this API key")
	ErrInvalidSignature = errors.New("the exchange rejected the request signature")
	ErrInvalidNonce     = errors.New("the exchange rejected the nonce")
	ErrPermissionDenied = errors.New("the key lacks a permission for this call")
	ErrLockout          = errors.New("the key is temporarily locked out")
	ErrRateLimited      = errors.New("the key's call counter is over its limit")
	ErrThrottled        = errors.New("the exchange is throttling requests")
	ErrUnknownMethod    = errors.New("the exchange does not offer this method")
	ErrExchangeDown     = errors.New("the exchange is unavailable or busy")
	ErrNetwork          = errors.New("the exchange could not be reached")
	ErrBadResponse      = errors.New("the exchange sent an answer Keywarden cannot read")
	ErrMalformedKey     = errors.New("the API key or private key is not in the exchange's format")
)

// APIError is a non-empty error array in the exchange's answer.
// It never holds the private key: only the exchange's own strings.
type APIError struct {
	Method     string    // the private method called, e.g. "GetApiKeyInfo"
	Messages   []string  // the exchange's error strings, verbatim
	RetryAfter time.Time // for EService:Throttled, when to try again; zero otherwise
	kind       error
}

// Error returns the method and the exchange's messages.
func (e *APIError) Error() string {
	return fmt.Sprintf("kraken %s: %s", e.Method, strings.Join(e.Messages, "; "))
}

// Unwrap returns the sentinel error matching the exchange's message, or nil.
func (e *APIError) Unwrap() error { return e.kind }

// classify maps one of the exchange's error strings to a sentinel error.
// It returns nil for strings it does not know.
func classify(msg string) error {
	switch {
	case strings.HasPrefix(msg, "EAPI:Invalid key"):
		return ErrInvalidKey
	case strings.HasPrefix(msg, "EAPI:Invalid signature"):
		return ErrInvalidSignature
	case strings.HasPrefix(msg, "EAPI:Invalid nonce"):
		return ErrInvalidNonce
	case strings.HasPrefix(msg, "EGeneral:Permission denied"):
		return ErrPermissionDenied
	case strings.HasPrefix(msg, "EGeneral:Temporary lockout"):
		return ErrLockout
	case strings.HasPrefix(msg, "EAPI:Rate limit exceeded"):
		return ErrRateLimited
	case strings.HasPrefix(msg, "EService: Throttled"), strings.HasPrefix(msg, "EService:Throttled"):
		return ErrThrottled
	case strings.HasPrefix(msg, "EGeneral:Unknown method"):
		return ErrUnknownMethod
	case strings.HasPrefix(msg, "EService:Unavailable"), strings.HasPrefix(msg, "EService:Busy"),
		strings.HasPrefix(msg, "EGeneral:Internal error"), strings.HasPrefix(msg, "EService:Market in cancel_only mode"),
		strings.HasPrefix(msg, "EService:Market in post_only mode"):
		return ErrExchangeDown
	}
	return nil
}

// IsAuthError reports whether err is an authentication failure: one the
// exchange counts towards a lockout, and so must never be retried blindly.
func IsAuthError(err error) bool {
	return errors.Is(err, ErrInvalidKey) || errors.Is(err, ErrInvalidSignature) ||
		errors.Is(err, ErrInvalidNonce) || errors.Is(err, ErrLockout)
}

// UserMessage turns an error from this package into plain words that say
// what happened and what to do next. It never includes a secret.
func UserMessage(err error) string {
	var apiErr *APIError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrMalformedKey):
		return "That does not look like a Kraken key. The API key is 56 characters and the private key 88; copy both again from the website's API page, without spaces or line breaks."
	case errors.Is(err, ErrBadBaseURL):
		return "The exchange address is not allowed: Keywarden talks to Kraken over https only (plain http only to this computer, for tests)."
	case errors.Is(err, ErrInvalidKey):
		return "Kraken does not know this API key: it was deleted on the website, or it was copied wrongly. If you deleted it, mark it revoked; otherwise paste it again."
	case errors.Is(err, ErrInvalidSignature):
		return "Kraken rejected the signature. Either the private key does not belong to this API key (paste it again), or the key has 2FA and the code was wrong or expired (try a fresh code)."
	case errors.Is(err, ErrInvalidNonce):
		return "Kraken rejected the nonce: another program using this key sent a larger one. Keywarden will not jump ahead, because that would break your other programs. Set a nonce window on the key, or check again in a moment."
	case errors.Is(err, ErrPermissionDenied):
		return "Kraken answered \"permission denied\". If the key has 2FA, a code is needed for every call; otherwise the key lacks the permission for this call."
	case errors.Is(err, ErrLockout):
		return "Kraken has locked this key out for about 15 minutes after too many failed calls. Wait, fix what failed, then try once."
	case errors.Is(err, ErrRateLimited):
		return "This key has used up its call allowance for now. Wait a minute and try again."
	case errors.Is(err, ErrThrottled):
		if errors.As(err, &apiErr) && !apiErr.RetryAfter.IsZero() {
			return fmt.Sprintf("Kraken is busy and asked to wait until %s. Try again then.", apiErr.RetryAfter.Local().Format("15:04:05"))
		}
		return "Kraken is busy and asked to wait. Try again in a minute."
	case errors.Is(err, ErrUnknownMethod):
		return "Kraken does not offer this call on your account."
	case errors.Is(err, ErrExchangeDown):
		return "Kraken is unavailable or busy right now. Try again in a few minutes; status.kraken.com says more."
	case errors.Is(err, ErrNetwork):
		return "Kraken could not be reached. Check your internet connection and try again."
	case errors.Is(err, ErrBadResponse):
		return "Kraken sent an answer Keywarden could not read. Try again later; if it keeps happening, Keywarden may need an update."
	case errors.As(err, &apiErr):
		return "Kraken answered with an error: " + strings.Join(apiErr.Messages, "; ") + "."
	}
	return "Something went wrong talking to Kraken. Try again; the log has details."
}
