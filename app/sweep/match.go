package sweep

import (
	"cmp"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strings"
)

// Lengths of the parts of a Kraken key (kraken/shape.go): an API key is 56
// base64 characters; a private key 88, of which the last two are "=" padding,
// decoding to 64 bytes.
const (
	apiKeyLen      = 56
	privateKeyCore = 86 // the private key without its padding
	privateKeySize = 64
)

// The byte classes of the scanner.
const (
	clsOther  = iota
	clsB64    // A–Z a–z 0–9 + /
	clsPad    // =
	clsEscape // \ or %: may start an escaped base64 character
	clsLF     // a line break
)

var class = func() (t [256]uint8) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = clsB64
		t[c+'a'-'A'] = clsB64
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = clsB64
	}
	t['+'], t['/'] = clsB64, clsB64
	t['='] = clsPad
	t['\\'], t['%'] = clsEscape, clsEscape
	t['\n'] = clsLF
	return t
}()

// form is one stored key's API key or private key, as the matcher knows it.
type form struct {
	key  int // index into the keys
	part Part
	// how is the encoding of the value this entry stands for (FormBase64,
	// FormHex), "" for the value itself.
	how Form
}

// matcher finds every stored key's parts, and Kraken-shaped values, in a
// document in one pass: it reads base64 runs (undoing JSON and URL
// escapes), looks each run up in a map of every stored value, and keeps
// runs of exactly a key's length as candidates for keys not in the vault.
type matcher struct {
	forms map[string]form
	// filter has a bit set for the first four bytes of every stored value
	// (hashed), so a long run is slid over cheaply.
	filter [1 << 10]uint64
	minLen int
	maxLen int
	lens   []int // the lengths of the stored values, each once
}

func newMatcher(keys []Key) *matcher {
	m := &matcher{forms: map[string]form{}, minLen: apiKeyLen}
	add := func(v string, f form) {
		v = strings.TrimRight(strings.TrimSpace(v), "=")
		if len(v) < 16 { // not a key: it would match everywhere
			return
		}
		if _, dup := m.forms[v]; dup {
			return
		}
		m.forms[v] = f
		m.filter[prefixHash([]byte(v))>>6&(1<<10-1)] |= 1 << (prefixHash([]byte(v)) & 63)
		m.minLen, m.maxLen = min(m.minLen, len(v)), max(m.maxLen, len(v))
		if !slices.Contains(m.lens, len(v)) {
			m.lens = append(m.lens, len(v))
		}
	}
	for i, k := range keys {
		for _, p := range []struct {
			part Part
			v    string
		}{{PartAPIKey, k.APIKey}, {PartPrivateKey, k.PrivateKey}} {
			add(p.v, form{i, p.part, ""})
			for _, e := range encodings(p.v) {
				add(e.text, form{i, p.part, e.how})
			}
		}
	}
	return m
}

// encoded is a stored value written in another encoding.
type encoded struct {
	text string
	how  Form
}

// encodings returns what a value looks like when a program encodes it
// again: base64 of the value's text (a Kubernetes Secret's data:, a
// config written as base64), from each of the three places in a base64
// group it can start at, so a value encoded inside a longer text (a whole
// .env) is found too; and the bytes the value stands for as hex, lower
// and upper case (a debug log of the 64-byte private key). Each is the
// part every such encoding has in common, without padding.
func encodings(v string) []encoded {
	core := strings.TrimRight(strings.TrimSpace(v), "=")
	if len(core) < 16 {
		return nil
	}
	var out []encoded
	for skip := range 3 {
		b := []byte(core[skip:])
		out = append(out, encoded{base64.StdEncoding.EncodeToString(b[:len(b)/3*3]), FormBase64})
	}
	if raw, err := base64.RawStdEncoding.DecodeString(core); err == nil && len(raw) >= 16 {
		h := hex.EncodeToString(raw)
		out = append(out, encoded{h, FormHex}, encoded{strings.ToUpper(h), FormHex})
	}
	return out
}

func prefixHash(b []byte) uint32 {
	return binary.LittleEndian.Uint32(b) * 0x9E3779B1 >> 16
}

func (m *matcher) maybe(b []byte) bool {
	h := prefixHash(b)
	return m.filter[h>>6&(1<<10-1)]&(1<<(h&63)) != 0
}

// found is one value found in a document.
type found struct {
	key   int // index of the stored key; -1 for a key not in the vault
	part  Part
	value string // the value, for a key not in the vault only
	line  int
	off   int // where its run starts in the document
	form  Form
}

