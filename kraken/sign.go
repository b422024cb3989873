package kraken

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
)

// Sign returns the API-Sign header for a private call:
// base64(HMAC-SHA512(key = base64decode(privateKey), msg = urlPath + SHA256(nonce + postData))).
//
// urlPath is the part of the URL starting at "/0/private/", postData the
// exact body sent (which itself carries the nonce). Sign is pure. It fails
// only when privateKey is not standard base64, and its error never contains
// the key.
func Sign(urlPath, nonce, postData, privateKey string) (string, error) {
	secret, err := base64.StdEncoding.DecodeString(privateKey)
	if err != nil {
		return "", fmt.Errorf("%w: the private key is not base64", ErrMalformedKey)
	}
	return sign(secret, urlPath, nonce, []byte(postData)), nil
}

// sign is Sign with the private key already decoded.
func sign(secret []byte, urlPath, nonce string, postData []byte) string {
	inner := sha256.New()
	inner.Write([]byte(nonce))
	inner.Write(postData)

	mac := hmac.New(sha512.New, secret)
	mac.Write([]byte(urlPath))
	mac.Write(inner.Sum(nil))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
