package krakentest

import (
	"crypto/rand"
	"encoding/base64"
	"slices"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

// Key is one API key in the exchange's table: what the website lets its
// owner set, plus the state the exchange keeps (Nonce, LastUsed).
type Key struct {
	Name        string // generated ("api-key-<unix seconds>") when empty
	APIKey      string // generated (56 base64 chars) when empty
	PrivateKey  string // generated (base64 of 64 random bytes, 88 chars) when empty
	Permissions []kraken.Permission
	IBAN        string // the account's IBAN; the exchange's own (see Exchange.IBAN) when empty
	NonceWindow int

	// Times the website sets. Zero means "0" in GetApiKeyInfo (not set);
	// AddKey fills a zero Created with the exchange clock, and a zero
	// Modified with Created, as every real key has both.
	ValidUntil, QueryFrom, QueryTo, Created, Modified time.Time

	// LastUsed is the exchange clock at the key's last authenticated call;
	// zero (JSON null in GetApiKeyInfo) if it was never used.
	LastUsed time.Time

	// Nonce is the highest nonce the key has accepted. A non-zero Nonce
	// given to AddKey stands for calls made before, by any program.
	Nonce uint64

	IPAllowlist []string    // reported by GetApiKeyInfo, not enforced (see AddKey)
	OTPSecret   string      // base32 TOTP seed: every call must carry a valid otp
	OTPPassword string      // static-password 2FA: every call must carry it as otp
	Tier        kraken.Tier // the account's verification tier, for the rate counter
}

// clone returns a copy of k that shares no slice with it.
func (k Key) clone() Key {
	k.Permissions = slices.Clone(k.Permissions)
	k.IPAllowlist = slices.Clone(k.IPAllowlist)
	return k
}

// has reports whether the key holds every permission in perms.
func (k *Key) has(perms ...kraken.Permission) bool {
	for _, p := range perms {
		if !slices.Contains(k.Permissions, p) {
			return false
		}
	}
	return true
}

// NewKeyPair returns a fresh random key pair in the website's format: a
// public key of 56 base64 characters and a private key of 88 base64
// characters that decode to 64 bytes.
func NewKeyPair() (apiKey, privateKey string) {
	return base64.StdEncoding.EncodeToString(randomBytes(42)),
		base64.StdEncoding.EncodeToString(randomBytes(64))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return b
}

// rateLimit is a tier's call counter: its maximum and how fast it decays.
type rateLimit struct {
	max   float64
	decay float64 // per second
}

// limitFor returns the counter of tier t ([RL]: Starter 15 and 0.33/s,
// Intermediate 20 and 0.5/s, Pro 20 and 1/s). An unknown tier counts as
// Starter, the strictest.
func limitFor(t kraken.Tier) rateLimit {
	switch t {
	case kraken.Intermediate:
		return rateLimit{max: 20, decay: 0.5}
	case kraken.Pro:
		return rateLimit{max: 20, decay: 1}
	}
	return rateLimit{max: 15, decay: 0.33}
}
