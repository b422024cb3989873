package kraken

import (
	"net/url"
	"sort"
	"strings"
)

// newScrubber returns a Replacer that removes the private key and the full
// API key from text that came from outside (transport errors, the exchange's
// messages), also in the escaped forms an echoing server or a URL would use.
// The API key is replaced by its shortened form, the private key by a mark.
func newScrubber(apiKey, privateKey string) *strings.Replacer {
	type pair struct{ old, new string }
	var pairs []pair
	add := func(secret, replacement string) {
		core := strings.TrimRight(secret, "=") // also catches the padded form
		for _, v := range []string{
			core,
			url.QueryEscape(core),
			url.PathEscape(core),
			strings.ReplaceAll(core, "/", `\/`),
			lowerEscapes.Replace(url.QueryEscape(core)),
		} {
			pairs = append(pairs, pair{v, replacement})
		}
	}
	add(privateKey, "[private key]")
	add(apiKey, shortKey(apiKey))
	// Longest first, so no variant is cut by a shorter one.
	sort.SliceStable(pairs, func(i, j int) bool { return len(pairs[i].old) > len(pairs[j].old) })
	args := make([]string, 0, 2*len(pairs))
	for _, p := range pairs {
		if p.old != "" {
			args = append(args, p.old, p.new)
		}
	}
	return strings.NewReplacer(args...)
}

// lowerEscapes writes the percent-escapes of base64's symbols in lower case.
var lowerEscapes = strings.NewReplacer("%2F", "%2f", "%2B", "%2b", "%3D", "%3d")

// shortKey returns the first characters of an API key, enough for a person
// to tell keys apart and too few to use it.
func shortKey(apiKey string) string {
	if len(apiKey) <= 8 {
		return "…"
	}
	return apiKey[:6] + "…"
}
