package kraken

import (
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
	"unicode/utf16"
)

// A scrubber removes secrets from text that came from outside. An exchange
// or a proxy that echoes a request may write a secret in many ways, so it
// looks for each secret
//   - as is, with its spaces as "+" (a form body), form-escaped, and
//     without base64 padding;
//   - base64-encoded (standard or URL alphabet, with or without padding)
//     and hex-encoded (in either case);
//   - for a secret that is itself base64, as both Kraken keys are, its
//     decoded bytes in all of these forms;
//   - behind any mix of percent escapes, \uXXXX and \xNN escapes, backslash
//     escapes and HTML character references, up to maxRounds levels deep;
//   - inside a run of base64 or hexadecimal characters that decodes, at
//     any alignment, to text holding a secret (an echo of a whole request
//     encoded at once), up to maxDepth encodings deep: the whole run goes.
//
// Each finding is replaced by its secret's mark. When what is left still
// holds a secret (a remnant next to a mark spelling one again), the text is
// withheld whole: it fails closed. Only the first maxScrubbed bytes of a
// text are looked at (see Replace).
type scrubber struct {
	forms []form
}

// secretMark is a secret and what it is replaced by.
type secretMark struct{ secret, mark string }

// form is one way a secret can be written.
type form struct {
	text string
	fold bool // hexadecimal: matched in either case (text is lower case)
	mark string
}

const (
	// maxRounds is how many levels of escapes are undone, one per round:
	// a JSON escape inside a percent escape is two.
	maxRounds = 3
	// maxDepth is how many encodings inside encodings are decoded: base64
	// of a request holding the base64 of a key is two.
	maxDepth = 2
	// minRun is the shortest base64 or hexadecimal run that is decoded. A
	// shorter one holds at most 6 bytes, and a secret that short is caught
	// by its own encoded forms.
	minRun = 8
	// minDecodedSecret is how many bytes a base64 secret must decode to
	// for those bytes to count as a form of it: both Kraken keys do (42 and
	// 64 bytes); a short password that happens to be base64 does not.
	minDecodedSecret = 16
)

const (
	// maxScrubbed is how much of a text Replace looks at; the rest is
	// dropped. Every caller keeps far less (MaxQuoted, a Readback's
	// MaxProblem), and decoding every run of megabytes would take seconds.
	maxScrubbed = 16 << 10
	// cutTail is how much more of a text cut at maxScrubbed Replace drops
	// after scrubbing: a secret cut in two by the limit is not recognised,
	// and its first part lies in the last bytes. It exceeds the longest
	// form of a Kraken key the scrubber undoes (the private key's 88
	// characters as percent-escaped \u escapes are 704 bytes).
	cutTail = 4 << 10
)

// withheld replaces a whole text that still held a secret after scrubbing.
const withheld = "[text withheld: it held a secret]"

// newScrubberOf returns a scrubber of every form of every secret; empty
// secrets are ignored.
func newScrubberOf(marks []secretMark) *scrubber {
	s := &scrubber{}
	seen := make(map[form]bool)
	for _, m := range marks {
		for _, f := range secretForms(m.secret) {
			if f.text == "" || seen[f] {
				continue
			}
			seen[f] = true
			f.mark = m.mark
			s.forms = append(s.forms, f)
		}
	}
	return s
}

// secretForms returns the literal ways a secret can be written; escapes
// and encodings of longer texts are found by scrubber.find.
func secretForms(secret string) []form {
	if secret == "" {
		return nil
	}
	raws := []string{secret}
	if b, err := base64.StdEncoding.DecodeString(secret); err == nil && len(b) >= minDecodedSecret {
		raws = append(raws, string(b))
	}
	var out []form
	for _, s := range raws {
		b := []byte(s)
		out = append(out,
			form{text: s},
			form{text: strings.TrimRight(s, "=")},
			form{text: strings.ReplaceAll(s, " ", "+")},
			form{text: url.QueryEscape(s)},
			form{text: base64.StdEncoding.EncodeToString(b)},
			form{text: base64.RawStdEncoding.EncodeToString(b)},
			form{text: base64.URLEncoding.EncodeToString(b)},
			form{text: base64.RawURLEncoding.EncodeToString(b)},
			form{text: hex.EncodeToString(b), fold: true},
		)
	}
	return out
}

// Replace returns text with every secret replaced by its mark, or a fixed
// note when no replacement can leave it free of secrets. A text longer
// than maxScrubbed is cut there, and after scrubbing its last cutTail bytes
// are dropped too; "…" ends it.
func (s *scrubber) Replace(text string) string {
	if s == nil || len(s.forms) == 0 || text == "" {
		return text
	}
	cut := len(text) > maxScrubbed
	if cut {
		text = text[:maxScrubbed]
	}
	out := redact(text, s.find(text, maxDepth, false))
	if cut {
		out = out[:max(0, len(out)-cutTail)] + "…"
	}
	if !s.holds(out) {
		return out
	}
	if !s.holds(withheld) {
		return withheld
	}
	return ""
}

