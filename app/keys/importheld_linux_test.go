package keys

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkWritersOf measures the look through /proc that RemoveCopy and
// Import make before they touch a file (twice per removal).
func BenchmarkWritersOf(b *testing.B) {
	p := filepath.Join(b.TempDir(), "config.json")
	if err := os.WriteFile(p, []byte("{}"), 0o600); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if hs := writersOf(fi); len(hs) != 0 {
			b.Fatalf("holders %v", hs)
		}
	}
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	b.ReportMetric(float64(len(fds)), "fds-seen")
}
