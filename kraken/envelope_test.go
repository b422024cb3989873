package kraken

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestEncodeBody(t *testing.T) {
	tests := []struct {
		name   string
		nonce  int64
		otp    string
		params []param
		want   string
	}{
		{"a bare call carries only the nonce", 1772627060997, "", nil, `nonce=1772627060997`},
		{"an otp follows the nonce", 1772627060997, "123456", nil, `nonce=1772627060997&otp=123456`},
		{"an otp is form-escaped", 1, `a"b\c &=+`, nil, `nonce=1&otp=a%22b%5Cc+%26%3D%2B`},
		{"parameters keep their order", 2, "", []param{{"pair", "XBTUSD"}, {"validate", true}}, `nonce=2&pair=XBTUSD&validate=true`},
		{"a nanosecond nonce is written whole", 1772627060997123456, "", nil, `nonce=1772627060997123456`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(encodeBody(tt.nonce, tt.otp, tt.params))
			if got != tt.want {
				t.Errorf("encodeBody = %s, want %s", got, tt.want)
			}
			values, err := url.ParseQuery(got)
			if err != nil || values.Get("otp") != tt.otp {
				t.Errorf("the body reads back otp %q (%v), want %q", values.Get("otp"), err, tt.otp)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		msg  string
		want time.Time
	}{
		{"EService: Throttled: 1772627100", time.Unix(1772627100, 0)},
		{"EService:Throttled:1772627100", time.Unix(1772627100, 0)},
		{"EService: Throttled", time.Time{}},
		{"EService: Throttled: soon", time.Time{}},
		{"EService: Throttled: -5", time.Time{}},
		{"EService: Throttled: 99999999999999", time.Time{}},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.msg); !got.Equal(tt.want) {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.msg, got, tt.want)
		}
	}
}

func TestNewScrubber(t *testing.T) {
	const apiKey = "4/SDrDBcOOPnm3nPlNfEMMJDeRcIVqPz+QhRxIodyZbI9po/aVRiHsgX"
	const privateKey = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="
	s := newScrubber(apiKey, privateKey)
	tests := []struct {
		name, in string
	}{
		{"the private key", "x " + privateKey + " y"},
		{"the private key without padding", strings.TrimRight(privateKey, "=")},
		{"the private key JSON-escaped", strings.ReplaceAll(privateKey, "/", `\/`)},
		{"the private key URL-escaped", strings.NewReplacer("/", "%2F", "+", "%2B", "=", "%3D").Replace(privateKey)},
		{"the private key URL-escaped in lower case", strings.NewReplacer("/", "%2f", "+", "%2b", "=", "%3d").Replace(privateKey)},
		{"the API key", "key=" + apiKey},
		{"the API key path-escaped", strings.ReplaceAll(apiKey, "/", "%2F")},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is removed", func(t *testing.T) {
			got := s.Replace(tt.in)
			for _, secret := range []string{strings.TrimRight(privateKey, "="), apiKey} {
				if strings.Contains(got, secret) {
					t.Errorf("Replace(%q) = %q still holds a key", tt.in, got)
				}
			}
			if got == tt.in {
				t.Errorf("Replace(%q) changed nothing", tt.in)
			}
		})
	}
}

func FuzzParseEnvelope(f *testing.F) {
	for _, seed := range []string{
		`{"error":[],"result":{"a":1}}`,
		`{"error":["EAPI:Invalid key"]}`,
		`{"error":["EService: Throttled: 1772627100"]}`,
		`{"error":["EFoo:x","EGeneral:Permission denied"],"result":{}}`,
		`{"error":[]}`, `{"result":null}`, `[]`, `null`, ``, `{"error":[1]}`,
		`{"error":["a","b","c","d","EAPI:Invalid key"]}`, `{"error":["EGeneral:Invalid arguments:\u001b[2J\n"]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		result, err := parseEnvelope("Balance", data, func(s string) string { return s })
		var apiErr *APIError
		switch {
		case err == nil:
			if len(result) == 0 {
				t.Fatal("success without a result")
			}
		case errors.As(err, &apiErr):
			if len(apiErr.Messages) == 0 || len(apiErr.Messages) > maxMessages+1 {
				t.Fatalf("APIError with %d messages", len(apiErr.Messages))
			}
			truncated := strings.HasPrefix(apiErr.Messages[len(apiErr.Messages)-1], "and ")
			if k := apiErr.Unwrap(); k != nil && !truncated {
				found := false
				for _, m := range apiErr.Messages {
					if classify(m) == k {
						found = true
						break
					}
				}
				if !found {
					t.Fatalf("kind %v matches none of %q", k, apiErr.Messages)
				}
			}
			for _, m := range apiErr.Messages {
				if len([]rune(m)) > MaxQuoted+1 || strings.ContainsAny(m, "\x00\n\r\x1b") {
					t.Fatalf("message %q is not capped and clean", m)
				}
			}
		case !errors.Is(err, ErrBadResponse):
			t.Fatalf("error %v is neither an APIError nor ErrBadResponse", err)
		}
	})
}
