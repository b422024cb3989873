package keys_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// childSave is a child role: another Keywarden process that saves one of
// the shared files (KW_FILE: keys, settings, reminders, guard or activity) in the
// folder KW_DIR, the way the command line would.
func childSave() int {
	dir, what := os.Getenv("KW_DIR"), os.Getenv("KW_FILE")
	store, err := vault.Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ex := krakentest.New()
	defer ex.Close()
	svc := keys.New(keys.Params{Store: store, Secrets: vault.NewMemory(),
		Settings: testSettings(dir, os.Getenv("KW_TMP"))})
	switch what {
	case "keys":
		k := ex.AddKey(krakentest.Key{Name: "from a terminal"})
		_, err = svc.Add(context.Background(), newKey("from a terminal", vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey}))
	case "settings":
		err = svc.UpdateSettings(func(s *keys.Settings) error { s.IdleCloseMinutes = 1; return nil })
	case "reminders":
		err = remind.OpenState(dir).Update(func(st *remind.State) {
			st.Sent = map[string]time.Time{"a-reminder": time.Now().UTC()}
		})
	case "guard":
		err = guard.OpenState(dir).Update(func(st *guard.State) error { st.Wrong++; return nil })
	case "activity": // `keywarden activity ok REFID` closes a question the tray's menu counts
		err = keys.OpenActivity(dir).Update(func(st *keys.ActivityState) error {
			st.Answers = append(st.Answers, keys.Answer{RefID: "TX-FROM-A-TERMINAL", Me: true, At: time.Now().UTC()})
			return nil
		})
	default:
		err = fmt.Errorf("unknown file %q", what)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// watchFixture starts Watch on a fresh fixture and returns the channel its
// changes arrive on.
func watchFixture(t *testing.T) (*fixture, <-chan keys.Change) {
	t.Helper()
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	got := make(chan keys.Change, 16)
	if err := f.svc.Watch(ctx, func(c keys.Change) { got <- c }); err != nil {
		t.Fatalf("Watch: %v", err)
	}
	return f, got
}

func TestService_Watch(t *testing.T) {
	for _, tc := range []struct {
		file string
		want keys.Change
	}{
		{"keys", keys.Change{Keys: true}},
		{"settings", keys.Change{Settings: true}},
		{"reminders", keys.Change{Reminders: true}},
		{"guard", keys.Change{Guard: true}},
		{"activity", keys.Change{Activity: true}},
	} {
		t.Run("another process saves "+tc.file, func(t *testing.T) {
			f, got := watchFixture(t)
			cmd := childCommand(t, "save", "KW_DIR="+f.store.Dir(), "KW_FILE="+tc.file, "KW_TMP="+f.dir)
			start := time.Now()
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("the other process failed: %v\n%s", err, out)
			}
			select {
			case c := <-got:
				if c != tc.want {
					t.Errorf("Watch reported %+v, want %+v", c, tc.want)
				}
				if took := time.Since(start); took > 2*time.Second {
					t.Errorf("Watch reported the change after %v, want within 2 s", took)
				}
			case <-time.After(2 * time.Second):
				t.Fatalf("Watch reported nothing within 2 s after another process saved %s", tc.file)
			}
		})
	}
}

func TestService_Watch_quietWhenNothingChanges(t *testing.T) {
	f, got := watchFixture(t)
	// Reading every file, and touching files beside them that are not
	// watched (locks, a temporary file), is not a change.
	if _, err := f.svc.Snapshot(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.store.Dir(), "unrelated.tmp"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-got:
		t.Fatalf("Watch reported %+v although no watched file changed", c)
	case <-time.After(3 * keys.WatchSettle):
	}
}

func TestService_Watch_burstIsOneChange(t *testing.T) {
	f, got := watchFixture(t)
	f.add(t, "one")
	if err := f.svc.UpdateSettings(func(s *keys.Settings) error { s.RiskyDays = 20; return nil }); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-got:
		if want := (keys.Change{Keys: true, Settings: true}); c != want {
			t.Errorf("Watch reported %+v, want %+v", c, want)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Watch reported nothing within 2 s")
	}
	select {
	case c := <-got:
		t.Errorf("Watch reported a second change %+v for one burst of saves", c)
	case <-time.After(3 * keys.WatchSettle):
	}
}
