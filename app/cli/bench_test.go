package cli_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// BenchmarkCheckAll50 runs "check --all" over 50 keys against a simulated
// exchange that takes 200 ms to answer each call. Checked one after the
// other that is 10 s; in parallel it should be about one round trip.
func BenchmarkCheckAll50(b *testing.B) {
	const keys, latency = 50, 200 * time.Millisecond
	f := newFixture(b)
	for i := range keys {
		name := fmt.Sprintf("tracker-%02d", i)
		// Pro accounts' counters decay fastest, so many rounds stay
		// within each key's limit.
		k := f.exchangeKey(krakentest.Key{Name: name, Permissions: taxPerms, Tier: kraken.Pro})
		if res := f.run(stdinFor(k), "add", "--name", name, "--purpose", "tax", "--used-by", name); res.code != 0 {
			b.Fatalf("add: %v", res)
		}
	}
	f.ex.SetLatency(latency)
	b.ResetTimer()
	for b.Loop() {
		if res := f.run("", "check", "--all"); res.code != 0 {
			b.Fatalf("check: %v", res)
		}
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(latency), "round-trips/op")
}
