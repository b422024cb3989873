package kraken

import (
	"net/url"
	"sort"
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

// Scrub removes every secret from text, also in the escaped forms a form
// body, a URL or a JSON echo would give it, replacing each with
// "[redacted]". Empty secrets are ignored.
func Scrub(text string, secrets ...string) string {
	marks := make([]secretMark, 0, len(secrets))
	for _, s := range secrets {
		marks = append(marks, secretMark{s, "[redacted]"})
	}
	return newReplacer(marks).Replace(text)
}

// secretMark is a secret and what it is replaced by.
type secretMark struct{ secret, mark string }

// newScrubber returns a Replacer that removes the private key, the full API
// key and any 2FA codes or passwords from text that came from outside
// (transport errors, the exchange's messages). The API key is replaced by
// its shortened form, the others by a mark.
func newScrubber(apiKey, privateKey string, otps ...string) *strings.Replacer {
	marks := []secretMark{{privateKey, "[private key]"}, {apiKey, shortKey(apiKey)}}
	for _, otp := range otps {
		marks = append(marks, secretMark{otp, "[2FA code]"})
	}
	return newReplacer(marks)
}

// newReplacer replaces every form of every secret by its mark.
func newReplacer(marks []secretMark) *strings.Replacer {
	type pair struct{ old, new string }
	var pairs []pair
	for _, m := range marks {
		for _, v := range secretForms(m.secret) {
			pairs = append(pairs, pair{v, m.mark})
		}
	}
	// Longest first, so no form is cut by a shorter one.
	sort.SliceStable(pairs, func(i, j int) bool { return len(pairs[i].old) > len(pairs[j].old) })
	args := make([]string, 0, 2*len(pairs))
	for _, p := range pairs {
		args = append(args, p.old, p.new)
	}
	return strings.NewReplacer(args...)
}

// secretForms returns the ways a secret can appear in echoed text: as is,
// without base64 padding, form- and path-escaped (in either case of
// hexadecimal), and JSON-escaped. Empty forms are left out.
func secretForms(secret string) []string {
	if secret == "" {
		return nil
	}
	var forms []string
	for _, s := range []string{secret, strings.TrimRight(secret, "=")} {
		q := url.QueryEscape(s)
		js := string(jsonString(s))
		js = js[1 : len(js)-1]
		forms = append(forms, s, q, lowerEscapes(q), url.PathEscape(s), lowerEscapes(url.PathEscape(s)),
			strings.ReplaceAll(s, "/", `\/`), js, strings.ReplaceAll(js, "/", `\/`))
	}
	out := forms[:0]
	seen := make(map[string]bool)
	for _, f := range forms {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// lowerEscapes writes the hexadecimal digits of percent-escapes in lower case.
func lowerEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1] = toLowerASCII(b[i+1])
			b[i+2] = toLowerASCII(b[i+2])
		}
	}
	return string(b)
}

func toLowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// shortKey returns the first characters of an API key, enough for a person
// to tell keys apart and too few to use it.
func shortKey(apiKey string) string {
	if len(apiKey) <= 8 {
		return "…"
	}
	return apiKey[:6] + "…"
}
