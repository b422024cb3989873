package cli

import (
	"io"
	"runtime"
	"strings"
	"unicode/utf8"
)

// asciiPunctuation spells the typographic punctuation Keywarden's words use
// in ASCII, for a terminal whose locale is not UTF-8 (LANG=C), where "…"
// shows as "â€¦" or "?".
var asciiPunctuation = strings.NewReplacer(
	"…", "...", "–", "-", "—", "-", "“", `"`, "”", `"`, "‘", "'", "’", "'",
	"→", "->", "·", "-", "×", "x", "✓", "ok",
)

// utf8Locale reports whether the terminal's locale takes UTF-8, from the
// first of LC_ALL, LC_CTYPE and LANG that is set (POSIX's order). Where
// none is, Linux and the BSDs use the C locale, which is ASCII; macOS and
// Windows terminals take UTF-8.
func utf8Locale(getenv func(string) string) bool {
	for _, name := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := getenv(name); v != "" {
			v = strings.ToLower(v)
			return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
		}
	}
	return runtime.GOOS == "darwin" || runtime.GOOS == "windows"
}

// asciiWriter writes through w with asciiPunctuation applied. A character
// cut between two writes is held until the next one, so it is replaced
// whole.
type asciiWriter struct {
	w    io.Writer
	held []byte
}

func (a *asciiWriter) Write(p []byte) (int, error) {
	b := append(a.held, p...)
	cut := len(b)
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				cut = i
			}
			break
		}
	}
	a.held = append([]byte(nil), b[cut:]...)
	if _, err := io.WriteString(a.w, asciiPunctuation.Replace(string(b[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}
