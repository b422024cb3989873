// Package safetext makes untrusted text safe to show: names, paths and
// messages that come from disk, the keyring, the exchange or a person
// reach a terminal, a notification or a log only as printable text.
//
// A terminal acts on control characters: ESC starts sequences that set the
// window title, erase lines or hide what follows; a carriage return or a
// line break lets a name overwrite or fake output lines; C1 controls
// (U+0080–U+009F, or such bytes on their own) are read as ESC sequences by
// some terminals; and Unicode's bidirectional overrides and isolates
// reorder the rest of a line. Each of these is shown as a visible escape
// (\x1b, \n, \u202e), never dropped, so the person sees that something
// odd is in the name, and can still recognise it.
//
// It imports only the standard library, so every face (the command line,
// the tray part, the window) and the loggers can use it.
package safetext

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Line returns s with every character a terminal, a notification or a log
// could act on written as a visible escape, line breaks and tabs
// included: the result is one line of printable text. Text without such
// characters is returned as it is.
func Line(s string) string {
	return escape(s, false)
}

// Lines returns s escaped as Line does, but keeping its line breaks (\n)
// and tabs: for text of several lines whose breaks are Keywarden's own.
func Lines(s string) string {
	return escape(s, true)
}

// Unsafe reports whether r is a character that must not reach a terminal
// as it is: a C0 control (line breaks and tabs too), DEL, a C1 control, a
// line or paragraph separator, or a bidirectional formatting character.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // Arabic letter mark, LRM, RLM
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	case r >= 0x202a && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	}
	return false
}

// escape writes s with its unsafe characters and its invalid bytes as
// escapes; keepLines keeps \n and \t.
func escape(s string, keepLines bool) string {
	if clean(s, keepLines) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i]) // a byte that is no character: maybe an 8-bit C1
		case keepLines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case !Unsafe(r):
			b.WriteString(s[i : i+size])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// clean reports whether s has nothing to escape.
func clean[T string | []byte](s T, keepLines bool) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return cleanRunes(s[i:], keepLines)
		}
	}
	return true
}

// cleanRunes is clean for text that is not all printable ASCII.
func cleanRunes[T string | []byte](s T, keepLines bool) bool {
	for i, r := range string(s) { // ranging over a conversion copies nothing
		if r == utf8.RuneError && !(i+2 < len(s) && s[i] == 0xef && s[i+1] == 0xbf && s[i+2] == 0xbd) {
			return false // a byte that is no character (a U+FFFD written out is one)
		}
		if keepLines && (r == '\n' || r == '\t') {
			continue
		}
		if Unsafe(r) {
			return false
		}
	}
	return true
}

// NewWriter returns a writer that passes what it is given on to w with
// every unsafe character escaped, as Lines does: the last line of
// defence of a stream a terminal may show (a name printed without Line
// still cannot send a terminal a command, though its line breaks would
// still start new lines). Each Write is escaped on its own, so a
// character split across two writes shows as escaped bytes.
func NewWriter(w io.Writer) io.Writer {
	return &writer{w: w, keepLines: true}
}

// NewLogWriter returns a writer for a logger (one entry per Write, as the
// log package writes them): each entry is escaped as Line does, line
// breaks included, and keeps only its final line break, so text in an
// entry can neither command a terminal nor fake another entry.
func NewLogWriter(w io.Writer) io.Writer {
	return &writer{w: w, entries: true}
}

type writer struct {
	w         io.Writer
	keepLines bool // \n and \t pass (NewWriter)
	entries   bool // each Write is one entry ending in its own \n (NewLogWriter)
}

// Write escapes p and writes it. It reports len(p) written when w took
// all of the escaped text.
func (w *writer) Write(p []byte) (int, error) {
	body, end := p, ""
	if w.entries && len(p) > 0 && p[len(p)-1] == '\n' {
		body, end = p[:len(p)-1], "\n"
	}
	if clean(body, w.keepLines) { // the usual case: no copy
		if _, err := w.w.Write(p); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	if _, err := io.WriteString(w.w, escape(string(body), w.keepLines)+end); err != nil {
		return 0, err
	}
	return len(p), nil
}
