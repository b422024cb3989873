package kraken_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func TestNonceScaleOf(t *testing.T) {
	tests := []struct {
		nonce  string
		want   kraken.NonceScale
		wantOK bool
	}{
		{"1772627060997", kraken.NonceMilliseconds, true},
		{"1772627060997123", kraken.NonceMicroseconds, true},
		{"1772627060997123456", kraken.NonceNanoseconds, true},
		{" 1772627060997 ", kraken.NonceMilliseconds, true},
		{"0", "", false},
		{"", "", false},
		{"42", "", false},
		{"17726270609971", "", false},
		{"-1772627060997", "", false},
		{"1772627060997x", "", false},
	}
	for _, tt := range tests {
		got, ok := kraken.NonceScaleOf(tt.nonce)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("NonceScaleOf(%q) = %q, %v; want %q, %v", tt.nonce, got, ok, tt.want, tt.wantOK)
		}
	}
	t.Run("KeyInfo tells the scale of its nonce", func(t *testing.T) {
		info := &kraken.KeyInfo{Nonce: 1772627060997123456}
		if got, ok := info.NonceScale(); got != kraken.NonceNanoseconds || !ok {
			t.Errorf("NonceScale = %q, %v; want ns", got, ok)
		}
	})
}

func TestParseNonceScale(t *testing.T) {
	tests := []struct {
		in   string
		want kraken.NonceScale
	}{
		{"ms", kraken.NonceMilliseconds}, {"Milliseconds", kraken.NonceMilliseconds}, {"13", kraken.NonceMilliseconds},
		{"us", kraken.NonceMicroseconds}, {"µs", kraken.NonceMicroseconds}, {" micro ", kraken.NonceMicroseconds}, {"16", kraken.NonceMicroseconds},
		{"ns", kraken.NonceNanoseconds}, {"nanoseconds", kraken.NonceNanoseconds}, {"19", kraken.NonceNanoseconds},
	}
	for _, tt := range tests {
		if got, err := kraken.ParseNonceScale(tt.in); got != tt.want || err != nil {
			t.Errorf("ParseNonceScale(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "s", "seconds", "14", "ps"} {
		if _, err := kraken.ParseNonceScale(bad); !errors.Is(err, kraken.ErrBadNonceScale) {
			t.Errorf("ParseNonceScale(%q) error = %v, want ErrBadNonceScale", bad, err)
		}
	}
}

func TestNonceScale(t *testing.T) {
	tests := []struct {
		scale  kraken.NonceScale
		digits int
		rank   int
		words  string
	}{
		{"", 13, 0, "milliseconds (13 digits)"},
		{kraken.NonceMilliseconds, 13, 0, "milliseconds (13 digits)"},
		{kraken.NonceMicroseconds, 16, 1, "microseconds (16 digits)"},
		{kraken.NonceNanoseconds, 19, 2, "nanoseconds (19 digits)"},
	}
	for _, tt := range tests {
		t.Run("scale "+string(tt.scale.OrDefault())+" reads "+tt.words, func(t *testing.T) {
			if !tt.scale.Valid() || tt.scale.Digits() != tt.digits || tt.scale.Rank() != tt.rank || tt.scale.String() != tt.words {
				t.Errorf("%q: valid %v, digits %d, rank %d, %q", tt.scale, tt.scale.Valid(), tt.scale.Digits(), tt.scale.Rank(), tt.scale.String())
			}
		})
	}
	if kraken.NonceScale("s").Valid() {
		t.Error(`NonceScale("s").Valid() = true`)
	}
}

func TestClient_nonceScale(t *testing.T) {
	for _, scale := range []kraken.NonceScale{"", kraken.NonceMilliseconds, kraken.NonceMicroseconds, kraken.NonceNanoseconds} {
		t.Run("a Client of scale "+scale.OrDefault().String()+" sends nonces of that many digits", func(t *testing.T) {
			ex := newFakeExchange(t, func(request) (int, string) { return ok(documentedKeyInfo) })
			c := newTestClient(t, ex, kraken.WithNonceScale(scale))
			if c.NonceScale() != scale.OrDefault() {
				t.Errorf("NonceScale() = %q, want %q", c.NonceScale(), scale.OrDefault())
			}
			for range 3 {
				if _, err := c.APIKeyInfo(t.Context(), ""); err != nil {
					t.Fatal(err)
				}
			}
			for _, r := range ex.Requests() {
				if got, ok := kraken.NonceScaleOf(strconv.FormatInt(r.Nonce, 10)); !ok || got != scale.OrDefault() || !r.SignatureOK {
					t.Errorf("nonce %d (signature ok: %v), want %s", r.Nonce, r.SignatureOK, scale.OrDefault())
				}
			}
		})
	}
	t.Run("an unknown scale is refused", func(t *testing.T) {
		_, err := kraken.NewClient(testAPIKey, testPrivateKey, kraken.WithNonceScale("s"))
		if !errors.Is(err, kraken.ErrBadNonceScale) {
			t.Errorf("NewClient error = %v, want ErrBadNonceScale", err)
		}
	})
}

func TestIntegration_nonceScale(t *testing.T) {
	ex, clock := newSimulation(t)
	k := ex.AddKey(krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds}})
	// A Go bot using the key sends nanosecond nonces.
	peer := strconv.FormatInt(time.Now().UnixNano(), 10)
	if errs, err := krakentest.PeerCall(t.Context(), ex.URL(), k, krakentest.PeerRequest{Method: "Balance", Nonce: peer}); err != nil || len(errs) != 0 {
		t.Fatalf("the bot's call: %q, %v", errs, err)
	}

	_, err := simulatedClient(t, ex, clock, k).APIKeyInfo(t.Context(), "")
	if !errors.Is(err, kraken.ErrInvalidNonce) {
		t.Fatalf("a millisecond call after it: %v, want ErrInvalidNonce", err)
	}
	info, err := simulatedClient(t, ex, clock, k, kraken.WithNonceScale(kraken.NonceNanoseconds)).APIKeyInfo(t.Context(), "")
	if err != nil {
		t.Fatalf("a nanosecond call: %v", err)
	}
	if scale, ok := info.NonceScale(); !ok || scale != kraken.NonceNanoseconds {
		t.Errorf("the key's nonce reads as %q, %v; want nanoseconds", scale, ok)
	}
}