// holds reports whether text holds a secret in any form.
func (s *scrubber) holds(text string) bool {
	return len(s.find(text, maxDepth, true)) > 0
}

// span is a part of a text, [from, to) in bytes, to replace by mark.
type span struct {
	from, to int
	mark     string
}

// find returns the parts of text that hold a secret; with first, it stops
// at the first. depth is how many encodings deep runs are decoded.
func (s *scrubber) find(text string, depth int, first bool) []span {
	var spans []span
	v := view{text: text}
	for round := 0; ; round++ {
		spans = s.findForms(v, spans)
		if depth > 0 && !(first && len(spans) > 0) {
			spans = s.findRuns(v, depth, first, spans)
		}
		if (first && len(spans) > 0) || round == maxRounds {
			return spans
		}
		next, ok := v.unescape()
		if !ok {
			return spans
		}
		v = next
	}
}

// findForms appends where the view holds a form of a secret.
func (s *scrubber) findForms(v view, spans []span) []span {
	lower := ""
	for _, f := range s.forms {
		hay := v.text
		if f.fold {
			if lower == "" {
				lower = asciiLower(v.text)
			}
			hay = lower
		}
		for at := 0; ; {
			i := strings.Index(hay[at:], f.text)
			if i < 0 {
				break
			}
			i += at
			spans = append(spans, v.span(i, i+len(f.text), f.mark))
			at = i + 1
		}
	}
	return spans
}

// findRuns appends the base64 and hexadecimal runs of the view that decode
// to text holding a secret.
func (s *scrubber) findRuns(v view, depth int, first bool, spans []span) []span {
	for _, kind := range []struct {
		in     func(byte) bool
		decode func(run string) []string
	}{{isBase64Char, decodeBase64Run}, {isHexChar, decodeHexRun}} {
		t := v.text
		for i := 0; i < len(t); {
			if !kind.in(t[i]) {
				i++
				continue
			}
			j := i
			for j < len(t) && kind.in(t[j]) {
				j++
			}
			end := j
			for end < len(t) && t[end] == '=' {
				end++ // padding goes with its run
			}
			if j-i >= minRun {
				for _, plain := range kind.decode(t[i:j]) {
					if found := s.find(plain, depth-1, true); len(found) > 0 {
						spans = append(spans, v.span(i, end, found[0].mark))
						if first {
							return spans
						}
						break
					}
				}
			}
			i = end
		}
	}
	return spans
}

// decodeBase64Run decodes a run of either base64 alphabet from each of
// the four places a 3-byte group can start: a run may begin with a few
// characters that belong to no group (text glued in front).
func decodeBase64Run(run string) []string {
	run = strings.Map(func(r rune) rune {
		switch r {
		case '-':
			return '+'
		case '_':
			return '/'
		}
		return r
	}, run)
	var out []string
	for align := 0; align < 4 && align < len(run); align++ {
		part := run[align:]
		if len(part)%4 == 1 {
			part = part[:len(part)-1] // one character is no whole byte
		}
		if b, err := base64.RawStdEncoding.DecodeString(part); err == nil {
			out = append(out, string(b))
		}
	}
	return out
}

// decodeHexRun decodes a hexadecimal run from both places a byte can start.
func decodeHexRun(run string) []string {
	var out []string
	for align := 0; align < 2; align++ {
		part := run[align:]
		part = part[:len(part)-len(part)%2]
		if b, err := hex.DecodeString(part); err == nil {
			out = append(out, string(b))
		}
	}
	return out
}

func isBase64Char(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_'
}

