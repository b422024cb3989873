package quietlocale

import (
	"bytes"
	"log"
	"testing"
)

func TestFilter_dropsOnlyTheLocaleReport(t *testing.T) {
	var buf bytes.Buffer
	l := log.New(New(&buf), "", log.LstdFlags)
	l.Println("Fyne error: ", "Error parsing user locale C")
	l.Println("  Cause:", "language: tag is not well-formed")
	l.Printf("  At: %s:%d", "/go/pkg/mod/fyne.io/fyne/v2@v2.7.1/lang/locale.go", 35)
	l.Println("Fyne error: ", "something else")
	l.Println("  Cause:", "kept")
	if got := buf.String(); bytes.Contains(buf.Bytes(), []byte("locale")) || !bytes.Contains(buf.Bytes(), []byte("something else")) || !bytes.Contains(buf.Bytes(), []byte("kept")) {
		t.Errorf("filtered log:\n%s", got)
	}
}

// Libraries log what they are given (a D-Bus error quoting a name, a
// path): the standard logger's lines reach the terminal escaped, one entry
// a line (issue 18 item 2).
func TestFilter_escapesControlCharacters(t *testing.T) {
	var buf bytes.Buffer
	l := log.New(New(&buf), "", 0)
	l.Printf("cannot open %s", "/home/ana/proj\x1b]0;OWNED\x07\x1b[2K\r\nFAKE: all keys fine\u202eexe.txt\u009b2J")
	l.Print("next entry")
	want := `cannot open /home/ana/proj\x1b]0;OWNED\x07\x1b[2K\r\nFAKE: all keys fine\u202eexe.txt\u009b2J` + "\nnext entry\n"
	if got := buf.String(); got != want {
		t.Errorf("logged %q, want %q", got, want)
	}
}
