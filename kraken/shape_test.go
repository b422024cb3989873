package kraken_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/kraken"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestCheckKeyShape(t *testing.T) {
	tests := []struct {
		name       string
		apiKey     string
		privateKey string
		wantErr    bool
		wantPart   string // which part the error names
	}{
		{"the documented pair has the right shape", testAPIKey, testPrivateKey, false, ""},
		{"an empty API key is refused", "", testPrivateKey, true, "API key"},
		{"a short API key is refused", testAPIKey[:55], testPrivateKey, true, "API key"},
		{"a long API key is refused", testAPIKey + "A", testPrivateKey, true, "API key"},
		{"an API key with a space inside is refused", testAPIKey[:20] + " " + testAPIKey[21:], testPrivateKey, true, "API key"},
		{"an API key with a line break inside is refused", testAPIKey[:20] + "\n" + testAPIKey[21:], testPrivateKey, true, "API key"},
		{"an API key with URL-safe base64 is refused", strings.ReplaceAll(testAPIKey, "/", "_"), testPrivateKey, true, "API key"},
		{"an API key with surrounding spaces is refused (trimming is the caller's job)", " " + testAPIKey[1:], testPrivateKey, true, "API key"},
		{"an empty private key is refused", testAPIKey, "", true, "private key"},
		{"a short private key is refused", testAPIKey, testPrivateKey[:86], true, "private key"},
		{"a private key with a trailing newline is refused", testAPIKey, testPrivateKey[:87] + "\n", true, "private key"},
		{"a private key of 88 characters decoding to 66 bytes is refused", testAPIKey, testPrivateKey[:86] + "AA", true, "private key"},
		{"a private key with bad padding is refused", testAPIKey, testPrivateKey[:85] + "===", true, "private key"},
		{"a private key with a stray character is refused", testAPIKey, "*" + testPrivateKey[1:], true, "private key"},
		{"the keys swapped are refused", testPrivateKey, testAPIKey, true, "API key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := kraken.CheckKeyShape(tt.apiKey, tt.privateKey)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("CheckKeyShape error = %v, want error: %v", err, tt.wantErr)
			}
			if err == nil {
				return
			}
			if !errors.Is(err, kraken.ErrMalformedKey) {
				t.Errorf("error %v does not match ErrMalformedKey", err)
			}
			if !strings.Contains(err.Error(), tt.wantPart) {
				t.Errorf("error %q does not name the %s", err, tt.wantPart)
			}
			for _, v := range []string{tt.apiKey, tt.privateKey} {
				if len(v) > 8 && strings.Contains(err.Error(), v) {
					t.Errorf("error %q echoes a key", err)
				}
			}
		})
	}
}
