package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

// The status filter's choices besides the states themselves.
const (
	filterAll       = "All keys"
	filterAttention = "Needs attention"
	filterInUse     = "In use"
)

// filterOptions lists the status filter's choices in order.
var filterOptions = []string{filterAll, filterAttention, filterInUse,
	string(review.StateProblem), string(review.StateExpiring), string(review.StateReviewDue),
	string(review.StateActive), string(review.StateParked), string(review.StateRevoked)}

// keysList is the main screen: every key, what needs attention first,
// with a search field and a status filter.
type keysList struct {
	mw *mainWindow

	search   *searchEntry
	filter   *widget.Select
	add      *widget.Button
	checkAll *widget.Button
	prefs    *widget.Button
	find     *widget.Button // Find copies
	activity *widget.Button // the account watch's questions
	list     *widget.List
	count    *widget.Label
	none     *widget.Label // shown instead of the list when nothing matches

	all     []vault.Record
	shown   []vault.Record
	content fyne.CanvasObject
}

func newKeysList(mw *mainWindow) *keysList {
	k := &keysList{mw: mw}
	k.search = newSearchEntry(mw)
	k.search.SetPlaceHolder("Search name, account, service, notes  (Ctrl+F)")
	k.filter = widget.NewSelect(filterOptions, nil)
	k.filter.SetSelected(filterAll)
	k.filter.OnChanged = func(string) { k.apply() }
	k.add = widget.NewButtonWithIcon("Add a key", theme.ContentAddIcon(), mw.onNewKey)
	k.add.Importance = widget.HighImportance
	k.checkAll = widget.NewButtonWithIcon("Check all", theme.ViewRefreshIcon(), mw.onCheckAll)
	k.prefs = widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), mw.showSettings)
	k.find = widget.NewButtonWithIcon("Find copies", theme.SearchIcon(), mw.showSweep)
	k.activity = widget.NewButtonWithIcon("Activity", theme.HistoryIcon(), mw.showActivity)
	k.count = widget.NewLabel("")
	k.none = newWrapped("")
	k.none.Alignment = fyne.TextAlignCenter
	k.none.Hide()

	k.list = widget.NewList(func() int { return len(k.shown) }, newKeyRow,
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(k.shown) {
				o.(*keyRow).set(mw, k.shown[id])
			}
		})
	k.list.OnSelected = k.onSelected
	k.search.OnChanged = func(string) { k.apply() }

	// The search has a row of its own: beside five labelled buttons it
	// would shrink to nothing in a narrow window.
	buttons := container.NewHBox(k.activity, k.find, k.checkAll, k.add, k.prefs)
	bar := container.NewBorder(nil, nil, nil, k.filter, k.search)
	k.count.Truncation = fyne.TextTruncateEllipsis
	top := container.NewVBox(bar, container.NewBorder(nil, nil, nil, buttons, k.count))
	k.content = container.NewBorder(top, nil, nil, nil, container.NewStack(k.list, container.NewPadded(k.none)))
	return k
}

// setRecords shows a new key list, keeping the search and filter.
func (k *keysList) setRecords(recs []vault.Record) {
	k.all = recs
	k.apply()
}

// apply narrows the keys to the search and filter.
func (k *keysList) apply() {
	terms := strings.Fields(strings.ToLower(k.search.Text))
	k.shown = k.shown[:0]
	for _, r := range k.all {
		if k.matchesFilter(r, k.mw.needsAttention(r)) && matchesSearch(r, terms) {
			k.shown = append(k.shown, r)
		}
	}
	k.list.UnselectAll()
	k.list.Refresh()
	switch {
	case k.mw.loadErr != nil:
		k.none.SetText(userMessage(k.mw.loadErr))
	case len(k.shown) == 0 && len(k.all) > 0:
		k.none.SetText("No key matches. Clear the search or choose “All keys”.")
	default:
		k.none.SetText("")
	}
	k.none.Hidden = k.none.Text == ""
	k.none.Refresh()
	k.count.SetText(k.countText())
}

// countText says how many keys are shown, and how many need attention
// (the same count the tray shows).
func (k *keysList) countText() string {
	return countText(len(k.shown), len(k.all), k.mw.snap.AttentionCount())
}

// countText says that shown of all keys are shown, and how many of all
// need attention.
func countText(shown, all, attention int) string {
	s := plural(all, "key")
	if shown != all {
		s = fmt.Sprintf("%d of %s shown", shown, s)
	}
	switch {
	case attention == 1:
		s += " · 1 needs attention"
	case attention > 1:
		s += fmt.Sprintf(" · %d need attention", attention)
	}
	return s
}

func (k *keysList) matchesFilter(r vault.Record, needsAttention bool) bool {
	switch f := k.filter.Selected; f {
	case filterAll, "":
		return true
	case filterAttention:
		return needsAttention
	case filterInUse:
		return !r.Retired()
	default:
		return string(k.mw.state(r)) == f
	}
}

// matchesSearch reports whether every term is in the key's name, account,
// services or notes.
func matchesSearch(r vault.Record, terms []string) bool {
	hay := strings.ToLower(strings.Join([]string{r.Name, r.Account, usedBy(r), r.Notes}, "\n"))
	for _, t := range terms {
		if !strings.Contains(hay, t) {
			return false
		}
	}
	return true
}

func (k *keysList) onSelected(id widget.ListItemID) {
	if id >= len(k.shown) {
		return
	}
	rec := k.shown[id]
	k.list.UnselectAll()
	k.mw.showDetail(rec.ID)
}

// searchEntry is the search field; it passes the window's own shortcuts
// (Ctrl+N, Ctrl+F) on, which an entry with the focus would otherwise eat.
type searchEntry struct {
	widget.Entry
	mw *mainWindow
}

func newSearchEntry(mw *mainWindow) *searchEntry {
	e := &searchEntry{mw: mw}
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut hands Ctrl+N and Ctrl+F to the window.
func (e *searchEntry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && (cs.KeyName == fyne.KeyN || cs.KeyName == fyne.KeyF) {
		if c, ok := e.mw.win.Canvas().(fyne.Shortcutable); ok {
			c.TypedShortcut(s)
			return
		}
	}
	e.Entry.TypedShortcut(s)
}
