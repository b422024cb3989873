package cli

import (
	"bytes"
	"testing"
)

// A character cut between two writes is still spelled whole, and what is
// not typographic punctuation passes unchanged.
func TestASCIIWriter_AcrossWrites(t *testing.T) {
	var out bytes.Buffer
	w := &asciiWriter{w: &out}
	text := []byte("Reading… “bot” – Zürich → done")
	for i := range text {
		if n, err := w.Write(text[i : i+1]); n != 1 || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if got, want := out.String(), `Reading... "bot" - Zürich -> done`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
