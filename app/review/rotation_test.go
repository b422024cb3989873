package review

import (
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

func TestRotationOf(t *testing.T) {
	now := time.Date(2026, 12, 7, 14, 10, 0, 0, time.UTC)
	at := func(hhmm string) time.Time {
		t, err := time.Parse("2006-01-02 15:04", "2026-12-07 "+hhmm)
		if err != nil {
			panic(err)
		}
		return t
	}
	checked := func(tm time.Time, lastUsed time.Time) *vault.Readback {
		return &vault.Readback{At: tm, Outcome: vault.OutcomeOK, LastUsed: lastUsed}
	}
	// base: saved at 13:00; both keys checked at 14:05, their answers
	// showing an earlier use (13:30), not the asking call.
	base := func() (vault.Record, vault.Record) {
		old := vault.Record{ID: "o", Name: "bot-2026-06", ReplacedBy: "n", LastCheck: checked(at("14:05"), at("13:30"))}
		repl := vault.Record{ID: "n", Name: "bot-2026-12", Replaces: "o", Created: at("13:00"), LastCheck: checked(at("14:05"), at("13:30"))}
		return old, repl
	}
	tests := []struct {
		name   string
		change func(old, repl *vault.Record)
		want   RotationState
		words  string
	}{
		{"the new key never used, the old one used: not switched", func(o, n *vault.Record) {
			o.Use.Saw(at("14:06"), true)
			o.LastCheck = checked(at("14:08"), at("14:06"))
		}, RotationNotSwitched, "the old one was used 4 minutes ago (14:06 UTC)"},
		{"the old key used after the new one: both in use", func(o, n *vault.Record) {
			n.Use.Saw(at("13:40"), true)
			o.Use.Saw(at("14:08"), false) // a doubtful use counts for the old key
			o.LastCheck = checked(at("14:09"), at("14:08"))
		}, RotationBothInUse, "The old key was used 2 minutes ago (14:08 UTC), after the new key “bot-2026-12” was first used (13:40 UTC)"},
		{"the new key used, the old one quiet since: switched", func(o, n *vault.Record) {
			n.Use.Saw(at("14:02"), true)
			o.Use.Saw(at("13:58"), true)
		}, RotationSwitched, "The new key “bot-2026-12” was used at 14:02 UTC; the old key not since 13:58 UTC (its last use before the switch)"},
		{"a doubtful use of the new key is no switch", func(o, n *vault.Record) {
			n.Use.Saw(at("14:02"), false)
		}, RotationNotSwitched, "has not been used since it was saved"},
		{"the old key not checked since the switch: unknown", func(o, n *vault.Record) {
			n.Use.Saw(at("14:02"), true)
			o.LastCheck = checked(at("14:01"), at("13:30"))
		}, RotationUnknown, "the old key has not been checked since"},
		{"the old key's answer shows only the asking call: unknown", func(o, n *vault.Record) {
			n.Use.Saw(at("14:02"), true)
			o.LastCheck = checked(at("14:05"), at("13:30"))
			o.LastCheck.Nonce, o.LastCheck.SentNonce = 7, 7
		}, RotationUnknown, "showed only Keywarden's own check"},
		{"the new key's answer shows only the asking call: unknown", func(o, n *vault.Record) {
			n.LastCheck = checked(at("14:05"), at("14:05"))
		}, RotationUnknown, "showed only Keywarden's own check"},
		{"the new key never checked: unknown", func(o, n *vault.Record) {
			n.LastCheck = nil
		}, RotationUnknown, "has not been checked"},
		{"a use after the key's last check is odd: unknown", func(o, n *vault.Record) {
			n.Use.Saw(at("14:02"), true)
			o.Use.Saw(at("14:09"), true) // no check can have shown it
		}, RotationUnknown, "not one its checks can have made"},
		{"a sure first use without a last one is odd: unknown", func(o, n *vault.Record) {
			n.Use = vault.UseSeen{First: at("14:02")}
		}, RotationUnknown, "not one its checks can have made"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old, repl := base()
			tc.change(&old, &repl)
			got := RotationOf(old, repl, now)
			if got.State != tc.want || !strings.Contains(got.Detail, tc.words) {
				t.Errorf("RotationOf = %s: %q, want %s saying %q", got.State, got.Detail, tc.want, tc.words)
			}
			if got.Title == "" || got.NextStep == "" {
				t.Errorf("RotationOf left words out: %+v", got)
			}
		})
	}
}

func TestIndex_Rotation(t *testing.T) {
	now := time.Now()
	old := vault.Record{ID: "o", Name: "old", ReplacedBy: "n", Status: vault.StatusActive}
	repl := vault.Record{ID: "n", Name: "new", Replaces: "o", Status: vault.StatusActive, Created: now}
	x := NewIndex([]vault.Record{old, repl})
	if _, ok := x.Rotation(old, now); !ok {
		t.Error("no rotation for the old key")
	}
	if _, ok := x.Rotation(repl, now); ok {
		t.Error("a rotation for the new key")
	}
	old.Status = vault.StatusRevoked
	if _, ok := x.Rotation(old, now); ok {
		t.Error("a rotation for a revoked old key")
	}
	gone := NewIndex([]vault.Record{old})
	old.Status = vault.StatusActive
	if _, ok := gone.Rotation(old, now); ok {
		t.Error("a rotation whose new key is gone")
	}
	fs := gone.Findings(old, now)
	if len(fs) == 0 || fs[0].Code != CodeReplaced || !strings.Contains(fs[0].Detail, "not in the key list") {
		t.Errorf("findings of a key whose replacement is gone: %+v", fs)
	}
}

func TestAgo(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second: "just now", time.Minute: "1 minute ago", 4 * time.Minute: "4 minutes ago",
		2 * time.Hour: "2 hours ago", 49 * time.Hour: "2 days ago",
	} {
		if got := ago(d); got != want {
			t.Errorf("ago(%v) = %q, want %q", d, got, want)
		}
	}
}
