//go:build unix

package sweep

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// BenchmarkStaged checks a typical staged change, what the pre-commit hook
// does at each commit: five changed files (one with a copy of a stored
// key) in a repository of 2 000 files whose history is packed, for 20
// stored keys. Reported in .ci/README.md; the bar is 100 ms.
func BenchmarkStaged(b *testing.B) {
	keys := make([]Key, 20)
	for i := range keys {
		keys[i] = newKey(b, fmt.Sprintf("k%d", i), "")
	}
	repo := b.TempDir()
	synthHome(b, repo, 2000, nil)
	git(b, repo, "init", "-q", "-b", "main")
	git(b, repo, "add", ".")
	git(b, repo, "commit", "-qm", "first")
	git(b, repo, "gc", "-q")
	for i := range 5 {
		p := filepath.Join(repo, fmt.Sprintf("d%03d/f%05d.txt", i, i))
		old, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		text := string(old) + "a new line of the change\n"
		if i == 0 {
			text += "KRAKEN_API_KEY=" + keys[7].APIKey + "\n"
		}
		write(b, repo, fmt.Sprintf("d%03d/f%05d.txt", i, i), text)
	}
	git(b, repo, "add", ".")
	cpu0 := cpuWithChildren(b)
	for b.Loop() {
		rep := stagedIn(b, StagedOptions{Dir: repo, Keys: keys})
		if len(rep.Hits) != 1 || rep.Files != 5 {
			b.Fatalf("%d hits in %d files, want 1 in 5", len(rep.Hits), rep.Files)
		}
	}
	// The CPU time, this process's and git's, apart from the time spent
	// waiting for a core on a busy machine.
	b.ReportMetric(float64((cpuWithChildren(b)-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// cpuWithChildren is the CPU time this process and its waited-for
// children have used.
func cpuWithChildren(b *testing.B) time.Duration {
	b.Helper()
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(who, &ru); err != nil {
			b.Fatal(err)
		}
		total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return total
}
