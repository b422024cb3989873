package kraken

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// NonceScale is the unit of the clock a key's nonces count in. Every call on
// a key must carry a nonce above the last one the key accepted, from any
// program, so Keywarden must count in the same unit as the programs that
// use the key, and never in a larger one: one nanosecond nonce makes every
// later millisecond nonce too small, for good (KRAKEN.md, Nonce).
//
// The zero value means milliseconds, what most clients send. Keywarden never
// raises a key's scale by itself; the user chooses it.
type NonceScale string

// The nonce scales the exchange accepts: 13-, 16- and 19-digit nonces today.
const (
	NonceMilliseconds NonceScale = "ms" // ccxt, node-kraken-api, krakenex
	NonceMicroseconds NonceScale = "us" // kraken-api (npm)
	NonceNanoseconds  NonceScale = "ns" // many Go clients
)

// NonceScales lists the scales from the smallest up.
var NonceScales = []NonceScale{NonceMilliseconds, NonceMicroseconds, NonceNanoseconds}

// ErrBadNonceScale is returned for a nonce scale that is none of NonceScales.
var ErrBadNonceScale = errors.New("the nonce scale is not milliseconds, microseconds or nanoseconds")

// OrDefault returns the scale, or NonceMilliseconds for the zero value.
func (s NonceScale) OrDefault() NonceScale {
	if s == "" {
		return NonceMilliseconds
	}
	return s
}

// Valid reports whether s is the zero value or one of NonceScales.
func (s NonceScale) Valid() bool {
	switch s {
	case "", NonceMilliseconds, NonceMicroseconds, NonceNanoseconds:
		return true
	}
	return false
}

// Digits returns how many digits the scale's nonces have today: 13, 16 or
// 19 (0 for an invalid scale).
func (s NonceScale) Digits() int {
	switch s.OrDefault() {
	case NonceMilliseconds:
		return 13
	case NonceMicroseconds:
		return 16
	case NonceNanoseconds:
		return 19
	}
	return 0
}

// unit returns the duration one step of the scale stands for.
func (s NonceScale) unit() time.Duration {
	switch s.OrDefault() {
	case NonceMicroseconds:
		return time.Microsecond
	case NonceNanoseconds:
		return time.Nanosecond
	}
	return time.Millisecond
}

// at returns the nonce the scale gives at time t.
func (s NonceScale) at(t time.Time) int64 {
	return t.UnixNano() / int64(s.unit())
}

// Rank orders the scales: 0 for milliseconds, 1 for microseconds, 2 for
// nanoseconds. A key's nonces may move to a higher rank, never back.
func (s NonceScale) Rank() int {
	switch s.OrDefault() {
	case NonceMicroseconds:
		return 1
	case NonceNanoseconds:
		return 2
	}
	return 0
}

// String returns the scale in plain words, with its digit count.
func (s NonceScale) String() string {
	switch s.OrDefault() {
	case NonceMilliseconds:
		return "milliseconds (13 digits)"
	case NonceMicroseconds:
		return "microseconds (16 digits)"
	case NonceNanoseconds:
		return "nanoseconds (19 digits)"
	}
	return fmt.Sprintf("NonceScale(%q)", string(s))
}

// ParseNonceScale reads a scale as a person types it: "ms", "us", "µs",
// "ns", the unit's name ("milliseconds", "micro", ...) or a digit count
// ("13", "16", "19"). The error wraps ErrBadNonceScale.
func ParseNonceScale(text string) (NonceScale, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	switch t {
	case "ms", "milli", "millis", "millisecond", "milliseconds", "13":
		return NonceMilliseconds, nil
	case "us", "µs", "μs", "micro", "micros", "microsecond", "microseconds", "16":
		return NonceMicroseconds, nil
	case "ns", "nano", "nanos", "nanosecond", "nanoseconds", "19":
		return NonceNanoseconds, nil
	}
	return "", fmt.Errorf("%w: %q", ErrBadNonceScale, Quote(text))
}

// NonceScaleOf tells the scale of a nonce from its digit count: 13
// milliseconds, 16 microseconds, 19 nanoseconds. It reports false for
// anything else (a key never used has nonce "0"). Use it on the nonce field
// of GetApiKeyInfo to learn what the programs using a key send.
func NonceScaleOf(nonce string) (NonceScale, bool) {
	nonce = strings.TrimLeft(strings.TrimSpace(nonce), "0")
	if nonce == "" || strings.Trim(nonce, "0123456789") != "" {
		return "", false
	}
	switch len(nonce) {
	case 13:
		return NonceMilliseconds, true
	case 16:
		return NonceMicroseconds, true
	case 19:
		return NonceNanoseconds, true
	}
	return "", false
}

// NonceScale tells the scale of the key's last nonce (NonceScaleOf).
func (k *KeyInfo) NonceScale() (NonceScale, bool) {
	return NonceScaleOf(fmt.Sprint(k.Nonce))
}
