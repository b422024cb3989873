package tray

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
)

// modelOf builds the tray's model for records at t0, with the default
// settings.
func modelOf(records []vault.Record, state remind.State) Model {
	return BuildModel(keys.NewSnapshot(records, keys.DefaultSettings(), state, t0))
}

func TestBuildModel(t *testing.T) {
	reviewDue := reviewDueAt(t0.Add(-day))
	gone := func(r *vault.Record) {
		r.LastCheck = &vault.Readback{At: t0.Add(-time.Hour), Outcome: vault.OutcomeInvalidKey, Problem: "invalid key"}
	}
	tests := []struct {
		name      string
		records   []vault.Record
		state     remind.State
		attention bool
		tooltip   string
		labels    []string // the key items, in order
	}{
		{name: "no keys at all", tooltip: "Keywarden: no keys yet"},
		{name: "one healthy key", records: []vault.Record{taxKey()}, tooltip: "Keywarden: your key looks fine"},
		{
			name:    "two healthy keys",
			records: []vault.Record{taxKey(), botKey()},
			tooltip: "Keywarden: all 2 keys look fine",
		},
		{
			name:      "a key due for review",
			records:   []vault.Record{taxKey(reviewDue), botKey()},
			attention: true,
			tooltip:   "Keywarden: 1 key needs attention",
			labels:    []string{"koinly-tax — Time to review this key"},
		},
		{
			name:      "a key due for review stays listed once its notification was shown",
			records:   []vault.Record{taxKey(reviewDue)},
			state:     remind.State{Sent: map[string]time.Time{"k1/review/2026-03-09": t0}},
			attention: true,
			tooltip:   "Keywarden: 1 key needs attention",
			labels:    []string{"koinly-tax — Time to review this key"},
		},
		{
			// Before, the tray listed it (its 30-day reminder is due) and
			// counted it, while the window did not.
			name:    "a key expiring in 20 days: its reminder is information, not attention, as in the window",
			records: []vault.Record{taxKey(expiring(t0.Add(20 * day)))},
			tooltip: "Keywarden: your key looks fine",
		},
		{
			name:      "a key expiring within a week needs attention",
			records:   []vault.Record{taxKey(expiring(t0.Add(5 * day)))},
			attention: true,
			tooltip:   "Keywarden: 1 key needs attention",
			labels:    []string{"koinly-tax — Expires in 5 days"},
		},
		{
			name:      "a snooze does not hide a key's findings",
			records:   []vault.Record{taxKey(reviewDue)},
			state:     remind.State{Snoozes: map[string]remind.Snooze{"k1": {Until: t0.Add(day)}}},
			attention: true,
			tooltip:   "Keywarden: 1 key needs attention",
			labels:    []string{"koinly-tax — Time to review this key"},
		},
		{
			name:      "a problem comes before a review",
			records:   []vault.Record{taxKey(reviewDue), botKey(gone)},
			attention: true,
			tooltip:   "Keywarden: 2 keys need attention",
			labels:    []string{"freqtrade-bot — The exchange no longer knows this key", "koinly-tax — Time to review this key"},
		},
		{
			name:    "a revoked key is history, not a task",
			records: []vault.Record{taxKey(reviewDue, func(r *vault.Record) { r.Status = vault.StatusRevoked; r.LastCheck = nil })},
			tooltip: "Keywarden: your key looks fine",
		},
		{
			name:      "a leaked key must be revoked now",
			records:   []vault.Record{taxKey(func(r *vault.Record) { r.Status = vault.StatusCompromised })},
			attention: true,
			tooltip:   "Keywarden: 1 key needs attention",
			labels:    []string{"koinly-tax — Leaked key: revoke it now"},
		},
		{
			name:      "a replaced key waits to be revoked, as in the window",
			records:   []vault.Record{taxKey(func(r *vault.Record) { r.ReplacedBy = "k9" })},
			attention: true,
			tooltip:   "Keywarden: 1 key needs attention",
			labels:    []string{"koinly-tax — Replaced: revoke the old key once the new one works"},
		},
		{
			name:      "an unnamed key",
			records:   []vault.Record{taxKey(reviewDue, named("k1", ""))},
			attention: true,
			tooltip:   "Keywarden: 1 key needs attention",
			labels:    []string{"(unnamed key) — Time to review this key"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := modelOf(tt.records, tt.state)
			var labels []string
			for _, k := range m.Keys {
				labels = append(labels, k.Label)
				if k.Hint == "" {
					t.Errorf("item %q has no hint", k.Label)
				}
			}
			if m.Attention != tt.attention || m.Tooltip != tt.tooltip || !slices.Equal(labels, tt.labels) || m.More != 0 {
				t.Errorf("BuildModel =\n  attention %v, tooltip %q, labels %q, more %d\nwant\n  attention %v, tooltip %q, labels %q, more 0",
					m.Attention, m.Tooltip, labels, m.More, tt.attention, tt.tooltip, tt.labels)
			}
		})
	}
}

func TestBuildModel_manyKeys(t *testing.T) {
	var records []vault.Record
	for i := range MaxKeys + 3 {
		records = append(records, taxKey(reviewDueAt(t0.Add(-day)), named(fmt.Sprintf("id%02d", i), fmt.Sprintf("key-%02d", i))))
	}
	records = append(records, botKey())
	m := modelOf(records, remind.State{})
	if len(m.Keys) != MaxKeys || m.More != 3 || !m.Attention {
		t.Fatalf("got %d items and %d more (attention %v); want %d and 3 more", len(m.Keys), m.More, m.Attention, MaxKeys)
	}
	if m.Tooltip != fmt.Sprintf("Keywarden: %d keys need attention", MaxKeys+3) {
		t.Errorf("tooltip %q", m.Tooltip)
	}
	for i, k := range m.Keys {
		if want := fmt.Sprintf("id%02d", i); k.RecordID != want {
			t.Errorf("item %d is %s, want %s (same rank: by name)", i, k.RecordID, want)
		}
	}
}

func TestBuildModel_longNameIsCut(t *testing.T) {
	long := strings.Repeat("very-long-name-", 10)
	m := modelOf([]vault.Record{taxKey(reviewDueAt(t0.Add(-day)), named("k1", long))}, remind.State{})
	if len(m.Keys) != 1 {
		t.Fatalf("got %d items", len(m.Keys))
	}
	if got := []rune(m.Keys[0].Label); len(got) != maxLabel || got[len(got)-1] != '…' {
		t.Errorf("label %q: want %d characters ending in …", m.Keys[0].Label, maxLabel)
	}
}

func TestModel_Equal(t *testing.T) {
	a := modelOf([]vault.Record{taxKey(reviewDueAt(t0.Add(-day)))}, remind.State{})
	b := modelOf([]vault.Record{taxKey(reviewDueAt(t0.Add(-day)))}, remind.State{})
	if !a.Equal(b) {
		t.Error("the same key list gives models that differ")
	}
	b.Checking = true
	if a.Equal(b) {
		t.Error("Checking is not compared")
	}
	if a.Equal(ErrorModel()) {
		t.Error("ErrorModel equals a model of keys")
	}
}

func TestMenuLabel(t *testing.T) {
	if got := menuLabel("bot_key_1 — Time"); got != "bot__key__1 — Time" {
		t.Errorf("menuLabel = %q: underscores must be doubled, or dbusmenu reads them as access keys", got)
	}
}
