package tray

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/keywarden/keywarden/app/internal/safetext"
	"github.com/keywarden/keywarden/app/keys"
)

// MaxKeys is how many keys the menu lists; the rest are summed up in one
// item that opens the window.
const MaxKeys = 10

// maxLabel caps a menu label, in characters: tray menus do not wrap.
const maxLabel = 72

// Model is what the tray shows at one moment. BuildModel makes it from a
// keys.Snapshot, so it is tested without a desktop.
type Model struct {
	// Attention is true when a key needs attention: the icon is then
	// assets.TrayAttention instead of assets.TrayOK.
	Attention bool
	// Tooltip says in a few words how things stand.
	Tooltip string
	// Keys are the keys that need attention (keys.Snapshot.Attention),
	// most urgent first, at most MaxKeys of them.
	Keys []KeyItem
	// More counts the keys that need attention beyond Keys.
	More int
	// Checking is true while "Check all keys now" runs.
	Checking bool
	// CanCheck is false when the tray cannot check keys (no keyring), which
	// disables "Check all keys now".
	CanCheck bool
	// Account is the account watch's menu line, "Account: 1 question",
	// which opens Activity; "" when no question is open. It counts as
	// needing attention.
	Account string
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
		m.Checking == o.Checking && m.CanCheck == o.CanCheck && m.Account == o.Account && slices.Equal(m.Keys, o.Keys)
}

// BuildModel returns what the tray shows for snap, the key list as every
// face sees it (keys.Snapshot): the keys listed are exactly those that
// need attention (Snapshot.Attention), most urgent first, at most MaxKeys
// of them and More for the rest, each labelled with its most severe
// finding; the tooltip counts Snapshot.AttentionCount, as the window does.
// A snooze keeps a key's notifications quiet, not its findings out of the
// menu. It takes time linear in the number of records.
func BuildModel(snap *keys.Snapshot) Model {
	n := snap.AttentionCount()
	m := Model{Attention: n > 0, Tooltip: tooltip(len(snap.Records), n), CanCheck: true}
	// Snapshot.Attention, without copying thousands of records to list ten.
	for _, r := range snap.Records {
		if !snap.NeedsAttention(r.ID) {
			continue
		}
		if len(m.Keys) == MaxKeys {
			m.More++
			continue
		}
		item := KeyItem{RecordID: r.ID, Label: keyName(r.Name)}
		if fs := snap.Findings(r.ID); len(fs) > 0 { // most severe first
			item.Label += " — " + safetext.Line(fs[0].Title) // findings quote names too
			item.Hint = safetext.Line(fs[0].NextStep)
		}
		item.Label = truncate(item.Label, maxLabel)
		m.Keys = append(m.Keys, item)
	}
	return m
}

// WithActivity returns m with the account watch's open questions (st, as
// keys.Service.Activity read it) in its menu, icon and tooltip, or, when
// none is open, a watch that stopped. A file that cannot be read (err)
// counts as a question: what it held is unknown, and Activity says why.
func (m Model) WithActivity(st keys.ActivityState, err error) Model {
	n := len(st.Questions)
	stopped := slices.ContainsFunc(st.Watches, func(w keys.AccountWatch) bool { return w.Stopped != "" })
	switch {
	case err != nil:
		m.Account = "Account watch: its file cannot be read — open Activity"
	case n == 0 && stopped:
		m.Account = "Account watch stopped — open Activity"
		m.Attention = true
		m.Tooltip += "; the account watch stopped"
		return m
	case n == 0:
		return m
	case n == 1:
		m.Account = "Account: 1 question"
	default:
		m.Account = fmt.Sprintf("Account: %d questions", n)
	}
	m.Attention = true
	if n == 0 {
		n = 1
	}
	m.Tooltip += "; " + plural(n, "account question needs", "account questions need") + " your answer"
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

// keyName is a key's name for the menu and the notifications, as one line
// of printable text (safetext.Line).
func keyName(name string) string {
	if name = strings.TrimSpace(name); name == "" {
		return "(unnamed key)"
	}
	return safetext.Line(name)
}

// truncate shortens s to at most n characters, ending it with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
