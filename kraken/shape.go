package kraken

import (
	"encoding/base64"
	"fmt"
)

// Lengths of a Spot key pair as the website shows it (observed, not
// documented by the exchange): the UI may use them to size its fields.
const (
	APIKeyLength     = 56 // base64 characters of the public API key
	PrivateKeyLength = 88 // base64 characters of the private key
)

// privateKeySize is how many bytes the private key decodes to.
const privateKeySize = 64

// CheckKeyShape reports whether apiKey and privateKey look like a Kraken Spot
// key pair: a public key of 56 base64 characters and a private key of 88
// base64 characters that decode to exactly 64 bytes. The error wraps
// ErrMalformedKey and says which part is wrong, never echoing either value.
//
// CheckKeyShape does not trim: removing whitespace pasted around a key is the
// caller's job, and a key with spaces or line breaks inside is refused.
func CheckKeyShape(apiKey, privateKey string) error {
	switch {
	case apiKey == "":
		return fmt.Errorf("%w: the API key is empty", ErrMalformedKey)
	case len(apiKey) != APIKeyLength:
		return fmt.Errorf("%w: the API key has %d characters, not %d", ErrMalformedKey, len(apiKey), APIKeyLength)
	}
	if _, ok := decodeBase64(apiKey); !ok {
		return fmt.Errorf("%w: the API key is not base64", ErrMalformedKey)
	}
	switch {
	case privateKey == "":
		return fmt.Errorf("%w: the private key is empty", ErrMalformedKey)
	case len(privateKey) != PrivateKeyLength:
		return fmt.Errorf("%w: the private key has %d characters, not %d", ErrMalformedKey, len(privateKey), PrivateKeyLength)
	}
	secret, ok := decodeBase64(privateKey)
	if !ok {
		return fmt.Errorf("%w: the private key is not base64", ErrMalformedKey)
	}
	if len(secret) != privateKeySize {
		return fmt.Errorf("%w: the private key decodes to %d bytes, not %d", ErrMalformedKey, len(secret), privateKeySize)
	}
	return nil
}

// decodeBase64 decodes standard, padded base64 and nothing else: unlike
// the plain decoder, it refuses line breaks inside.
func decodeBase64(s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '='
		if !ok {
			return nil, false
		}
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	return b, err == nil
}
