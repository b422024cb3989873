package kraken

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors, matched with errors.Is. An *APIError from the exchange
// unwraps to one of these when its message is one Keywarden knows (see
// KnownErrors); a message it does not know unwraps to nothing and is only
// quoted, never guessed at.
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

	// ErrSession is "ESession:Invalid session": the exchange refused the
	// request's session. It says nothing about the key's permissions.
	ErrSession = errors.New("the exchange refused the session")
	// ErrAccountLocked is "ETrade:User Locked" or "ETrade:Locked": the
	// account is locked, so nothing the key may do can be learnt.
	ErrAccountLocked = errors.New("the account is locked")
	// ErrFeatureDisabled is "EAPI:Feature disabled": the call is switched
	// off for the account or the key.
	ErrFeatureDisabled = errors.New("the exchange has this feature switched off")
	// ErrBadRequest is "EAPI:Bad request": the exchange could not read the
	// request itself, so every other call would fail the same way.
	ErrBadRequest = errors.New("the exchange could not read the request")
	// ErrMarketRestricted is "EService:Market in cancel_only mode" (or
	// post_only, limit_only): one market takes only some orders for now.
	ErrMarketRestricted = errors.New("the market takes only some orders right now")

	// ErrInvalidArguments is "EGeneral:Invalid arguments" with or without a
	// detail: the method looked at its arguments, so the call got past the
	// permission check.
	ErrInvalidArguments = errors.New("the exchange refused the call's arguments")
	// ErrOrderRefused is an "EOrder:…" answer other than its rate limit
	// (an unknown order, insufficient funds, an order minimum not met...):
	// the order engine looked at the call, past the permission check.
	ErrOrderRefused = errors.New("the exchange's order engine refused the call")
	// ErrFundingRefused is an "EFunding:…" answer (an unknown asset or
	// withdrawal key, an invalid amount...): the funding engine looked at
	// the call, past the permission check.
	ErrFundingRefused = errors.New("the exchange's funding engine refused the call")
	// ErrUnknownAsset is "EQuery:Unknown asset pair", "EQuery:Invalid asset
	// pair" or "EQuery:Unknown asset". Where in the exchange's checks it
	// comes is not documented, so it says nothing about permissions.
	ErrUnknownAsset = errors.New("the exchange does not know the asset or pair")
)

// KnownError is one of the exchange's error strings and the sentinel error
// it maps to.
type KnownError struct {
	Prefix string // the message, or its start when the exchange adds details
	Kind   error
}

// KnownErrors lists every error string this package recognises, most
// specific first: a message maps to the first entry it starts with. They
// come from the exchange's documentation (KRAKEN.md, Errors) and from the
// strings other clients (ccxt's table of Kraken errors) see in practice.
var KnownErrors = []KnownError{
	{"EAPI:Invalid key", ErrInvalidKey},
	{"EAPI:Invalid signature", ErrInvalidSignature},
	{"EAPI:Invalid nonce", ErrInvalidNonce},
	{"EGeneral:Permission denied", ErrPermissionDenied},
	{"EGeneral:Temporary lockout", ErrLockout},
	{"EAPI:Rate limit exceeded", ErrRateLimited},
	{"EOrder:Rate limit exceeded", ErrRateLimited}, // the trading limiter
	{"EGeneral:Too many requests", ErrThrottled},
	{"EService:Throttled", ErrThrottled},
	{"EService: Throttled", ErrThrottled}, // as the exchange's guide spells it
	{"EGeneral:Unknown method", ErrUnknownMethod},
	{"EService:Unavailable", ErrExchangeDown},
	{"EService:Busy", ErrExchangeDown},
	{"EGeneral:Internal error", ErrExchangeDown},
	{"EDatabase:Internal error", ErrExchangeDown},
	{"EService:Market in cancel_only mode", ErrMarketRestricted},
	{"EService:Market in post_only mode", ErrMarketRestricted},
	{"EService:Market in limit_only mode", ErrMarketRestricted},
	{"ESession:Invalid session", ErrSession},
	{"ETrade:User Locked", ErrAccountLocked},
	{"ETrade:Locked", ErrAccountLocked},
	{"EAPI:Feature disabled", ErrFeatureDisabled},
	{"EAPI:Bad request", ErrBadRequest},
	{"EGeneral:Invalid arguments", ErrInvalidArguments}, // also ":price", ":volume", ":viqc", ...
	{"EQuery:Unknown asset pair", ErrUnknownAsset},
	{"EQuery:Invalid asset pair", ErrUnknownAsset},
	{"EQuery:Unknown asset", ErrUnknownAsset},
	{"EOrder:", ErrOrderRefused},     // Unknown order, Insufficient funds, Order minimum not met, Invalid price, Cancel pending, ...
	{"EFunding:", ErrFundingRefused}, // Unknown withdraw key, Invalid amount, No funding method, Unknown asset, ...
}

