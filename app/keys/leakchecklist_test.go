package keys

import (
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// Fail closed: a leaked key recorded revoked without Kraken's word may still
// work, so its runbook stays urgent; only Kraken's "invalid key" ends that.
func TestLeakChecklistOf_urgentUntilKrakenConfirms(t *testing.T) {
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	r := vault.Record{Name: "k", Status: vault.StatusRevoked, LeakedAt: now, ReplacedBy: "other",
		LastCheck: &vault.Readback{Outcome: vault.OutcomeOK}}
	if c := LeakChecklistOf(r); !c.Urgent || c.Confirmed {
		t.Errorf("recorded revoked, Kraken still accepts it: urgent %v confirmed %v, want urgent", c.Urgent, c.Confirmed)
	}
	r.LastCheck = &vault.Readback{Outcome: vault.OutcomeInvalidKey}
	c := LeakChecklistOf(r)
	if c.Urgent || !c.Confirmed {
		t.Errorf("Kraken answered invalid key: urgent %v confirmed %v, want neither urgent nor unconfirmed", c.Urgent, c.Confirmed)
	}
	if !c.Done[0] || !c.ByRotation[0] || c.Left != len(LeakStepCodes)-1 || r.LeakStepsLeft() != c.Left {
		t.Errorf("rotated key: done %v by rotation %v left %d (record says %d)", c.Done, c.ByRotation, c.Left, r.LeakStepsLeft())
	}
	r.LastCheck = nil
	if c := LeakChecklistOf(r); !c.Urgent {
		t.Error("no check at all: want urgent")
	}
}
