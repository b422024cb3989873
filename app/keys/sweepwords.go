package keys

import (
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/app/sweep"
)

// SweepFound says what a sweep found in the one sentence every face puts
// first, so the window and the command line cannot count the same sweep
// differently: copies of stored keys are counted as copies, of how many
// of the person's keys, and keys not in Keywarden as keys, however many
// places each was found in ("Found 5 copies of 2 of your keys and 1 key
// not in Keywarden."). looked is how many stored keys were looked for.
func SweepFound(rep *sweep.Report, looked int) string {
	what := SweepHolds(rep.Hits)
	if what == "" {
		return fmt.Sprintf("Nothing found: no copy of your keys (%d looked for) and no other Kraken key.", looked)
	}
	return "Found " + what + "."
}

// SweepHolds counts hits as SweepFound does, as a phrase ("5 copies of 2
// of your keys and 1 key not in Keywarden"), for sentences of their own
// (the pre-commit check's "the staged changes hold …"); "" for none.
func SweepHolds(hits []sweep.Hit) string {
	copies := 0
	stored, unknown := map[string]bool{}, map[int]bool{}
	for _, h := range hits {
		if h.Kind == sweep.KindStored {
			copies++
			stored[h.Key.ID] = true
		} else {
			unknown[h.Unknown] = true
		}
	}
	var parts []string
	if copies > 0 {
		parts = append(parts, fmt.Sprintf("%s of %d of your keys", count(copies, "copy", "copies"), len(stored)))
	}
	if len(unknown) > 0 {
		parts = append(parts, count(len(unknown), "key not in Keywarden", "keys not in Keywarden"))
	}
	return strings.Join(parts, " and ")
}

// count says "1 copy" or "3 copies".
func count(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, plural(n, one, many))
}
