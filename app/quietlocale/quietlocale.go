// Package quietlocale keeps Fyne quiet about a POSIX locale. Under
// LANG=C.UTF-8 (containers, servers, cron) Fyne's lang package logs "Error
// parsing user locale C" when it starts, before main runs, and again when a
// window starts; the text falls back to English either way. Importing this
// package drops exactly that message (and the two lines Fyne logs with it)
// from the standard logger, so the command line prints nothing it did not
// mean to, without changing the environment that `keywarden exec` passes on.
// Every other line goes out escaped (safetext.NewLogWriter): libraries log
// names and paths they were given, and those must not reach a terminal as
// control characters.
//
// It must initialise before fyne.io/fyne/v2/lang: Go initialises packages in
// import-path order once their imports are ready, and this package imports
// only the standard library and app/internal/safetext (which imports only
// the standard library), while Fyne's lang waits for
// github.com/nicksnyder/go-i18n, which sorts after this path.
package quietlocale

import (
	"io"
	"log"
	"os"
	"strings"

	"github.com/keywarden/keywarden/app/internal/safetext"
)

func init() {
	log.SetOutput(New(os.Stderr))
}

// New returns a writer for the standard logger that passes every line on to
// w, escaped as one line of printable text, except Fyne's "Error parsing
// user locale" report.
func New(w io.Writer) io.Writer { return &filter{w: safetext.NewLogWriter(w)} }

type filter struct {
	w    io.Writer
	drop int // lines of the report still to drop
}

// Write takes one log line (the log package writes a line per call).
func (f *filter) Write(p []byte) (int, error) {
	line := string(p)
	switch {
	case strings.Contains(line, "Fyne error:  Error parsing user locale"):
		f.drop = 2
		return len(p), nil
	case f.drop > 0 && (strings.Contains(line, "  Cause: ") || strings.Contains(line, "  At: ")):
		f.drop--
		return len(p), nil
	}
	f.drop = 0
	return f.w.Write(p)
}
