package keys_test

import (
	"testing"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/sweep"
)

func TestSweepFound(t *testing.T) {
	stored := func(id string) sweep.Hit { return sweep.Hit{Kind: sweep.KindStored, Key: &sweep.KeyRef{ID: id}} }
	unknown := func(n int) sweep.Hit { return sweep.Hit{Kind: sweep.KindUnknown, Unknown: n} }
	tests := []struct {
		name string
		hits []sweep.Hit
		want string
	}{
		{"nothing", nil, "Nothing found: no copy of your keys (2 looked for) and no other Kraken key."},
		{"copies of stored keys, by key", []sweep.Hit{stored("a"), stored("a"), stored("b")}, "Found 3 copies of 2 of your keys."},
		{"one copy", []sweep.Hit{stored("a")}, "Found 1 copy of 1 of your keys."},
		{"a key not in Keywarden counts once wherever it was found", []sweep.Hit{unknown(1), unknown(1)}, "Found 1 key not in Keywarden."},
		{"both, as the issue's sweep", []sweep.Hit{stored("a"), stored("a"), stored("a"), stored("b"), stored("b"), unknown(1)},
			"Found 5 copies of 2 of your keys and 1 key not in Keywarden."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := keys.SweepFound(&sweep.Report{Hits: tc.hits}, 2); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
