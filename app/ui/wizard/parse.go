package wizard

import (
	"encoding/base32"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pquerna/otp"
)

// problem is a message for the person using the wizard: plain words that
// say what is wrong and what to do, never repeating a secret.
type problem string

func (p problem) Error() string { return string(p) }

func problemf(format string, args ...any) error { return problem(fmt.Sprintf(format, args...)) }

// dateLayout is how the wizard writes and reads dates: YYYY-MM-DD, the one
// spelling no reader mistakes for another (03/04 is March or April).
const dateLayout = "2006-01-02"

// minSeedBytes is the shortest authenticator seed accepted: 16 base32
// characters, the shortest that authenticator apps hand out.
const minSeedBytes = 10

// cleanKey removes every space, tab and line break from a pasted key: base64
// has none, and copying from a web page often adds some.
func cleanKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// splitServices reads the used-by field: services separated by commas,
// trimmed, without empties or case-insensitive duplicates.
func splitServices(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		part = strings.Join(strings.Fields(part), " ")
		if part == "" || seen[strings.ToLower(part)] {
			continue
		}
		seen[strings.ToLower(part)] = true
		out = append(out, part)
	}
	return out
}

// parseIPList reads an IP allow-list written one entry a line or separated
// by commas: each entry an IP address or a CIDR range. It returns the
// entries in canonical form without duplicates; the error names the first
// bad entry in plain words.
func parseIPList(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, entry := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		canon, err := parseIPEntry(entry)
		if err != nil {
			return nil, err
		}
		if !seen[canon] {
			seen[canon] = true
			out = append(out, canon)
		}
	}
	return out, nil
}

func parseIPEntry(entry string) (string, error) {
	if strings.Contains(entry, "/") {
		p, err := netip.ParsePrefix(entry)
		if err != nil {
			return "", problemf("%q is not an IP range. Write a range as an address, a slash and a prefix length, such as 203.0.113.0/24 or 2001:db8::/48.", entry)
		}
		if p.Masked() != p {
			return "", problemf("%q is not the start of its range. Did you mean %s? For that one address alone, write %s.", entry, p.Masked(), p.Addr())
		}
		return p.String(), nil
	}
	a, err := netip.ParseAddr(entry)
	if err != nil || a.Zone() != "" {
		return "", problemf("%q is not an IP address. Write an address such as 203.0.113.7 or 2001:db8::7, or a range such as 203.0.113.0/24.", entry)
	}
	return a.String(), nil
}

// sameIPs reports whether two allow-lists allow the same addresses, counting
// a single address and its /32 (or /128) as the same entry.
func sameIPs(a, b []string) bool {
	sa, sb := ipSet(a), ipSet(b)
	if len(sa) != len(sb) {
		return false
	}
	for k := range sa {
		if !sb[k] {
			return false
		}
	}
	return true
}

// ipSet returns the allow-list as a set of canonical prefixes; entries it
// cannot read are kept as written.
func ipSet(list []string) map[string]bool {
	set := make(map[string]bool, len(list))
	for _, e := range list {
		set[canonicalPrefix(e)] = true
	}
	return set
}

func canonicalPrefix(e string) string {
	e = strings.TrimSpace(e)
	if p, err := netip.ParsePrefix(e); err == nil {
		if p.IsSingleIP() {
			return p.Addr().String()
		}
		return p.Masked().String()
	}
	if a, err := netip.ParseAddr(e); err == nil {
		return a.String()
	}
	return e
}

// onlyIn returns the entries of a that b does not allow, as written in a.
func onlyIn(a, b []string) []string {
	sb := ipSet(b)
	var out []string
	for _, e := range a {
		if !sb[canonicalPrefix(e)] {
			out = append(out, e)
		}
	}
	return out
}

// parseExpiry reads an expiry date written YYYY-MM-DD as the start of that
// day in loc. The date must be after today (today being the day of now in loc).
func parseExpiry(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, problem("Choose an expiry date, or tick \"No expiry\".")
	}
	d, err := time.ParseInLocation(dateLayout, s, loc)
	if err != nil {
		return time.Time{}, problemf("Write the date as year-month-day, for example %s.", now.In(loc).AddDate(0, 0, 90).Format(dateLayout))
	}
	if !d.After(startOfDay(now, loc)) {
		return time.Time{}, problem("The expiry date must be after today: a key that has expired does not work at all.")
	}
	return d, nil
}

// startOfDay returns midnight at the start of t's day in loc.
func startOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// lifetimeDays returns how many days a key made at created lives until
// expires, counted in calendar days in loc: a key made in the afternoon
// that expires at the start of the day 30 days later lives 30 days, not 29.
func lifetimeDays(created, expires time.Time, loc *time.Location) int {
	return int(startOfDay(expires, loc).Sub(startOfDay(created, loc)).Hours()/24 + 0.5)
}

// sameDay reports whether a and b fall on the same calendar day in loc.
func sameDay(a, b time.Time, loc *time.Location) bool {
	return startOfDay(a, loc).Equal(startOfDay(b, loc))
}

// parseNonceWindow reads the nonce window: a whole number, 0 or more; empty
// means 0.
func parseNonceWindow(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > math.MaxInt32 {
		return 0, problem("The nonce window is a whole number, 0 or more (0 means no window).")
	}
	return n, nil
}

// The problems parseOTPSeed reports: fixed sentences, never built from
// what was pasted, so that no part of a seed can reach the screen.
const (
	seedMissing   problem = "Paste the authenticator seed, or the otpauth:// link."
	seedBadLink   problem = "That otpauth:// link cannot be read. Copy it again, or paste the seed (the letters and digits) instead."
	seedHOTP      problem = "That link is for a counter-based (HOTP) authenticator, but Kraken uses time-based codes (TOTP). Copy the link Kraken showed when you turned on 2FA for the key."
	seedOddCodes  problem = "That link asks for codes Kraken does not use (not 6 digits every 30 seconds). Copy the link Kraken showed when you turned on 2FA for the key."
	seedNoSecret  problem = "That link holds no seed (no secret= part). Copy it again, or paste the seed itself."
	seedNotBase32 problem = "That is not an authenticator seed: a seed has only the letters A to Z and the digits 2 to 7. Paste the seed, or the otpauth:// link."
	seedTooShort  problem = "That seed is too short: authenticator seeds have at least 16 characters. Copy it again in full."
)

// parseOTPSeed reads an authenticator seed, pasted as base32 text (spaces
// and hyphens allowed, any case) or as an otpauth:// link, and returns the
// base32 seed alone: upper case, without padding. The error never repeats
// what was pasted.
func parseOTPSeed(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", seedMissing
	}
	if strings.HasPrefix(strings.ToLower(s), "otpauth:") {
		key, err := otp.NewKeyFromURL(s)
		if err != nil {
			return "", seedBadLink
		}
		switch {
		case strings.ToLower(key.Type()) != "totp":
			return "", seedHOTP
		case key.Algorithm() != otp.AlgorithmSHA1 || key.Digits() != otp.DigitsSix || key.Period() != 30:
			return "", seedOddCodes
		case key.Secret() == "":
			return "", seedNoSecret
		}
		s = key.Secret()
	}
	seed := strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, s))
	seed = strings.TrimRight(seed, "=")
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(seed)
	if err != nil {
		return "", seedNotBase32
	}
	if len(b) < minSeedBytes {
		return "", seedTooShort
	}
	return seed, nil
}
