package remind

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// tmpPrefix begins the names of the temporary files that
// atomicfile.Write writes reminders.json through.
const tmpPrefix = "." + FileName + ".tmp-"

func TestState_Snooze(t *testing.T) {
	for _, tt := range []struct {
		name string
		for_ time.Duration
	}{
		{"snooze 1 day", SnoozeDay},
		{"snooze 1 week", SnoozeWeek},
	} {
		t.Run(tt.name+": quiet until it ends, then shown once more", func(t *testing.T) {
			recs := []vault.Record{taxKey(noChecks, reviewDueAt(t0.Add(-day)))}
			var st State
			shown := Due(recs, st, t0)
			if len(shown) != 1 {
				t.Fatalf("Due = %q, want the review", ids(shown))
			}
			st.markSent(ids(shown), t0)
			st.Snooze("k1", t0.Add(tt.for_))
			for _, at := range []time.Time{t0, t0.Add(tt.for_ / 2), t0.Add(tt.for_ - time.Second)} {
				if got := Due(recs, st, at); len(got) != 0 {
					t.Errorf("at %s, during the snooze: Due = %q, want nothing", at, ids(got))
				}
			}
			if next, _ := Next(recs, st, t0); !next.Equal(t0.Add(tt.for_)) {
				t.Errorf("Next = %s, want the snooze's end %s", next, t0.Add(tt.for_))
			}
			end := t0.Add(tt.for_)
			again := Due(recs, st, end)
			if !equal(ids(again), ids(shown)) {
				t.Fatalf("at the snooze's end: Due = %q, want %q again", ids(again), ids(shown))
			}
			st.markSent(ids(again), end)
			st.Prune(recs, end)
			if got := Due(recs, st, end.Add(day)); len(got) != 0 {
				t.Errorf("a day later: Due = %q, want nothing", ids(got))
			}
			if len(st.Snoozes) != 0 {
				t.Errorf("Snoozes = %v after the end, want none", st.Snoozes)
			}
		})
	}
	t.Run("a week's snooze of “expires in 1 day” does not hide “has expired”", func(t *testing.T) {
		// Issue 25: the 1-day step shown and snoozed for a week; the key
		// dies a day later, and the person must hear of it that day.
		expires := t0.Add(day)
		recs := []vault.Record{botKey(noChecks, expiring(expires))}
		var st State
		shown := Due(recs, st, t0)
		if got := ids(shown); !equal(got, []string{"k2/expiry-1d/2026-03-11"}) {
			t.Fatalf("Due = %q, want the 1-day step", got)
		}
		st.markSent(ids(shown), t0)
		st.Snooze("k2", t0.Add(SnoozeWeek))
		if next, _ := Next(recs, st, t0); !next.Equal(expires) {
			t.Errorf("Next = %s, want the expiry %s, not the snooze's end", next, expires)
		}
		if got := ids(Due(recs, st, expires)); !equal(got, []string{"k2/expired/2026-03-11"}) {
			t.Errorf("at the expiry, during the snooze: Due = %q, want the expired reminder", got)
		}
	})
	t.Run("snoozing one key leaves the others alone", func(t *testing.T) {
		recs := []vault.Record{taxKey(noChecks, reviewDueAt(t0)), botKey(noChecks, reviewDueAt(t0))}
		var st State
		st.Snooze("k1", t0.Add(SnoozeDay))
		if got := ids(Due(recs, st, t0)); !equal(got, []string{"k2/review/2026-03-10"}) {
			t.Errorf("Due = %q, want only the other key's review", got)
		}
	})
	t.Run("unsnooze brings the reminders back at once", func(t *testing.T) {
		recs := []vault.Record{taxKey(noChecks, reviewDueAt(t0))}
		st := State{Sent: sent(t0, "k1/review/2026-03-10")}
		st.Snooze("k1", t0.Add(SnoozeWeek))
		st.Unsnooze("k1")
		if got := ids(Due(recs, st, t0)); !equal(got, []string{"k1/review/2026-03-10"}) {
			t.Errorf("Due = %q, want the review", got)
		}
	})
}