func isHexChar(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// asciiLower lowers ASCII letters only, so every byte keeps its place.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// redact replaces each span of text by its mark; overlapping spans become
// one, with the mark of the one that starts first.
func redact(text string, spans []span) string {
	if len(spans) == 0 {
		return text
	}
	sort.Slice(spans, func(a, b int) bool {
		if spans[a].from != spans[b].from {
			return spans[a].from < spans[b].from
		}
		return spans[a].to > spans[b].to
	})
	var b strings.Builder
	last := 0
	for k := 0; k < len(spans); {
		cur := spans[k]
		for k++; k < len(spans) && spans[k].from < cur.to; k++ {
			cur.to = max(cur.to, spans[k].to)
		}
		b.WriteString(text[last:cur.from])
		b.WriteString(cur.mark)
		last = cur.to
	}
	b.WriteString(text[last:])
	return b.String()
}

// A view is a text with some escapes undone, and for each of its bytes the
// bytes of the original text it stands for, so a secret found in the view
// is removed from the original.
type view struct {
	text     string
	from, to []int // nil: text is the original
}

// span returns the part of the original behind the view's bytes [i, j).
func (v view) span(i, j int, mark string) span {
	if v.from == nil {
		return span{i, j, mark}
	}
	return span{v.from[i], v.to[j-1], mark}
}

// unescape returns the view with one level of escapes undone, or false
// when it has none.
func (v view) unescape() (view, bool) {
	t := v.text
	if !strings.ContainsAny(t, `%\&`) {
		return v, false
	}
	var b strings.Builder
	from := make([]int, 0, len(t))
	to := make([]int, 0, len(t))
	changed := false
	for i := 0; i < len(t); {
		plain, n := unescapeAt(t, i)
		if n == 0 {
			plain, n = t[i:i+1], 1
		} else {
			changed = true
		}
		sp := v.span(i, i+n, "")
		for range len(plain) {
			from = append(from, sp.from)
			to = append(to, sp.to)
		}
		b.WriteString(plain)
		i += n
	}
	if !changed {
		return v, false
	}
	return view{text: b.String(), from: from, to: to}, true
}

// unescapeAt undoes the escape starting at t[i] and returns what it stands
// for and its length, or 0 when none starts there: %XX, \uXXXX (a UTF-16
// pair as one character), \xNN, a backslash before \ / " ' or n r t, and
// HTML character references (&#N; &#xN; &amp; &lt; &gt; &quot; &apos;).
func unescapeAt(t string, i int) (string, int) {
	switch t[i] {
	case '%':
		if n, ok := hexValue(t, i+1, 2); ok {
			return string([]byte{byte(n)}), 3
		}
	case '\\':
		if i+1 >= len(t) {
			return "", 0
		}
		switch c := t[i+1]; c {
		case 'u':
			r, ok := hexValue(t, i+2, 4)
			if !ok {
				return "", 0
			}
			if utf16.IsSurrogate(rune(r)) && strings.HasPrefix(t[i+6:], `\u`) {
				if r2, ok := hexValue(t, i+8, 4); ok {
					if pair := utf16.DecodeRune(rune(r), rune(r2)); pair != '\uFFFD' {
						return string(pair), 12
					}
				}
			}
			return string(rune(r)), 6
		case 'x':
			if n, ok := hexValue(t, i+2, 2); ok {
				return string([]byte{byte(n)}), 4
			}
		case '\\', '/', '"', '\'':
			return string(c), 2
		case 'n':
			return "\n", 2
		case 'r':
			return "\r", 2
		case 't':
			return "\t", 2
		}
	case '&':
		return unescapeEntity(t, i)
	}
	return "", 0
}

// unescapeEntity undoes an HTML character reference at t[i].
func unescapeEntity(t string, i int) (string, int) {
	rest := t[i:]
	for _, e := range namedEntities {
		if strings.HasPrefix(rest, e.name) {
			return e.plain, len(e.name)
		}
	}
	if !strings.HasPrefix(rest, "&#") {
		return "", 0
	}
	end := strings.IndexByte(rest, ';')
	if end < 3 || end > 10 {
		return "", 0
	}
	digits, base := rest[2:end], 10
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	n := 0
	for k := 0; k < len(digits); k++ {
		d := digitValue(digits[k])
		if d < 0 || d >= base {
			return "", 0
		}
		n = n*base + d
	}
	if digits == "" || n > 0x10FFFF {
		return "", 0
	}
	return string(rune(n)), end + 1
}

var namedEntities = []struct{ name, plain string }{
	{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", `"`}, {"&apos;", "'"},
}

// hexValue reads n hexadecimal digits at t[i].
func hexValue(t string, i, n int) (int, bool) {
	if i < 0 || i+n > len(t) {
		return 0, false
	}
	v := 0
	for k := i; k < i+n; k++ {
		d := digitValue(t[k])
		if d < 0 || d >= 16 {
			return 0, false
		}
		v = v*16 + d
	}
	return v, true
}

// digitValue returns the value of a decimal or hexadecimal digit, or -1.
func digitValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// minOpaque is the shortest run of base64 or hexadecimal characters that
// dropOpaque removes: longer than any word of the exchange's error strings
// (KnownErrors), shorter than any encoding of a Kraken key.
const minOpaque = 16

// opaqueMark replaces a run dropOpaque removes.
const opaqueMark = "[long code removed]"

// dropOpaque removes from the exchange's words every run of minOpaque or
// more characters of the base64 alphabets (hexadecimal digits among them),
// also where escapes hide one (up to maxRounds levels): whatever a run
// encodes, Keywarden has no use for it, and it may be a secret in a form
// the scrubber does not know, or one cut short by the cap.
func dropOpaque(text string) string {
	var spans []span
	v := view{text: text}
	for round := 0; ; round++ {
		t := v.text
		for i := 0; i < len(t); {
			if !isBase64Char(t[i]) {
				i++
				continue
			}
			j := i
			for j < len(t) && isBase64Char(t[j]) {
				j++
			}
			end := j
			for end < len(t) && t[end] == '=' {
				end++
			}
			if j-i >= minOpaque {
				spans = append(spans, v.span(i, end, opaqueMark))
			}
			i = end
		}
		next, ok := v.unescape()
		if round == maxRounds || !ok {
			return redact(text, spans)
		}
		v = next
	}
}
