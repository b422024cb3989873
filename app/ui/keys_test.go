package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

func TestKeysList_order(t *testing.T) {
	f := newDemoFixture(t)
	shown := f.mw.list.shown
	if len(shown) != len(f.mw.records) || len(shown) < 8 {
		t.Fatalf("%d of %d keys shown", len(shown), len(f.mw.records))
	}
	rank := map[review.DisplayState]int{review.StateProblem: 0, review.StateExpiring: 1, review.StateReviewDue: 2,
		review.StateActive: 3, review.StateParked: 4, review.StateRevoked: 5}
	prev := -1
	for _, r := range shown {
		st := f.mw.state(r)
		if rank[st] < prev {
			t.Errorf("%s (%s) sorts after a key that needs less attention: %v", r.Name, st, names(shown))
		}
		prev = rank[st]
	}
	if st := f.mw.state(shown[0]); st != review.StateProblem {
		t.Errorf("first key is %s, want a problem", st)
	}
}

func TestKeysList_search(t *testing.T) {
	f := newDemoFixture(t)
	tests := []struct {
		name, query string
		want        []string
	}{
		{"by name", "koinly", []string{"koinly-tax-import"}},
		{"without case", "KOINLY TAX", []string{"koinly-tax-import"}},
		{"by service", "cointracker", []string{"cointracker-portfolio"}},
		{"by notes", "hetzner", []string{"freqtrade-bot-vps"}},
		{"by account", "demo@example", names(f.mw.records)},
		{"nothing", "binance", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.mw.list.search.SetText("")
			test.Type(f.mw.list.search, tt.query)
			got := names(f.mw.list.shown)
			if !slices.Equal(sorted(got), sorted(tt.want)) {
				t.Errorf("search %q shows %v, want %v", tt.query, got, tt.want)
			}
			if len(tt.want) == 0 && f.mw.list.none.Hidden {
				t.Error("no hint when nothing matches")
			}
		})
	}
}

func TestKeysList_filter(t *testing.T) {
	f := newDemoFixture(t)
	f.mw.list.filter.SetSelected(string(review.StateRevoked))
	if got := names(f.mw.list.shown); !slices.Equal(got, []string{"3commas-bot-2023"}) {
		t.Errorf("revoked filter shows %v", got)
	}
	f.mw.list.filter.SetSelected(filterAttention)
	for _, r := range f.mw.list.shown {
		if !f.mw.needsAttention(r) {
			t.Errorf("%s shown under %q", r.Name, filterAttention)
		}
	}
	if len(f.mw.list.shown) < 3 {
		t.Errorf("only %v need attention", names(f.mw.list.shown))
	}
	f.mw.list.filter.SetSelected(filterInUse)
	if slices.Contains(names(f.mw.list.shown), "3commas-bot-2023") {
		t.Error("a revoked key is shown as in use")
	}
	t.Run("search and filter together", func(t *testing.T) {
		f.mw.list.filter.SetSelected(string(review.StateActive))
		test.Type(f.mw.list.search, "koinly")
		if got := names(f.mw.list.shown); !slices.Equal(got, []string{"koinly-tax-import"}) {
			t.Errorf("shown %v", got)
		}
	})
}

func TestKeysList_selectOpensDetail(t *testing.T) {
	f := newDemoFixture(t)
	f.mw.list.list.Select(0)
	if f.mw.view != viewDetail || f.mw.detail == nil || f.mw.detail.rec.ID != f.mw.list.shown[0].ID {
		t.Fatalf("view %v after selecting the first key", f.mw.view)
	}
	test.Tap(f.mw.detail.back)
	if f.mw.view != viewList {
		t.Error("Back did not return to the list")
	}
}

