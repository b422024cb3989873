package remind

import (
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// rotationPair is a rotation's two records at now, as the checks of both
// keys left them: the new key saved savedAgo ago and first used newUsedAgo
// ago (0: never), the old key last used oldUsedAgo ago; both checked a
// minute ago.
func rotationPair(now time.Time, savedAgo, newUsedAgo, oldUsedAgo time.Duration) []vault.Record {
	checked := now.Add(-time.Minute)
	rb := func() *vault.Readback {
		return &vault.Readback{At: checked, Outcome: vault.OutcomeOK, LastUsed: checked.Add(-time.Hour)}
	}
	old := vault.Record{ID: "old", Name: "bot-2026-06", Status: vault.StatusActive, Purpose: vault.PurposeTradingBot,
		Created: now.Add(-200 * day), LastReviewed: now.Add(-day), ReplacedBy: "new", LastCheck: rb()}
	old.Use.Saw(now.Add(-oldUsedAgo), true)
	repl := vault.Record{ID: "new", Name: "bot-2026-12", Status: vault.StatusActive, Purpose: vault.PurposeTradingBot,
		Created: now.Add(-savedAgo), Replaces: "old", LastCheck: rb()}
	if newUsedAgo > 0 {
		repl.Use.Saw(now.Add(-newUsedAgo), true)
		repl.Use.Saw(now.Add(-2*time.Minute), true)
	}
	return []vault.Record{old, repl}
}

func rotationDue(records []vault.Record, state State, now time.Time) []Reminder {
	var out []Reminder
	for _, r := range Due(records, state, now) {
		if r.Kind == Rotation {
			out = append(out, r)
		}
	}
	return out
}

func TestDue_rotation(t *testing.T) {
	now := t0
	t.Run("the switch seen: revoke the old key, once", func(t *testing.T) {
		recs := rotationPair(now, 2*time.Hour, 30*time.Minute, 90*time.Minute)
		got := rotationDue(recs, State{}, now)
		if len(got) != 1 || got[0].ID != "old/rotation/switched" ||
			got[0].Title != "“bot-2026-12” is in use and the old key is quiet: revoke “bot-2026-06”" {
			t.Fatalf("reminders %+v, want the switch", got)
		}
		if again := rotationDue(recs, State{Sent: sent(now, got[0].ID)}, now.Add(time.Hour)); len(again) != 0 {
			t.Errorf("shown again: %+v", again)
		}
	})
	t.Run("not switched, the old key used before the save: no reminder", func(t *testing.T) {
		recs := rotationPair(now, 5*day, 0, 6*day)
		if got := rotationDue(recs, State{}, now); len(got) != 0 {
			t.Errorf("reminders %+v, want none", got)
		}
	})
	t.Run("the old key still in use 3 days after the rotation", func(t *testing.T) {
		recs := rotationPair(now, 4*day, 3*day, time.Hour)
		got := rotationDue(recs, State{}, now)
		if len(got) != 1 || got[0].ID != "old/rotation/old-in-use" || !got[0].At.Equal(now.Add(-4*day+StillInUseAfter)) ||
			!strings.HasPrefix(got[0].Title, "“bot-2026-06” is still in use 3 days after its rotation: both keys are in use") {
			t.Fatalf("reminders %+v, want the old key still in use", got)
		}
	})
	t.Run("still in use 2 days after: not yet, and the scheduler wakes for it", func(t *testing.T) {
		recs := rotationPair(now, 2*day, day, time.Hour)
		if got := rotationDue(recs, State{}, now); len(got) != 0 {
			t.Errorf("reminders %+v, want none yet", got)
		}
		next, ok := nextReminder(recs, State{}, now)
		if want := now.Add(-2*day + StillInUseAfter); !ok || !next.Equal(want) {
			t.Errorf("next reminder at %v (%v), want %v", next, ok, want)
		}
	})
}
