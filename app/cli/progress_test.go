package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/sweep"
)

// The sweep's progress line is the one place that writes to the raw
// terminal (its own carriage return and erase-line must work): the folder
// it names is escaped there.
func TestProgress_showEscapesTheFolder(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b}
	p.show(sweep.Progress{Files: 7, Dir: "/p\x1b]0;X\x07\x1b[2K\r\nF\u202e"})
	want := "\r\x1b[Kswept 7 files… /p\\x1b]0;X\\x07\\x1b[2K\\r\\nF\\u202e"
	if got := b.String(); got != want {
		t.Errorf("progress line = %q, want %q", got, want)
	}
	if strings.Count(b.String(), "\x1b") != 1 {
		t.Errorf("the progress line sends the terminal more than its own erase-line: %q", b.String())
	}
}