func TestMainWindow_shortcuts(t *testing.T) {
	f := newDemoFixture(t)
	c := f.mw.win.Canvas()
	ctrl := fyne.KeyModifierShortcutDefault
	f.mw.showSettings()
	c.(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: ctrl})
	if f.mw.view != viewList || c.Focused() != f.mw.list.search {
		t.Errorf("Ctrl+F: view %v, focus %v", f.mw.view, c.Focused())
	}
	// With the search field focused, Ctrl+N still reaches the window.
	f.mw.list.search.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: ctrl})
	if f.mw.view != viewWizard || f.mw.wizard == nil {
		t.Errorf("Ctrl+N: view %v, want the wizard", f.mw.view)
	}
}

func TestEmptyState(t *testing.T) {
	f := newFixture(t)
	started := 0
	f.env.StartDemo = func() error { started++; return nil }
	f.open()
	if got := f.mw.body.Objects[0]; got != f.mw.empty.content {
		t.Fatal("an empty vault does not show the empty state")
	}
	if f.mw.empty.demo == nil {
		t.Fatal("no demo button outside demo mode")
	}
	test.Tap(f.mw.empty.demo)
	if started != 1 {
		t.Errorf("Try the demo started %d demos", started)
	}
	test.Tap(f.mw.empty.add)
	if f.mw.view != viewWizard {
		t.Errorf("Add a key: view %v, want the wizard", f.mw.view)
	}

	t.Run("demo mode offers no second demo", func(t *testing.T) {
		f := newFixture(t)
		f.env.Demo = true
		f.open()
		if f.mw.empty.demo != nil {
			t.Error("demo button in demo mode")
		}
		if got := f.mw.win.Title(); got != DemoTitle {
			t.Errorf("title %q", got)
		}
	})
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// Closing the window while the wizard holds a pasted private key asks
// first: Kraken shows a private key only once.
func TestMainWindow_closeAsksBeforeDiscardingPastedKeys(t *testing.T) {
	f := newDemoFixture(t)
	f.mw.onNewKey()
	rec := f.mw.records[0]
	f.mw.wizard.Showcase(rec, vault.Secret{APIKey: "pasted", PrivateKey: "pasted too"}, 5)
	closed := 0
	f.mw.closeWin = func() { closed++ }
	f.mw.onCloseRequest()
	d := f.mw.wizard.DiscardDialog()
	if closed != 0 || d == nil {
		t.Fatalf("closing with a pasted key: closed %d, asked %v", closed, d != nil)
	}
	d.Dismiss()
	if closed != 0 || f.mw.view != viewWizard {
		t.Fatal("\"Keep editing\" closed the window")
	}
	f.mw.onCloseRequest()
	f.mw.wizard.DiscardDialog().Confirm()
	if closed != 1 {
		t.Errorf("\"Discard it\" did not close the window (closed %d)", closed)
	}
}

// A result's status line goes when the person moves to another screen:
// stale lines do not stay and squeeze the wizard.
func TestMainWindow_statusLineClearsOnAnotherScreen(t *testing.T) {
	f := newDemoFixture(t)
	rec := f.mw.records[0]
	f.mw.showDetail(rec.ID)
	f.mw.notice("Saved " + rec.Name + ".")
	f.mw.render() // the same screen drawn again keeps it
	if f.mw.status.Hidden {
		t.Fatal("redrawing the same screen dropped the result's line")
	}
	f.mw.onNewKey()
	if !f.mw.status.Hidden {
		t.Errorf("the wizard opens under a stale status line %q", f.mw.status.Text)
	}
}

func TestKeysList_countSaysItInPlainWords(t *testing.T) {
	for _, tt := range []struct {
		shown, all, attention int
		want                  string
	}{
		{1, 1, 0, "1 key"},
		{3, 3, 1, "3 keys · 1 needs attention"},
		{2, 5, 4, "2 of 5 keys shown · 4 need attention"},
		{0, 1, 0, "0 of 1 key shown"},
	} {
		if got := countText(tt.shown, tt.all, tt.attention); got != tt.want {
			t.Errorf("countText(%d, %d, %d) = %q, want %q", tt.shown, tt.all, tt.attention, got, tt.want)
		}
	}
}
