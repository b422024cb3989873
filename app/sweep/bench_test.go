package sweep

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// synthHome writes n small text files (configs, notes, source-like text
// with hashes and IDs in it) under dir, and copies of some of keys.
func synthHome(b *testing.B, dir string, n int, keys []Key) {
	b.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("the kraken bot trade order price stake config key value user path file main func return if else for range true false nil error log info debug")
	line := func() string {
		var sb strings.Builder
		for range 4 + r.IntN(10) {
			sb.WriteString(words[r.IntN(len(words))])
			sb.WriteByte(' ')
		}
		if r.IntN(8) == 0 {
			fmt.Fprintf(&sb, "sha256:%016x%016x", r.Uint64(), r.Uint64())
		}
		return sb.String()
	}
	for i := range n {
		var sb strings.Builder
		for range 10 + r.IntN(40) {
			sb.WriteString(line())
			sb.WriteByte('\n')
		}
		write(b, dir, fmt.Sprintf("d%03d/f%05d.txt", i%500, i), sb.String())
	}
	for i, k := range keys {
		if i%4 == 0 {
			write(b, dir, fmt.Sprintf("bots/b%d/.env", i), "KRAKEN_API_KEY="+k.APIKey+"\nKRAKEN_API_SECRET="+k.PrivateKey+"\n")
		}
	}
}

// BenchmarkRun sweeps 20 000 small files for 20 stored keys.
func BenchmarkRun(b *testing.B) {
	keys := make([]Key, 20)
	for i := range keys {
		keys[i] = newKey(b, fmt.Sprintf("k%d", i), "")
	}
	dir := b.TempDir()
	synthHome(b, dir, 20000, keys)
	var files int
	for b.Loop() {
		rep := sweepDir(b, Options{Roots: []string{dir}, Keys: keys})
		if len(rep.Hits) != 10 {
			b.Fatalf("%d hits, want 10", len(rep.Hits))
		}
		files = rep.Files
	}
	b.ReportMetric(float64(files), "files/op")
}

// BenchmarkScan measures the one-pass matcher alone, in memory.
func BenchmarkScan(b *testing.B) {
	keys := make([]Key, 20)
	for i := range keys {
		keys[i] = newKey(b, fmt.Sprintf("k%d", i), "")
	}
	var sb strings.Builder
	r := rand.New(rand.NewPCG(3, 4))
	for sb.Len() < 1<<20 {
		fmt.Fprintf(&sb, "line %d: value=%016x name=\"some words here\" path=/usr/lib/x%d\n", r.IntN(1000), r.Uint64(), r.IntN(99))
	}
	doc := []byte(sb.String() + keys[3].PrivateKey)
	sc := scanner{m: newMatcher(keys)}
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if len(sc.scan(doc)) != 1 {
			b.Fatal("the planted key was not found")
		}
	}
}

// historyRepo makes a bare repository under dir with n commits on n/10
// branches and n/10 tags, each commit changing one small file; commit n/2
// adds a copy of k.
func historyRepo(b *testing.B, dir string, n int, k Key) {
	b.Helper()
	repo := filepath.Join(dir, "history.git")
	git(b, dir, "init", "-q", "--bare", "-b", "main", repo)
	var s strings.Builder
	for i := 1; i <= n; i++ {
		text := fmt.Sprintf("line %d of the settings\n", i)
		if i == n/2 {
			text += "KRAKEN_API_KEY=" + k.APIKey + "\nKRAKEN_API_SECRET=" + k.PrivateKey + "\n"
		}
		fmt.Fprintf(&s, "commit refs/heads/main\nmark :%d\ncommitter t <t@example.com> %d +0000\ndata 7\nchange\n", i, 1700000000+i)
		fmt.Fprintf(&s, "M 644 inline f%03d.txt\ndata %d\n%s\n", i%100, len(text), text)
		if i%10 == 0 {
			fmt.Fprintf(&s, "reset refs/heads/b%d\nfrom :%d\n\nreset refs/tags/v%d\nfrom :%d\n\n", i, i, i, i)
		}
	}
	cmd := exec.Command("git", "-C", repo, "fast-import", "--quiet")
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	cmd.Stdin = strings.NewReader(s.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("git fast-import: %v\n%s", err, out)
	}
}

// BenchmarkHistory sweeps one repository of 1000 commits, 100 branches
// and 100 tags, with one stored key in its history: the cost of reading a
// history, apart from the files.
func BenchmarkHistory(b *testing.B) {
	needGit(b)
	k := newKey(b, "k", "")
	dir := b.TempDir()
	historyRepo(b, dir, 1000, k)
	for b.Loop() {
		rep := sweepDir(b, Options{Roots: []string{dir}, Keys: []Key{k}})
		if len(rep.Hits) != 2 || rep.Hits[0].Git == nil || rep.Hits[0].Git.Commit == "" {
			b.Fatalf("hits:\n%s problems %q", describe(rep.Hits), rep.GitProblems)
		}
	}
}
