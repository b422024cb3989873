package kraken

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuoted is how many characters of the exchange's own words (or of any
// text from outside) Keywarden shows or stores at most; longer text is cut
// and ends in "…". An answer of megabytes never reaches a screen or a file.
const MaxQuoted = 200

// Quote makes outside text safe to show or store: control characters
// (line breaks, terminal escapes) become spaces, and the text is cut to
// MaxQuoted characters. Remove secrets first (Scrub): a secret cut in two
// by the cap would no longer be recognised.
func Quote(s string) string { return Cap(s, MaxQuoted) }

// Cap is Quote with a limit of n characters.
func Cap(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n {
			break
		}
		count++
	}
	return s[:i] + "…"
}

// Scrub removes every secret from text, replacing each with "[redacted]":
// as is, and in every form an echo could give it (see scrubber). Empty
// secrets are ignored.
func Scrub(text string, secrets ...string) string {
	marks := make([]secretMark, 0, len(secrets))
	for _, s := range secrets {
		marks = append(marks, secretMark{s, "[redacted]"})
	}
	return newScrubberOf(marks).Replace(text)
}

// newScrubber returns a scrubber that removes the private key, the full
// API key and any 2FA codes or passwords from text that came from outside
// (transport errors, the exchange's messages). The API key is replaced by
// its shortened form, the others by a mark.
func newScrubber(apiKey, privateKey string, otps ...string) *scrubber {
	marks := []secretMark{{privateKey, "[private key]"}, {apiKey, shortKey(apiKey)}}
	for _, otp := range otps {
		marks = append(marks, secretMark{otp, "[2FA code]"})
	}
	return newScrubberOf(marks)
}

// shortKey returns the first characters of an API key, enough for a person
// to tell keys apart and too few to use it.
func shortKey(apiKey string) string {
	if len(apiKey) <= 8 {
		return "…"
	}
	return apiKey[:6] + "…"
}
