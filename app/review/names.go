package review

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// genericName matches names that say nothing about where a key is used, once
// normalised to lower case with runs of spaces, dots and underscores turned
// into hyphens: the website's default "api-key-<milliseconds>", and the
// likes of "key", "API key 1", "my-api-key", "test2", "bot" or a bare number.
var genericName = regexp.MustCompile(`^(?:` +
	`(?:my-?|new-?|kraken-?)*(?:api-?)?key-?\d*` +
	`|(?:kraken-?)?api-?\d*` +
	`|(?:test|testing|temp|tmp|default|untitled|unnamed|new|kraken|secret|bot|trading|trade|foo|bar|asdf|qwerty|xxx|abc)-?\d*` +
	`|\d+` +
	`)$`)

var separators = regexp.MustCompile(`[\s._-]+`)

// LooksDefaultName reports whether a key name is the website's default
// ("api-key-1605316109249") or as generic ("key", "test", "api key 1"),
// or empty. A name that says where the key is used makes finding it on the
// website, and revoking it in a hurry, quick.
func LooksDefaultName(name string) bool {
	n := strings.Trim(separators.ReplaceAllString(strings.ToLower(name), "-"), "-")
	return n == "" || genericName.MatchString(n)
}

// maxServiceSlug bounds the service part of a suggested name.
const maxServiceSlug = 32

// SuggestName proposes a descriptive key name from the service that will
// use the key, its purpose and the month: "koinly-tax-import-2026-11". It
// is lower case letters, digits and single hyphens, and LooksDefaultName is
// false for it.
func SuggestName(service string, purpose vault.Purpose, now time.Time) string {
	var parts []string
	if s := slug(service, maxServiceSlug); s != "" {
		parts = append(parts, s)
	}
	switch purpose {
	case vault.PurposeCustom, "":
	case vault.PurposeDashboard:
		parts = append(parts, "dashboard")
	default:
		if s := slug(string(purpose), maxServiceSlug); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "kraken-key")
	}
	y, m := now.UTC().Year(), now.UTC().Month()
	y = min(max(y, 1), 9999)
	parts = append(parts, fmt.Sprintf("%04d-%02d", y, int(m)))
	return strings.Join(parts, "-")
}

// slug keeps ASCII letters and digits, lower-cased, with single hyphens in
// place of everything else, at most n bytes long.
func slug(s string, n int) string {
	var b strings.Builder
	hyphen := false
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(c)
		default:
			hyphen = true
		}
		if b.Len() >= n {
			break
		}
	}
	out := b.String()
	if len(out) > n {
		out = out[:n]
	}
	return strings.Trim(out, "-")
}
