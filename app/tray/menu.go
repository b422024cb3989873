package tray

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

// MaxKeys is how many keys the menu lists; the rest are summed up in one
// item that opens the window.
const MaxKeys = 10

// maxLabel caps a menu label, in characters: tray menus do not wrap.
const maxLabel = 72

// Model is what the tray shows at one moment. BuildModel makes it from the
// key list, the reminders' state and the time, so it is tested without a
// desktop.
type Model struct {
	// Attention is true when a key needs attention: the icon is then
	// assets.TrayAttention instead of assets.TrayOK.
	Attention bool
	// Tooltip says in a few words how things stand.
	Tooltip string
	// Keys are the keys that are due or have a problem, most urgent first,
	// at most MaxKeys of them.
	Keys []KeyItem
	// More counts the keys that need attention beyond Keys.
	More int
	// Checking is true while "Check all keys now" runs.
	Checking bool
	// CanCheck is false when the tray cannot check keys (no keyring), which
	// disables "Check all keys now".
	CanCheck bool
}

// KeyItem is one key in the menu; clicking it opens the key's review in the window.
type KeyItem struct {
	RecordID string
	// Label is the menu text: the key's name and what is wrong.
	Label string
	// Hint says what to do about it (the item's tooltip).
	Hint string
}

// Equal reports whether m and o show the same thing.
func (m Model) Equal(o Model) bool {
	return m.Attention == o.Attention && m.Tooltip == o.Tooltip && m.More == o.More &&
		m.Checking == o.Checking && m.CanCheck == o.CanCheck && slices.Equal(m.Keys, o.Keys)
}

// BuildModel returns what the tray shows for records (with the person's
// review defaults applied, see Settings.Effective) at now. A key is listed,
// and the icon shows attention, when review.NeedsAttention says so, when it
// was replaced but not yet retired (as the window counts it), or when one of
// its reminders is due, shown already or not; a snooze keeps a reminder out
// of the menu as it keeps it quiet, but not the key's findings.
func BuildModel(records []vault.Record, state remind.State, now time.Time) Model {
	// Every reminder due now, whether shown already or not: only the
	// snoozes are kept from the state.
	due := make(map[string]remind.Reminder)
	for _, rem := range remind.Due(records, remind.State{Snoozes: state.Snoozes}, now) {
		if old, ok := due[rem.RecordID]; !ok || rem.Severity > old.Severity {
			due[rem.RecordID] = rem
		}
	}
	type listed struct {
		item KeyItem
		rank int
		name string
	}
	var keys []listed
	for _, r := range records {
		needs := review.NeedsAttention(r, records, now)
		replaced := r.ReplacedBy != "" && !r.Retired()
		rem, isDue := due[r.ID]
		if !needs && !replaced && !isDue {
			continue
		}
		item := KeyItem{RecordID: r.ID}
		fs := review.Findings(r, records, now) // most severe first
		switch {
		case needs && len(fs) > 0:
			item.Label, item.Hint = keyName(r.Name)+" — "+fs[0].Title, fs[0].NextStep
		case replaced:
			item.Label = keyName(r.Name) + " — replaced: revoke it once the new key works"
			item.Hint = "When whatever used this key works with its replacement, revoke this one."
		default:
			item.Label, item.Hint = rem.Title, rem.Body
		}
		item.Label = truncate(item.Label, maxLabel)
		keys = append(keys, listed{item: item, rank: review.AttentionRank(r, records, now), name: strings.ToLower(r.Name)})
	}
	sort.SliceStable(keys, func(i, j int) bool {
		if keys[i].rank != keys[j].rank {
			return keys[i].rank < keys[j].rank
		}
		if keys[i].name != keys[j].name {
			return keys[i].name < keys[j].name
		}
		return keys[i].item.RecordID < keys[j].item.RecordID
	})

	m := Model{Attention: len(keys) > 0, Tooltip: tooltip(len(records), len(keys)), CanCheck: true}
	for i, k := range keys {
		if i == MaxKeys {
			m.More = len(keys) - MaxKeys
			break
		}
		m.Keys = append(m.Keys, k.item)
	}
	return m
}

// ErrorModel is what the tray shows when the key list cannot be read: the
// attention icon, and the window as the way to find out why.
func ErrorModel() Model {
	return Model{Attention: true, Tooltip: "Keywarden: the key list cannot be read. Open Keywarden to see why.", CanCheck: false}
}

// tooltip sums up how things stand.
func tooltip(total, attention int) string {
	switch {
	case total == 0:
		return "Keywarden: no keys yet"
	case attention == 0 && total == 1:
		return "Keywarden: your key looks fine"
	case attention == 0:
		return fmt.Sprintf("Keywarden: all %d keys look fine", total)
	case attention == 1:
		return "Keywarden: 1 key needs attention"
	}
	return fmt.Sprintf("Keywarden: %d keys need attention", attention)
}

// keyName is a key's name for the menu.
func keyName(name string) string {
	if name = strings.TrimSpace(name); name == "" {
		return "(unnamed key)"
	}
	return name
}

// truncate shortens s to at most n characters, ending it with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