// scanner holds one worker's buffers.
type scanner struct {
	m    *matcher
	run  []byte
	join []byte
}

// wrapMin is the shortest run at a line's end that may be the first piece
// of a wrapped value; maxWrapPieces the most lines a value is joined from.
const (
	wrapMin       = 8
	maxWrapPieces = 8
)

// scan returns what the document holds: stored values anywhere in a
// base64 run, and runs shaped like a Kraken API key or private key.
func (s *scanner) scan(doc []byte) []found {
	var out []found
	line := 1
	n := len(doc)
	for i := 0; i < n; {
		switch class[doc[i]] {
		case clsLF:
			line++
			i++
			continue
		case clsOther, clsPad:
			i++
			continue
		}
		start := i
		j := i
		for j < n && class[doc[j]] == clsB64 {
			j++
		}
		var run []byte
		frm := FormPlain
		if j < n && class[doc[j]] == clsEscape && escaped(doc, j) != 0 {
			run, j, frm = s.unescapedRun(doc, i, j)
		} else {
			for pad := 0; pad < 2 && j < n && doc[j] == '='; pad++ {
				j++
			}
			run = doc[i:j]
		}
		if j == start {
			j++ // a lone escape character
		}
		i = j
		if len(run) >= s.m.minLen {
			// A run that goes on after its padding is no key of its own.
			bounded := j >= n || class[doc[j]] != clsB64
			out = s.runFinds(out, run, start, line, frm, bounded)
		}
		if frm == FormPlain && mayWrap(doc, run, j) {
			out = s.wrapFinds(out, doc, start, j, line)
		}
	}
	return out
}

// mayWrap reports whether a run, ending at doc[j], may be the first piece
// of a wrapped value: long enough, unpadded, and at its line's end.
func mayWrap(doc, run []byte, j int) bool {
	return len(run) >= wrapMin && run[len(run)-1] != '=' && j < len(doc) && (doc[j] == '\n' || doc[j] == '\r')
}

// wrapFinds adds the stored values that line breaks cut: the run
// doc[start:end] ends its line, and the next lines, after their
// indentation, go on with base64 (a key wrapped over two indented lines
// of a note, base64 wrapped at 76 columns). The pieces are joined, and
// only values that cross a joint are looked up: the others are found
// on their own lines. Only stored values are looked for this way; a
// key not in the vault is never made up from pieces.
func (s *scanner) wrapFinds(out []found, doc []byte, start, end, line int) []found {
	m := s.m
	if len(m.forms) == 0 {
		return out
	}
	first := end - start
	s.join = joinPieces(append(s.join[:0], doc[start:end]...), doc, end, first+m.maxLen)
	return m.lookup(out, s.join, max(0, first-m.maxLen+1), first, first, found{line: line, off: start, form: FormWrapped}, true)
}

// joinPieces appends to joined the base64 runs that go on from doc[k] on
// the next lines, after their indentation, until it is limit long or a
// piece does not end its line.
func joinPieces(joined, doc []byte, k, limit int) []byte {
	n := len(doc)
	for pieces := 1; pieces < maxWrapPieces && len(joined) < limit; pieces++ {
		q := k
		if q < n && doc[q] == '\r' {
			q++
		}
		if q >= n || doc[q] != '\n' {
			break
		}
		q++
		for q < n && (doc[q] == ' ' || doc[q] == '\t') {
			q++
		}
		r := q
		for r < n && class[doc[r]] == clsB64 {
			r++
		}
		if r == q {
			break
		}
		joined, k = append(joined, doc[q:r]...), r
		if r < n && doc[r] != '\n' && doc[r] != '\r' {
			break // the value ends on this line
		}
	}
	return joined
}

// lookup adds the stored values of b that start in b[from:to] and end
// after b[minEnd]. Each is found as at says (line, offset, form), the
// offset moved to where the value starts when shift is set, and in the
// form of its own encoding (base64, hex) when it is one.
func (m *matcher) lookup(out []found, b []byte, from, to, minEnd int, at found, shift bool) []found {
	for p := from; p < to && p+m.minLen <= len(b); p++ {
		if !m.maybe(b[p:]) {
			continue
		}
		for _, l := range m.lens {
			if p+l <= minEnd || p+l > len(b) {
				continue
			}
			if f, ok := m.forms[string(b[p:p+l])]; ok {
				g := at
				g.key, g.part, g.form = f.key, f.part, cmp.Or(f.how, at.form)
				if shift {
					g.off += p
				}
				out = append(out, g)
			}
		}
	}
	return out
}

