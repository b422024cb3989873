package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

// TestEditDialog_savesOntoTheKeyAsItIsNow: an edit dialog open while
// another process changes the key saves only what the person changed (it
// used to save its old copy of every field, undoing the other change);
// when both changed the same field, nothing is saved and the dialog opens
// again over the key as it is now, with what the person typed kept.
func TestEditDialog_savesOntoTheKeyAsItIsNow(t *testing.T) {
	f := newDemoFixture(t)
	other := keys.New(keys.Params{Store: f.store, Secrets: f.secrets})
	rec := f.byName("koinly-tax-import")

	f.mw.showDetail(rec.ID)
	test.Tap(f.mw.detail.edit)
	e := f.mw.editor
	if _, err := other.Edit(rec.ID, keys.Edit{Name: rec.Name, Account: rec.Account, UsedBy: rec.UsedBy, Notes: "changed in a terminal", Parked: true}); err != nil {
		t.Fatal(err)
	}
	e.name.SetText("koinly-2026")
	e.dlg.Submit()
	f.wait()
	got := f.stored(rec.ID)
	if got.Name != "koinly-2026" || got.Notes != "changed in a terminal" || got.Status != vault.StatusParked {
		t.Fatalf("saved name %q, notes %q, status %s; want the new name, and the other process's notes and parking kept", got.Name, got.Notes, got.Status)
	}

	t.Run("the same field changed elsewhere", func(t *testing.T) {
		f.mw.showDetail(rec.ID)
		test.Tap(f.mw.detail.edit)
		e := f.mw.editor
		if _, err := other.Edit(rec.ID, keys.Edit{Name: "koinly-other", Account: got.Account, UsedBy: got.UsedBy, Notes: got.Notes, Parked: true}); err != nil {
			t.Fatal(err)
		}
		e.name.SetText("koinly-mine")
		e.account.SetText("typed@example.com")
		e.dlg.Submit()
		f.wait()
		now := f.stored(rec.ID)
		if now.Name != "koinly-other" || now.Account != got.Account {
			t.Errorf("stored name %q, account %q; want nothing saved from the dialog", now.Name, now.Account)
		}
		if !strings.Contains(f.mw.lastMessage, "changed elsewhere") || !strings.Contains(f.mw.lastMessage, "Nothing was saved") {
			t.Errorf("message %q, want it to say the name changed elsewhere and nothing was saved", f.mw.lastMessage)
		}
		again := f.mw.editor
		if again == e || again.name.Text != "koinly-mine" || again.account.Text != "typed@example.com" || again.notes.Text != now.Notes {
			t.Errorf("the dialog again: name %q, account %q, notes %q; want what was typed, over the key as it is now",
				again.name.Text, again.account.Text, again.notes.Text)
		}
	})
}
