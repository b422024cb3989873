package krakentest

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Encoding is one way an exchange, or a proxy in front of it, may echo
// text back: an InjectFault fault can answer with a request's secrets
// encoded so, and Leak looks for them in every Encoding.
type Encoding struct {
	Name   string
	Encode func(string) string
}

// Encodings lists the forms an echo may give a secret: as is, form- and
// percent-escaped, base64 (standard and URL alphabets, with and without
// padding), hexadecimal (either case), JSON \u escapes (either case), \x
// escapes, HTML character references and a JSON escape of a JSON escape.
var Encodings = []Encoding{
	{"as is", func(s string) string { return s }},
	{"form-escaped", url.QueryEscape},
	{"every byte percent-escaped", func(s string) string { return escapeBytes(s, "%%%02X") }},
	{"base64", func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }},
	{"base64 without padding", func(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }},
	{"base64 URL alphabet", func(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }},
	{"base64 URL alphabet without padding", func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }},
	{"hex lower case", func(s string) string { return hex.EncodeToString([]byte(s)) }},
	{"hex upper case", func(s string) string { return strings.ToUpper(hex.EncodeToString([]byte(s))) }},
	{`\u escapes`, func(s string) string { return escapeRunes(s, `\u%04x`) }},
	{`\u escapes upper case`, func(s string) string { return escapeRunes(s, `\u%04X`) }},
	{`\x escapes`, func(s string) string { return escapeBytes(s, `\x%02x`) }},
	{"HTML character references", func(s string) string { return escapeCodePoints(s, "&#x%x;") }},
	{`\u escapes escaped again`, func(s string) string { return escapeRunes(s, `\\u%04x`) }},
	{"percent-escaped \\u escapes", func(s string) string { return url.QueryEscape(escapeRunes(s, `\u%04x`)) }},
}

// escapeBytes writes every byte of s in format.
func escapeBytes(s, format string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

// escapeRunes writes every character of s in format, as UTF-16 for
// characters outside the basic plane, as JSON does.
func escapeRunes(s, format string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xffff {
			r -= 0x10000
			fmt.Fprintf(&b, format, 0xd800+(r>>10))
			fmt.Fprintf(&b, format, 0xdc00+(r&0x3ff))
			continue
		}
		fmt.Fprintf(&b, format, r)
	}
	return b.String()
}

// escapeCodePoints writes every character of s in format, by its code
// point, as HTML does.
func escapeCodePoints(s, format string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, format, r)
	}
	return b.String()
}

// Dump returns the request as a verbose server or proxy writes it into an
// error: the request line, the headers (the API key among them) and the
// body (the 2FA code or password among it).
func (r FaultRequest) Dump() string {
	var b strings.Builder
	fmt.Fprintf(&b, "POST /0/private/%s HTTP/1.1\r\n", r.Method)
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(&b, "%s: %s\r\n", name, strings.Join(r.Header[name], ", "))
	}
	b.WriteString("\r\n")
	b.Write(r.Body)
	return b.String()
}

// OTP returns the request's otp field (the 2FA code or password), or "".
func (r FaultRequest) OTP() string {
	v, _ := url.ParseQuery(string(r.Body))
	return v.Get("otp")
}

// Leak returns how text holds secret, or "" when it does not: in any of
// Encodings, inside a base64 or hexadecimal run of text at any alignment
// (an echo of a whole request encoded at once), and, for a secret of 32
// characters or more, any 16 characters of it in a row, also once text's
// percent, \u, \x and HTML escapes are undone (a capped echo keeps only
// part of a long secret). Hexadecimal is
// matched in either case. It is written apart from the kraken package's
// scrubber, so a test that uses it does not grade the scrubber by itself.
func Leak(text, secret string) string {
	return leakOf(text, secret, true)
}

// Encoded returns how text holds the whole of secret, as Leak does, or ""
// when it does not; unlike Leak it does not count a part of a long secret.
func Encoded(text, secret string) string {
	return leakOf(text, secret, false)
}

