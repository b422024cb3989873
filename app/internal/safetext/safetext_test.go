package safetext_test

import (
	"bytes"
	"io"
	"log"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/keywarden/keywarden/app/internal/safetext"
)

// The attack of issue 18: a folder name that sets the window title, erases
// the line, fakes the sweep's verdict and hides the rest of the output.
const attack = "proj\x1b]0;OWNED\x07\x1b[2K\rFound 0 copies. All clear.\x1b[8m"

var lineTests = []struct {
	name, in, want string
}{
	{"plain text stays", "koinly-tax", "koinly-tax"},
	{"non-Latin text stays", "Schlüssel für den Bot – 鍵 🔑", "Schlüssel für den Bot – 鍵 🔑"},
	{"an empty name stays empty", "", ""},
	{"a Windows path keeps its backslashes", `C:\Users\ana\bot`, `C:\Users\ana\bot`},
	{"the title, erase and hide attack", attack, `proj\x1b]0;OWNED\x07\x1b[2K\rFound 0 copies. All clear.\x1b[8m`},
	{"a line break cannot fake a line", "bot\nFound 0 copies.", `bot\nFound 0 copies.`},
	{"a tab cannot fake a column", "a\tb", `a\tb`},
	{"DEL", "a\x7fb", `a\x7fb`},
	{"a C1 control as a character (CSI)", "a\u009b2Jb", `a\u009b2Jb`},
	{"a C1 control as a lone byte", "a\x9b2Jb", `a\x9b2Jb`},
	{"invalid UTF-8", "a\xff\xfeb", `a\xff\xfeb`},
	{"a right-to-left override", "invoice\u202eexe.pdf", `invoice\u202eexe.pdf`},
	{"bidi isolates", "a\u2066b\u2069c", `a\u2066b\u2069c`},
	{"bidi marks", "a\u200fb\u061c", `a\u200fb\u061c`},
	{"line and paragraph separators", "a\u2028b\u2029c", `a\u2028b\u2029c`},
	{"a NUL", "a\x00b", `a\x00b`},
	{"a replacement character written out stays", "a\ufffdb", "a\ufffdb"},
	{"a log entry's own line break", "entry\n", `entry\n`},
}

func TestLine(t *testing.T) {
	for _, tt := range lineTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := safetext.Line(tt.in); got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLines(t *testing.T) {
	got := safetext.Lines("first\tline\nsecond \x1b[2K\r\u202eline\n")
	want := "first\tline\nsecond \\x1b[2K\\r\\u202eline\n"
	if got != want {
		t.Errorf("Lines = %q, want %q", got, want)
	}
}

func TestNewWriter(t *testing.T) {
	var b bytes.Buffer
	w := safetext.NewWriter(&b)
	n, err := w.Write([]byte("Swept 3 files under /home/ana/" + attack + "\n\tNext: delete it.\n"))
	if err != nil || n != len("Swept 3 files under /home/ana/"+attack+"\n\tNext: delete it.\n") {
		t.Fatalf("Write = %d, %v", n, err)
	}
	want := `Swept 3 files under /home/ana/proj\x1b]0;OWNED\x07\x1b[2K\rFound 0 copies. All clear.\x1b[8m` + "\n\tNext: delete it.\n"
	if b.String() != want {
		t.Errorf("wrote %q, want %q", b.String(), want)
	}
}

func TestNewLogWriter(t *testing.T) {
	var b bytes.Buffer
	l := log.New(safetext.NewLogWriter(&b), "keywarden tray: ", 0)
	l.Printf("could not check %s: %s", "bot\nkeywarden tray: all keys fine", "Kraken said \u202eenod")
	l.Print("second entry")
	want := `keywarden tray: could not check bot\nkeywarden tray: all keys fine: Kraken said \u202eenod` + "\nkeywarden tray: second entry\n"
	if b.String() != want {
		t.Errorf("logged %q, want %q", b.String(), want)
	}
}

// safe reports what in s could still reach a terminal as a control: an
// unsafe character or an invalid byte.
func safe(s string, keepLines bool) (bad rune, ok bool) {
	if !utf8.ValidString(s) {
		return utf8.RuneError, false
	}
	for _, r := range s {
		if keepLines && (r == '\n' || r == '\t') {
			continue
		}
		if safetext.Unsafe(r) {
			return r, false
		}
	}
	return 0, true
}

func FuzzLine(f *testing.F) {
	for _, tt := range lineTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := safetext.Line(in)
		if r, ok := safe(got, false); !ok {
			t.Fatalf("Line(%q) = %q still holds %U", in, got, r)
		}
		if again := safetext.Line(got); again != got {
			t.Fatalf("Line is not stable: %q, then %q", got, again)
		}
		if _, ok := safe(in, false); ok && got != in {
			t.Fatalf("Line(%q) = %q changed safe text", in, got)
		}
		lines := safetext.Lines(in)
		if r, ok := safe(lines, true); !ok {
			t.Fatalf("Lines(%q) = %q still holds %U", in, lines, r)
		}
		if strings.Count(lines, "\n") != strings.Count(in, "\n") {
			t.Fatalf("Lines(%q) = %q: the line breaks changed", in, lines)
		}
		var b bytes.Buffer
		if _, err := safetext.NewWriter(&b).Write([]byte(in)); err != nil || b.String() != lines {
			t.Fatalf("NewWriter wrote %q (%v), want Lines: %q", b.String(), err, lines)
		}
		b.Reset()
		entry := safetext.Line(strings.TrimSuffix(in, "\n"))
		if strings.HasSuffix(in, "\n") {
			entry += "\n"
		}
		if _, err := safetext.NewLogWriter(&b).Write([]byte(in)); err != nil || b.String() != entry {
			t.Fatalf("NewLogWriter wrote %q (%v), want %q", b.String(), err, entry)
		}
	})
}

// The price of escaping every name printed: a clean name costs a scan and
// no allocation; a hostile one, one allocation.
func BenchmarkLine(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"clean", "freqtrade-bot-on-the-vps-in-frankfurt"},
		{"hostile", attack},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = safetext.Line(bc.in)
			}
		})
	}
}

// BenchmarkNewWriter writes a 100-line listing through the writer behind
// the command line's stdout.
func BenchmarkNewWriter(b *testing.B) {
	line := []byte("freqtrade-bot  active  trading-bot  medium  freqtrade  7 Dec 2026 ok  …nd9f\n")
	w := safetext.NewWriter(io.Discard)
	b.SetBytes(int64(100 * len(line)))
	b.ReportAllocs()
	for b.Loop() {
		for range 100 {
			_, _ = w.Write(line)
		}
	}
}
