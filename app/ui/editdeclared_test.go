package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// The findings' advice ("change the key's purpose here", "remove them here")
// points at Edit details: the purpose and the intended permissions are
// editable there, and the comparison with Kraken's last answer follows at
// once, without a new check (issue 20 item 2).
func TestEditDialog_purposeAndIntendedPermissions(t *testing.T) {
	f := newFixture(t)
	// Kraken has Query funds and Query ledger; the person meant funds and
	// closed orders, for a tax import.
	rec := f.addKey("koinly-tax", []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}, kraken.QueryFunds, kraken.QueryClosedTrades)
	f.open()
	f.mw.showDetail(rec.ID)
	test.Tap(f.mw.detail.checkNow)
	f.wait()
	has := func(code string) bool {
		r, _ := f.mw.record(rec.ID)
		return slices.ContainsFunc(f.mw.findings(r), func(fd review.Finding) bool { return fd.Code == code })
	}
	if !has(review.CodeMissingPermissions) || !has(review.CodeExtraPermissions) {
		t.Fatal("setup: want both a missing and an extra permission after the check")
	}
	calls := len(f.ex.Calls())

	test.Tap(f.mw.detail.edit)
	e := f.mw.editor
	e.purpose.SetSelected(vault.PurposeTaxImport.Label())
	e.intended.SetSelected([]string{permissionLabel(kraken.QueryFunds), permissionLabel(kraken.QueryLedger)})
	e.dlg.Submit()
	f.wait()

	got := f.stored(rec.ID)
	if got.Purpose != vault.PurposeTaxImport || !slices.Equal(got.Intended, []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}) {
		t.Fatalf("stored purpose %q, intended %v", got.Purpose, got.Intended)
	}
	if has(review.CodeMissingPermissions) || has(review.CodeExtraPermissions) {
		t.Error("the findings still compare Kraken's answer with the old intended permissions")
	}
	for _, row := range f.mw.detail.readback.rows {
		if row.differs() {
			t.Errorf("the detail's comparison still marks %s as a difference", row.perm)
		}
	}
	if n := len(f.ex.Calls()); n != calls {
		t.Errorf("%d calls to Kraken on save; the comparison needs none", n-calls)
	}
	if last := got.History[len(got.History)-1]; !strings.Contains(last.Note, "intended permissions") || !strings.Contains(last.Note, "purpose") {
		t.Errorf("history note %q; want the purpose and permissions change written down", last.Note)
	}

	t.Run("none ticked is refused in words and loses nothing", func(t *testing.T) {
		test.Tap(f.mw.detail.edit)
		e := f.mw.editor
		e.notes.SetText("typed")
		e.intended.SetSelected(nil)
		e.dlg.Submit()
		f.wait()
		if now := f.stored(rec.ID); len(now.Intended) != 2 || now.Notes == "typed" {
			t.Errorf("stored intended %v, notes %q; want nothing saved", now.Intended, now.Notes)
		}
		if !strings.Contains(f.mw.lastMessage, "at least one permission") {
			t.Errorf("message %q", f.mw.lastMessage)
		}
	})
}
