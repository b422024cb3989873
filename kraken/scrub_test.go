package kraken_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// scrubSeeds are secrets and the text around an echo of them.
var scrubSeeds = []struct{ secret, before, after string }{
	{`Sup3r secret/pw+"&=ü`, "EGeneral:Invalid arguments:", " (echo)"},
	{testAPIKey, "API-Key: ", "\r\n"},
	{testPrivateKey, "", ""},
	{"492039", "otp=", "&nonce=1772627060997"},
	{"hunter22", `{"otp":"`, `"}`},
	{"\U0001F600 emoji pw", "ab", "xyz"},
	{"secret", `\`, "%"},
}

func TestScrub_everyEncoding(t *testing.T) {
	for _, s := range scrubSeeds {
		for _, enc := range krakentest.Encodings {
			t.Run(enc.Name+" of "+s.secret, func(t *testing.T) {
				in := s.before + enc.Encode(s.secret) + s.after
				got := kraken.Scrub(in, s.secret)
				if how := krakentest.Encoded(got, s.secret); how != "" {
					t.Errorf("Scrub(%q) = %q still holds the secret (%s)", in, got, how)
				}
				if !strings.Contains(got, "[redacted]") {
					t.Errorf("Scrub(%q) = %q, want the secret marked as removed", in, got)
				}
			})
		}
	}
	t.Run("a request encoded whole, with the secret at any place", func(t *testing.T) {
		const pw = "correct horse"
		for pad := range 3 {
			req := strings.Repeat("x", pad) + "nonce=1&otp=" + strings.ReplaceAll(pw, " ", "+")
			for _, e := range []*base64.Encoding{base64.StdEncoding, base64.RawURLEncoding} {
				in := "echo: " + e.EncodeToString([]byte(req))
				if got := kraken.Scrub(in, pw); krakentest.Encoded(got, pw) != "" || got == in {
					t.Errorf("Scrub(%q) = %q", in, got)
				}
			}
		}
	})
	t.Run("text without the secret is kept as it is", func(t *testing.T) {
		for _, text := range []string{"EGeneral:Invalid arguments:volume", "query-closed-trades %41 \\u0041 &amp; deadbeefcafe", ""} {
			if got := kraken.Scrub(text, testAPIKey, testPrivateKey, "492039"); got != text {
				t.Errorf("Scrub(%q) = %q", text, got)
			}
		}
	})
}

// FuzzScrub checks that for any secret and any text around it, no
// encoding of the secret survives Scrub.
func FuzzScrub(f *testing.F) {
	for i, s := range scrubSeeds {
		f.Add(s.secret, s.before, s.after, uint8(i))
	}
	f.Fuzz(func(t *testing.T, secret, before, after string, which uint8) {
		// The secret is valid text of 6 bytes at least, as a 2FA code is.
		secret = strings.ToValidUTF8(secret, "?")
		for utf8.RuneCountInString(secret) < 6 || len(secret) < 6 {
			secret += "6"
		}
		enc := krakentest.Encodings[int(which)%len(krakentest.Encodings)]
		in := before + enc.Encode(secret) + after
		got := kraken.Scrub(in, secret)
		if how := krakentest.Encoded(got, secret); how != "" {
			t.Fatalf("Scrub(%q, %q) = %q still holds the secret (%s)", in, secret, got, how)
		}
	})
}

// BenchmarkScrub measures the scrubber on the exchange's largest answer
// (maxAnswer, 4 MiB) of several shapes, and on a usual short message.
func BenchmarkScrub(b *testing.B) {
	const size = 4 << 20
	shapes := []struct{ name, text string }{
		{"a short message", "EGeneral:Invalid arguments:volume minimum not met (" + testAPIKey + ")"},
		{"4 MiB of words", strings.Repeat("the exchange says something long ", size/33)},
		{"4 MiB base64 run", strings.Repeat("QUJD", size/4)},
		{"4 MiB of 12-character runs", strings.Repeat("QUJDREVGR0hJ ", size/13)},
		{"4 MiB of escapes", strings.Repeat(`\u0041%42&#x43;`, size/15)},
		{"4 MiB of base64 inside base64", strings.Repeat(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("QUJDREVGR0hJ", 4))), size/64)},
	}
	for _, s := range shapes {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(s.text)))
			for b.Loop() {
				kraken.Scrub(s.text, testAPIKey, testPrivateKey, `Sup3r secret/pw+"&=ü`)
			}
		})
	}
}
