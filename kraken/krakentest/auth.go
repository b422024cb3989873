package krakentest

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// keyState is a key and what the exchange keeps about it.
type keyState struct {
	key    Key
	secret []byte // the private key, decoded

	// seen holds accepted nonces below key.Nonce that are still inside the
	// nonce window; every nonce at or below floor counts as seen.
	seen  map[uint64]struct{}
	floor uint64

	counter   float64   // rate counter, as of counterAt
	counterAt time.Time //
	failures  []time.Time
	// lockedUntil is the end of the current lockout; zero or past when none.
	lockedUntil time.Time

	// before is the key's nonce and last use as they were before the call
	// being answered, for WithKeyInfoBeforeCall.
	before struct {
		nonce    uint64
		lastUsed time.Time
	}
}

// expired reports whether the key's expiry date has passed. The exchange
// does not document what an expired key answers (KRAKEN.md, Errors: "There
// is no documented … one for … an expired key"); the simulation answers
// "EAPI:Invalid key", as for a deleted key.
func (s *keyState) expired(now time.Time) bool {
	return !s.key.ValidUntil.IsZero() && !now.Before(s.key.ValidUntil)
}

func (s *keyState) locked(now time.Time) bool {
	return now.Before(s.lockedUntil)
}

// decay brings the rate counter to now.
func (s *keyState) decay(now time.Time) {
	if !s.counterAt.IsZero() && now.After(s.counterAt) {
		s.counter -= limitFor(s.key.Tier).decay * now.Sub(s.counterAt).Seconds()
		if s.counter < 0 {
			s.counter = 0
		}
	}
	if s.counterAt.IsZero() || now.After(s.counterAt) {
		s.counterAt = now
	}
}

// charge adds cost to the rate counter and reports whether the call may
// go on. A call that would take the counter over the maximum is refused
// and not added: otherwise a client waiting politely at the decay rate
// would never get through ([RL] does not say either way).
func (s *keyState) charge(now time.Time, cost float64) bool {
	s.decay(now)
	const slack = 1e-9 // decay is computed in steps; keep float error from refusing
	if s.counter+cost > limitFor(s.key.Tier).max+slack {
		return false
	}
	s.counter += cost
	return true
}

// fail records a failed authentication and starts a lockout once after of
// them fall within LockoutDuration. after < 1 disables lockouts.
func (s *keyState) fail(now time.Time, after int) {
	if after < 1 {
		return
	}
	recent := s.failures[:0]
	for _, t := range s.failures {
		if now.Sub(t) < LockoutDuration {
			recent = append(recent, t)
		}
	}
	s.failures = append(recent, now)
	if len(s.failures) >= after {
		s.lockedUntil = now.Add(LockoutDuration)
		s.failures = s.failures[:0]
	}
}

// nonceOK reports whether the key accepts nonce n ([AUTH], [K4]): above the
// last accepted one, or, with a nonce window, no more than the window below
// it and not used before.
func (s *keyState) nonceOK(n uint64) bool {
	if n > s.key.Nonce {
		return true
	}
	w := uint64(max(s.key.NonceWindow, 0))
	if n == s.key.Nonce || s.key.Nonce-n > w || n <= s.floor {
		return false
	}
	_, used := s.seen[n]
	return !used
}

// acceptNonce records n, which nonceOK accepted.
func (s *keyState) acceptNonce(n uint64) {
	if n <= s.key.Nonce {
		s.seen[n] = struct{}{}
		return
	}
	if s.key.Nonce > 0 {
		s.seen[s.key.Nonce] = struct{}{}
	}
	s.key.Nonce = n
	w := uint64(max(s.key.NonceWindow, 0))
	for m := range s.seen {
		if n-m > w {
			delete(s.seen, m)
			s.floor = max(s.floor, m)
		}
	}
	if n > w {
		s.floor = max(s.floor, n-w-1)
	}
}

// checkOTP checks the otp sent with a call to a 2FA key. A TOTP seed wins
// over a static password if a key has both (the website offers one or the
// other).
func (s *keyState) checkOTP(code string, now time.Time) bool {
	switch {
	case s.key.OTPSecret != "":
		ok, err := totp.ValidateCustom(code, s.key.OTPSecret, now, totp.ValidateOpts{
			Period:    30,
			Skew:      1,
			Digits:    otp.DigitsSix,
			Algorithm: otp.AlgorithmSHA1,
		})
		return err == nil && ok
	case s.key.OTPPassword != "":
		return subtle.ConstantTimeCompare([]byte(code), []byte(s.key.OTPPassword)) == 1
	}
	return true
}

// has2FA reports whether every call with the key must carry an otp.
func (s *keyState) has2FA() bool {
	return s.key.OTPSecret != "" || s.key.OTPPassword != ""
}

// validSignature checks API-Sign as [AUTH] defines it:
// base64(HMAC-SHA512(secret, urlPath + SHA256(nonce + body))), where urlPath
// is the exchange's own path ("/0/private/<Method>") and body the exact
// bytes received. It is written here rather than taken from package kraken
// so that the client's signing is checked by independent code.
func validSignature(secret []byte, urlPath, nonce string, body []byte, apiSign string) bool {
	got, err := base64.StdEncoding.DecodeString(apiSign)
	if err != nil {
		return false
	}
	return hmac.Equal(got, signature(secret, urlPath, nonce, body))
}

// signature is the raw HMAC that API-Sign carries in base64.
func signature(secret []byte, urlPath, nonce string, body []byte) []byte {
	digest := sha256.Sum256(append([]byte(nonce), body...))
	mac := hmac.New(sha512.New, secret)
	mac.Write([]byte(urlPath))
	mac.Write(digest[:])
	return mac.Sum(nil)
}