// APIError is a non-empty error array in the exchange's answer.
// Its messages are the exchange's own strings with every secret the request
// carried removed in any encoding, long base64 or hexadecimal runs removed
// (a known string keeps its catalogue prefix as it is), control characters
// blanked and each one cut to MaxQuoted characters; at most maxMessages are
// kept.
type APIError struct {
	Method     string    // the private method called, e.g. "GetApiKeyInfo"
	Messages   []string  // the exchange's error strings, scrubbed and capped
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
	if k := knownError(msg); k != nil {
		return k.Kind
	}
	return nil
}

// knownPrefix returns the catalogue prefix msg starts with, or "".
func knownPrefix(msg string) string {
	if k := knownError(msg); k != nil {
		return k.Prefix
	}
	return ""
}

// knownError returns the first entry of KnownErrors msg starts with.
func knownError(msg string) *KnownError {
	for i := range KnownErrors {
		if strings.HasPrefix(msg, KnownErrors[i].Prefix) {
			return &KnownErrors[i]
		}
	}
	return nil
}

// IsAuthError reports whether err is an authentication failure: one the
// exchange counts towards a lockout (or may), and so must never be retried
// blindly.
func IsAuthError(err error) bool {
	return errors.Is(err, ErrInvalidKey) || errors.Is(err, ErrInvalidSignature) ||
		errors.Is(err, ErrInvalidNonce) || errors.Is(err, ErrLockout) || errors.Is(err, ErrSession)
}

// PassedPermissionCheck reports whether err is an answer that the exchange
// gives only after the key's permission for the call was checked: the
// method's own validation of its arguments (EGeneral:Invalid arguments,
// EOrder:…, EFunding:…). With no error at all, the call passed too.
func PassedPermissionCheck(err error) bool {
	return err == nil || errors.Is(err, ErrInvalidArguments) ||
		errors.Is(err, ErrOrderRefused) || errors.Is(err, ErrFundingRefused)
}

// UserMessage turns an error from this package into plain words that say
// what happened and what to do next. It never includes a secret, and quotes
// the exchange's own words only capped (see APIError).
func UserMessage(err error) string {
	if err == nil {
		return ""
	}
	for _, m := range userMessages {
		if errors.Is(err, m.kind) {
			return m.text(err)
		}
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return "Kraken answered with an error Keywarden does not know: " + quoted(apiErr) +
			". Keywarden drew no conclusion from it; try again later, and if it stays, Keywarden may need an update."
	}
	return "Something went wrong talking to Kraken. Try again; the log has details."
}

// userMessage is the plain-words text for one sentinel.
type userMessage struct {
	kind error
	text func(err error) string
}

// says returns a text function that ignores the error.
func says(s string) func(error) string { return func(error) string { return s } }

