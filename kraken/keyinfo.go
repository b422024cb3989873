package kraken

import "time"

// KeyInfo is what GetApiKeyInfo says about a key. Times are zero where the
// exchange says "0" (not set) or null (never).
type KeyInfo struct {
	Name        string
	APIKey      string
	Nonce       uint64
	NonceWindow int
	Permissions []Permission
	IBAN        string
	ValidUntil  time.Time // key expiry; zero = never expires
	QueryFrom   time.Time // zero = unrestricted
	QueryTo     time.Time // zero = unrestricted
	Created     time.Time
	Modified    time.Time
	LastUsed    time.Time // zero = never used
	IPAllowlist []string  // empty = any IP

	// SentNonce is not part of the answer: it is the nonce this client sent
	// for the call (0 when unknown). Equal to Nonce, the answer includes the
	// asking call, and its LastUsed is that call.
	SentNonce uint64
}

// Has reports whether the key holds permission p.
func (k *KeyInfo) Has(p Permission) bool {
	for _, q := range k.Permissions {
		if q == p {
			return true
		}
	}
	return false
}
