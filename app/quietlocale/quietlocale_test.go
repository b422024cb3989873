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
