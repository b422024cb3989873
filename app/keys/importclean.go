package keys

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
)

// A found key's copy is taken out of its file by cutting the key's
// characters out where they are written, in whatever escaping they are
// written in, and nothing else: the rest of the file stays byte for byte
// as it was. A JSON document has its string values cut (so it stays JSON
// and keeps every other value); other text has a line dropped only when,
// once the key is cut out, nothing but a name is left on it (KEY=, key:).

// secretForm is one value to cut: its base64 characters and how many "="
// of padding follow them.
type secretForm struct {
	core string
	pads int
}

// secretForms returns the values of a key to cut, longest first.
func secretForms(values ...string) []secretForm {
	var out []secretForm
	for _, v := range values {
		core := strings.TrimRight(v, "=")
		if len(core) < 16 { // not a key: it would cut everywhere
			continue
		}
		out = append(out, secretForm{core: core, pads: len(v) - len(core)})
	}
	slices.SortFunc(out, func(a, b secretForm) int { return len(b.core) - len(a.core) })
	return out
}

// unit is one character as written: a plain byte, a JSON escape (`\/`,
// `\u002b`, `\n`) or a URL escape (`%2B`). c is the character it stands
// for when that is one ASCII byte, else 0 (it can never be part of a key).
type unit struct {
	start, end int
	c          byte
}

// units reads raw as characters, undoing escapes.
func units(raw []byte) []unit {
	out := make([]unit, 0, len(raw))
	for i := 0; i < len(raw); {
		u := unit{start: i, end: i + 1, c: raw[i]}
		switch raw[i] {
		case '\\':
			if i+1 >= len(raw) {
				break
			}
			switch e := raw[i+1]; e {
			case '"', '\\', '/':
				u.end, u.c = i+2, e
			case 'b', 'f', 'n', 'r', 't':
				u.end, u.c = i+2, 0
			case 'u':
				if v, ok := hexValue(raw, i+2, 4); ok {
					u.end, u.c = i+6, 0
					if v < 0x80 {
						u.c = byte(v)
					}
				}
			}
		case '%':
			if v, ok := hexValue(raw, i+1, 2); ok {
				u.end, u.c = i+3, byte(v)
			}
		}
		if u.c >= 0x80 {
			u.c = 0
		}
		out = append(out, u)
		i = u.end
	}
	return out
}

// hexValue reads n hex digits at raw[i:].
func hexValue(raw []byte, i, n int) (int, bool) {
	if i+n > len(raw) {
		return 0, false
	}
	v := 0
	for _, c := range raw[i : i+n] {
		switch {
		case '0' <= c && c <= '9':
			v = v<<4 | int(c-'0')
		case 'a' <= c && c <= 'f':
			v = v<<4 | int(c-'a'+10)
		case 'A' <= c && c <= 'F':
			v = v<<4 | int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// cutSecrets returns raw without every written form of the secrets, and
// the byte offsets (in raw) where a cut was made.
func cutSecrets(raw []byte, secrets []secretForm) (out []byte, at []int) {
	us := units(raw)
	out = make([]byte, 0, len(raw))
	from := 0
	for i := 0; i < len(us); {
		j := 0
		for _, s := range secrets {
			if j = matchAt(us, i, s); j > 0 {
				break
			}
		}
		if j == 0 {
			i++
			continue
		}
		out = append(out, raw[from:us[i].start]...)
		at = append(at, us[i].start)
		from = us[j-1].end
		i = j
	}
	return append(out, raw[from:]...), at
}

// matchAt returns the unit after the secret when it is written at us[i:]
// (with up to its padding of "=" after it), else 0.
func matchAt(us []unit, i int, s secretForm) int {
	if i+len(s.core) > len(us) {
		return 0
	}
	for k := 0; k < len(s.core); k++ {
		if us[i+k].c != s.core[k] {
			return 0
		}
	}
	j := i + len(s.core)
	for p := 0; p < s.pads && j < len(us) && us[j].c == '='; p++ {
		j++
	}
	return j
}

// utf8BOM may start a JSON file written on Windows.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// isJSON reports whether data is one JSON document, as read by content.
func isJSON(data []byte) bool {
	d := bytes.TrimPrefix(data, utf8BOM)
	t := bytes.TrimSpace(d)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(d)
}

// cutJSON cuts the secrets out of the string values (and names) of a JSON
// document, leaving every other byte as it was: a value that was only the
// key becomes "". lines are the lines (from 1) where a cut was made. ok is
// false when the document, cut, would no longer be valid JSON.
func cutJSON(data []byte, secrets []secretForm) (out []byte, lines []int, ok bool) {
	out = make([]byte, 0, len(data))
	line := 1
	from := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\n':
			line++
			continue
		case '"':
		default:
			continue
		}
		end := i + 1
		for end < len(data) && data[end] != '"' {
			if data[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(data) {
			return nil, nil, false
		}
		cut, at := cutSecrets(data[i+1:end], secrets)
		if len(at) > 0 {
			out = append(append(append(out, data[from:i+1]...), cut...), '"')
			from = end + 1
			if !slices.Contains(lines, line) {
				lines = append(lines, line)
			}
		}
		i = end
	}
	out = append(out, data[from:]...)
	return out, lines, json.Valid(bytes.TrimPrefix(out, utf8BOM))
}

// nameOnly matches a line that holds nothing but a name once its value is
// cut: `KEY=`, `export KEY=""`, `  secret:`, or nothing at all.
var nameOnly = regexp.MustCompile(`^\s*(export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*\s*[:=]\s*)?("\s*"|'\s*')?\s*$`)

// cutLines cuts the secrets out of each line of a text file. A line left
// holding only a name is dropped (a bot given the key through its
// environment must not read an empty KEY= instead); any other line keeps
// everything but the key. cut lists every line changed (from 1), dropped
// those removed.
func cutLines(data []byte, secrets []secretForm) (out []byte, cut, dropped []int) {
	out = make([]byte, 0, len(data))
	for n := 1; len(data) > 0; n++ {
		end := bytes.IndexByte(data, '\n') + 1
		if end == 0 {
			end = len(data)
		}
		line := data[:end]
		data = data[end:]
		left, at := cutSecrets(line, secrets)
		if len(at) == 0 {
			out = append(out, line...)
			continue
		}
		cut = append(cut, n)
		if nameOnly.Match(bytes.TrimRight(left, "\r\n")) {
			dropped = append(dropped, n)
			continue
		}
		out = append(out, left...)
	}
	return out, cut, dropped
}