func TestState_Prune(t *testing.T) {
	failed := taxKey(func(r *vault.Record) {
		r.LastCheck = &vault.Readback{At: t0, Outcome: vault.OutcomeError, Problem: "no network"}
	})
	tests := []struct {
		name    string
		records []vault.Record
		state   State
		want    State
	}{
		{
			name:    "a removed key leaves nothing behind",
			records: nil,
			state: State{
				Sent:      sent(t0, "k1/review/2026-03-08"),
				Snoozes:   map[string]Snooze{"k1": {Until: t0.Add(day)}},
				AutoCheck: map[string]bool{"k1": true},
				InUse:     map[string]bool{"k1": true},
				Checked:   sent(t0, "k1"),
			},
			want: State{Sent: map[string]time.Time{}, Snoozes: map[string]Snooze{}, AutoCheck: map[string]bool{}, InUse: map[string]bool{}, Checked: map[string]time.Time{}},
		},
		{
			name:    "a reminder still current is kept, an old review's is dropped",
			records: []vault.Record{taxKey(reviewDueAt(t0.Add(-2 * day)))},
			state:   State{Sent: sent(t0, "k1/review/2026-03-08", "k1/review/2025-12-01")},
			want:    State{Sent: sent(t0, "k1/review/2026-03-08")},
		},
		{
			name:    "an ended snooze and an old background-check start are dropped",
			records: []vault.Record{taxKey()},
			state:   State{Snoozes: map[string]Snooze{"k1": {Until: t0}}, Checked: sent(t0.Add(-CheckInterval), "k1")},
			want:    State{Snoozes: map[string]Snooze{}, Checked: map[string]time.Time{}},
		},
		{
			name:    "a fixed problem is forgotten, so its return is news",
			records: []vault.Record{taxKey()},
			state:   State{Sent: sent(t0, "k1/finding/not-on-exchange")},
			want:    State{Sent: map[string]time.Time{}},
		},
		{
			name:    "a problem is not forgotten because the last check failed",
			records: []vault.Record{failed},
			state:   State{Sent: sent(t0, "k1/finding/not-on-exchange")},
			want:    State{Sent: sent(t0, "k1/finding/not-on-exchange")},
		},
		{
			name:    "the settings of a key that is still there are kept",
			records: []vault.Record{taxKey()},
			state:   State{AutoCheck: map[string]bool{"k1": false}, InUse: map[string]bool{"k1": true}},
			want:    State{AutoCheck: map[string]bool{"k1": false}, InUse: map[string]bool{"k1": true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.state
			st.Prune(tt.records, t0)
			if got, want := fmt.Sprint(st), fmt.Sprint(tt.want); got != want {
				t.Errorf("after Prune:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestStateFile_roundTrip(t *testing.T) {
	f := OpenState(t.TempDir())
	st, err := f.Load()
	if err != nil || !isEmpty(st) {
		t.Fatalf("Load of a missing file = %v, %v; want an empty state and no error", st, err)
	}
	err = f.Update(func(s *State) {
		s.markSent([]string{"k1/review/2026-03-08"}, t0)
		s.Snooze("k2", t0.Add(SnoozeWeek))
		s.SetAutoCheck("k3", true)
		s.SetInUse("k4", true)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	want := State{
		Sent:      sent(t0, "k1/review/2026-03-08"),
		Snoozes:   map[string]Snooze{"k2": {Until: t0.Add(SnoozeWeek)}},
		AutoCheck: map[string]bool{"k3": true},
		InUse:     map[string]bool{"k4": true},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Load after Update:\n got %v\nwant %v", got, want)
	}
	// Windows has no mode bits: the file's folder, in the user's profile,
	// keeps others out there.
	if st, err := os.Stat(f.Path()); runtime.GOOS != "windows" && (err != nil || st.Mode().Perm() != 0o600) {
		t.Errorf("file mode = %v, %v; want 0600", st.Mode().Perm(), err)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(f.Path()), tmpPrefix+"*"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %q", left)
	}
}

func isEmpty(s State) bool {
	return len(s.Sent)+len(s.Snoozes)+len(s.AutoCheck)+len(s.InUse)+len(s.Checked) == 0
}

func TestStateFile_damaged(t *testing.T) {
	tests := []struct {
		name    string
		content string
	}{
		{"an empty file", ""},
		{"a file cut short mid-write", `{"schema":1,"sent":{"k1/review/2026-03-08":"2026-03`},
		{"a file with no schema version", `{"sent":{}}`},
		{"a file from a newer Keywarden", `{"schema":7,"sent":{}}`},
		{"a file with a field of the wrong type", `{"schema":1,"sent":["k1"]}`},
		{"a file that is not JSON at all", "\x00\x01garbage"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" starts empty, says so, and is set aside at the next save", func(t *testing.T) {
			dir := t.TempDir()
			f := OpenState(dir)
			if err := os.WriteFile(f.Path(), []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			st, err := f.Load()
			var de *DamagedError
			if !errors.Is(err, ErrDamaged) || !errors.As(err, &de) || de.Path != f.Path() || de.Reason == "" {
				t.Fatalf("Load error = %v, want a *DamagedError naming the file and why", err)
			}
			if !isEmpty(st) {
				t.Errorf("Load = %v, want an empty state", st)
			}
			if err := f.Update(func(s *State) { s.SetAutoCheck("k1", false) }); err != nil {
				t.Fatalf("Update over a damaged file: %v", err)
			}
			if got, err := f.Load(); err != nil || !equal(keys(got.AutoCheck), []string{"k1"}) {
				t.Errorf("Load after Update = %v, %v; want the new setting and no error", got, err)
			}
			kept, err := os.ReadFile(filepath.Join(dir, DamagedName))
			if err != nil || string(kept) != tt.content {
				t.Errorf("damaged file kept as %s = %q, %v; want the old content", DamagedName, kept, err)
			}
		})
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestStateFile_concurrentUpdates checks the lock: updates from many
// writers at once (the tray part and the window, in real life) all land.
func TestStateFile_concurrentUpdates(t *testing.T) {
	dir := t.TempDir()
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := OpenState(dir) // a StateFile of its own, as another process has
			if err := f.Update(func(s *State) { s.SetAutoCheck(fmt.Sprintf("k%02d", i), true) }); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st, err := OpenState(dir).Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(st.AutoCheck) != n {
		t.Errorf("%d settings saved, want %d: %v", len(st.AutoCheck), n, keys(st.AutoCheck))
	}
}

// TestStateFile_noSecret checks that the file holds IDs, times and
// settings only: no key material and no key names.
func TestStateFile_noSecret(t *testing.T) {
	h := newHarness(t, taxKey(noChecks, reviewDueAt(t0), func(r *vault.Record) { r.KeyHint = "Zb19" }))
	h.start(false)
	h.stop()
	b, err := os.ReadFile(h.state.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"koinly", "Zb19", "Koinly"} {
		if strings.Contains(string(b), bad) {
			t.Errorf("reminders.json holds %q:\n%s", bad, b)
		}
	}
}