func leakOf(text, secret string, pieces bool) string {
	if secret == "" {
		return ""
	}
	forms := make([]string, len(Encodings))
	for i, e := range Encodings {
		forms[i] = e.Encode(secret)
		if strings.HasPrefix(e.Name, "hex") {
			forms[i] = strings.ToLower(forms[i])
		}
	}
	return leak(text, secret, forms, pieces, 2)
}

// leak is Leak with the secret's forms worked out (hexadecimal ones in
// lower case) and a limit on how many encodings deep runs are decoded.
func leak(text, secret string, forms []string, pieces bool, depth int) string {
	if how := leakWhole(text, forms); how != "" {
		return how
	}
	if pieces {
		if how := leakPiece(text, secret); how != "" {
			return how
		}
	}
	if depth == 0 {
		return ""
	}
	return leakDecoded(text, secret, forms, pieces, depth)
}

// leakWhole returns the name of the encoding whose form of the secret text
// holds (hexadecimal ones in any case), or "".
func leakWhole(text string, forms []string) string {
	lower := strings.ToLower(text)
	for i, e := range Encodings {
		hay := text
		if strings.HasPrefix(e.Name, "hex") {
			hay = lower
		}
		if strings.Contains(hay, forms[i]) {
			return e.Name
		}
	}
	return ""
}

// leakPiece says where text (as it is, or with up to three levels of
// escapes undone) holds 16 characters of a secret of 32 or more, or "".
func leakPiece(text, secret string) string {
	if len(secret) < 32 {
		return ""
	}
	plain := text
	for range 3 {
		plain = unescape(plain)
	}
	for i := 0; i+16 <= len(secret); i++ {
		if strings.Contains(text, secret[i:i+16]) || strings.Contains(plain, secret[i:i+16]) {
			return fmt.Sprintf("16 characters of it (from %d)", i)
		}
	}
	return ""
}

// leakDecoded decodes the base64 and hexadecimal runs of text (at every
// alignment) and looks for the secret in them, one level less deep.
func leakDecoded(text, secret string, forms []string, pieces bool, depth int) string {
	for _, run := range base64Run.FindAllString(text, -1) {
		run = strings.NewReplacer("-", "+", "_", "/").Replace(strings.TrimRight(run, "="))
		for align := 0; align < 4 && align < len(run); align++ {
			part := run[align:]
			if len(part)%4 == 1 {
				part = part[:len(part)-1] // one character is no whole byte
			}
			if b, err := base64.RawStdEncoding.DecodeString(part); err == nil {
				if how := leak(string(b), secret, forms, pieces, depth-1); how != "" {
					return "base64 run holding it " + how
				}
			}
		}
	}
	for _, run := range hexRun.FindAllString(text, -1) {
		for align := 0; align < 2; align++ {
			part := run[align:]
			part = part[:len(part)-len(part)%2]
			if b, err := hex.DecodeString(part); err == nil {
				if how := leak(string(b), secret, forms, pieces, depth-1); how != "" {
					return "hex run holding it " + how
				}
			}
		}
	}
	return ""
}

// unescape undoes one level of percent, \u, \x and HTML hexadecimal
// escapes, and of backslash escapes of a backslash or a slash.
func unescape(s string) string {
	return escaped.ReplaceAllStringFunc(s, func(m string) string {
		switch {
		case m == `\\` || m == `\/`:
			return m[1:]
		case strings.HasPrefix(m, "&#x"):
			n, _ := strconv.ParseUint(m[3:len(m)-1], 16, 32)
			return string(rune(n))
		case strings.HasPrefix(m, `\u`):
			n, _ := strconv.ParseUint(m[2:], 16, 32)
			return string(rune(n))
		}
		n, _ := strconv.ParseUint(m[len(m)-2:], 16, 8) // %XX, \xXX
		return string([]byte{byte(n)})
	})
}

var (
	escaped   = regexp.MustCompile(`%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|&#x[0-9A-Fa-f]{1,6};|\\\\|\\/`)
	base64Run = regexp.MustCompile(`[A-Za-z0-9+/_-]{8,}=*`)
	hexRun    = regexp.MustCompile(`[0-9A-Fa-f]{8,}`)
)
