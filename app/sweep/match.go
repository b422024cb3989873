package sweep

import (
	"encoding/base64"
	"encoding/binary"
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
		if len(v) < m.minLen {
			m.minLen = len(v)
		}
		if !slices.Contains(m.lens, len(v)) {
			m.lens = append(m.lens, len(v))
		}
	}
	for i, k := range keys {
		add(k.APIKey, form{i, PartAPIKey})
		add(k.PrivateKey, form{i, PartPrivateKey})
	}
	return m
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
	m   *matcher
	run []byte
}

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

// runFinds adds what one run holds.
func (s *scanner) runFinds(out []found, run []byte, off, line int, frm Form, bounded bool) []found {
	core := run
	for len(core) > 0 && core[len(core)-1] == '=' {
		core = core[:len(core)-1]
	}
	m := s.m
	for p := 0; p+m.minLen <= len(core); p++ {
		if !m.maybe(core[p:]) {
			continue
		}
		for _, l := range m.lens {
			if p+l > len(core) {
				continue
			}
			if f, ok := m.forms[string(core[p:p+l])]; ok {
				out = append(out, found{key: f.key, part: f.part, line: line, off: off, form: frm})
			}
		}
	}
	switch {
	case !bounded:
	case len(core) == apiKeyLen && len(run) == apiKeyLen && looksRandom(core):
		if _, stored := m.forms[string(core)]; !stored {
			out = append(out, found{key: -1, part: PartAPIKey, value: string(core), line: line, off: off, form: frm})
		}
	case len(core) == privateKeyCore && (len(run) == privateKeyCore+2 || len(run) == privateKeyCore) && looksRandom(core):
		if _, stored := m.forms[string(core)]; stored {
			break
		}
		b, err := base64.RawStdEncoding.Strict().DecodeString(string(core))
		if err == nil && len(b) == privateKeySize {
			out = append(out, found{key: -1, part: PartPrivateKey, value: string(core) + "==", line: line, off: off, form: frm})
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