// unescapedRun is scan's slow path, for a run (doc[i:j] so far) that goes
// on through an escape: it copies the run into the scanner's buffer with
// the escapes undone, up to two padding characters included, and returns
// it, where it ends in doc and the last escape's form.
func (s *scanner) unescapedRun(doc []byte, i, j int) (run []byte, end int, frm Form) {
	n := len(doc)
	frm = FormPlain
	run = append(s.run[:0], doc[i:j]...)
	for j < n {
		if class[doc[j]] == clsB64 {
			run = append(run, doc[j])
			j++
			continue
		}
		c, w, f := unescape(doc, j)
		if w == 0 || c == '=' {
			break
		}
		run = append(run, c)
		j += w
		frm = f
	}
	for pad := 0; pad < 2 && j < n; pad++ {
		if doc[j] == '=' {
			run = append(run, '=')
			j++
			continue
		}
		if c, w, f := unescape(doc, j); w > 0 && c == '=' {
			run = append(run, '=')
			j += w
			frm = f
			continue
		}
		break
	}
	s.run = run
	return run, j, frm
}

// runFinds adds what one run holds: the stored values in it, and the run
// itself when it is shaped like a key not in the vault.
func (s *scanner) runFinds(out []found, run []byte, off, line int, frm Form, bounded bool) []found {
	core := run
	for len(core) > 0 && core[len(core)-1] == '=' {
		core = core[:len(core)-1]
	}
	at := found{line: line, off: off, form: frm}
	out = s.m.lookup(out, core, 0, len(core), 0, at, false)
	if !bounded || publishedSamples[string(core)] { // a published sample is nobody's key
		return out
	}
	if _, stored := s.m.forms[string(core)]; stored {
		return out
	}
	at.key = -1
	switch {
	case len(core) == apiKeyLen && len(run) == apiKeyLen && looksRandom(core):
		at.part, at.value = PartAPIKey, string(core)
		out = append(out, at)
	case len(core) == privateKeyCore && (len(run) == privateKeyCore+2 || len(run) == privateKeyCore) && looksRandom(core):
		b, err := base64.RawStdEncoding.Strict().DecodeString(string(core))
		if err == nil && len(b) == privateKeySize {
			at.part, at.value = PartPrivateKey, string(core)+"=="
			out = append(out, at)
		}
	}
	return out
}

// looksRandom reports whether a run has upper-case letters, lower-case
// letters and digits, as a random key almost surely has and a hex digest
// or a word does not.
func looksRandom(b []byte) bool {
	var up, low, dig bool
	for _, c := range b {
		switch {
		case 'A' <= c && c <= 'Z':
			up = true
		case 'a' <= c && c <= 'z':
			low = true
		case '0' <= c && c <= '9':
			dig = true
		}
	}
	return up && low && dig
}

// escaped returns the character an escape at doc[i] stands for, or 0.
func escaped(doc []byte, i int) byte {
	c, _, _ := unescape(doc, i)
	return c
}

// unescape decodes an escaped base64 character at doc[i]: `\/`, `\u002f`,
// `\u002b`, `\u003d` (JSON) or `%2F`, `%2B`, `%3D` (URL encoding). w is how
// many bytes it takes, 0 when there is none.
func unescape(doc []byte, i int) (c byte, w int, f Form) {
	n := len(doc)
	switch doc[i] {
	case '\\':
		if i+1 < n && doc[i+1] == '/' {
			return '/', 2, FormJSONEscaped
		}
		if i+5 < n && doc[i+1] == 'u' && doc[i+2] == '0' && doc[i+3] == '0' {
			if c := hexChar(doc[i+4], doc[i+5]); c != 0 {
				return c, 6, FormJSONEscaped
			}
		}
	case '%':
		if i+2 < n {
			if c := hexChar(doc[i+1], doc[i+2]); c != 0 {
				return c, 3, FormURLEncoded
			}
		}
	}
	return 0, 0, ""
}

// hexChar returns '/', '+' or '=' for their two hex digits, else 0.
func hexChar(a, b byte) byte {
	switch a {
	case '2':
		switch b {
		case 'f', 'F':
			return '/'
		case 'b', 'B':
			return '+'
		}
	case '3':
		if b == 'd' || b == 'D' {
			return '='
		}
	}
	return 0
}