// userMessages is checked in order; the first sentinel err matches wins.
var userMessages = []userMessage{
	{ErrMalformedKey, says("That does not look like a Kraken key. The API key is 56 characters and the private key 88; copy both again from the website's API page, without spaces or line breaks.")},
	{ErrBadBaseURL, says("The exchange address is not allowed: Keywarden talks to Kraken over https only (plain http only to this computer, for tests).")},
	{ErrNotLoopback, says("The test exchange address must be on this computer, and the name in it resolves elsewhere. Use 127.0.0.1 or [::1] instead of a name, or unset KEYWARDEN_KRAKEN_URL to talk to Kraken.")},
	{ErrBadNonceScale, says("The nonce scale must be milliseconds, microseconds or nanoseconds.")},
	{ErrInvalidKey, says("Kraken does not know this API key: it was deleted on the website, or it was copied wrongly.")},
	{ErrInvalidSignature, says("Kraken rejected the signature. Either the private key does not belong to this API key (paste it again), or the key has 2FA and the code was wrong or expired (try a fresh code).")},
	{ErrInvalidNonce, says("Kraken rejected the nonce: a program using this key sent a larger one. Jumping ahead would lock the other programs out, so the client does not.")},
	{ErrPermissionDenied, says("Kraken answered \"permission denied\". If the key has 2FA, a code is needed for every call; otherwise the key lacks the permission for this call.")},
	{ErrLockout, says("Kraken has locked this key out for about 15 minutes after too many failed calls. Wait, fix what failed, then try once.")},
	{ErrRateLimited, says("This key has used up its call allowance for now. Wait a minute and try again.")},
	{ErrThrottled, throttledMessage},
	{ErrUnknownMethod, says("Kraken does not offer this call on your account.")},
	{ErrExchangeDown, says("Kraken is unavailable or busy right now. Try again in a few minutes; status.kraken.com says more.")},
	{ErrSession, says("Kraken answered \"invalid session\" and did not look at the key. Nothing was learnt about it; try once more later, and if it stays, check the key on Kraken's website.")},
	{ErrAccountLocked, says("Kraken says the account is locked, so nothing was learnt about the key. Log in on Kraken's website or contact Kraken support to unlock it, then check again.")},
	{ErrFeatureDisabled, says("Kraken answered \"feature disabled\": this call is switched off for the account or the key right now. Nothing was learnt about the key; check again later.")},
	{ErrBadRequest, says("Kraken could not read Keywarden's request, so nothing was learnt about the key. Keywarden may need an update.")},
	{ErrMarketRestricted, says("Kraken's market takes only some orders right now (cancel-only or post-only). Nothing was learnt about the key; check again later.")},
	{ErrInvalidArguments, refused("the request's arguments")},
	{ErrOrderRefused, refused("the order")},
	{ErrFundingRefused, refused("the funding request")},
	{ErrUnknownAsset, refused("the request: it does not know the asset asked about")},
	{ErrNetwork, says("Kraken could not be reached. Check your internet connection and try again.")},
	{ErrBadResponse, says("Kraken sent an answer Keywarden could not read. Try again later; if it keeps happening, Keywarden may need an update.")},
}

func throttledMessage(err error) string {
	var apiErr *APIError
	if errors.As(err, &apiErr) && !apiErr.RetryAfter.IsZero() {
		return fmt.Sprintf("Kraken is busy and asked to wait until %s. Try again then.", apiErr.RetryAfter.Local().Format("15:04:05"))
	}
	return "Kraken is busy and asked to wait. Try again in a minute."
}

// refused words a refusal of what, with the exchange's own text when
// there is one.
func refused(what string) func(error) string {
	return func(err error) string {
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			return "Kraken refused " + what + " (" + quoted(apiErr) + "). Nothing was learnt about the key from it."
		}
		return "Kraken refused " + what + ". Nothing was learnt about the key from it."
	}
}

// quoted returns the exchange's messages in quotes, joined. They are
// already scrubbed and capped; the whole is capped again to MaxQuoted.
func quoted(e *APIError) string {
	return `"` + Quote(strings.Join(e.Messages, "; ")) + `"`
}
