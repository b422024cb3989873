package ui

import (
	"fmt"
	"testing"

	"github.com/keywarden/keywarden/app/vault"
)

// Every screen is usable in a window 640 pixels wide: none forces the
// window wider.
func TestScreens_fit640(t *testing.T) {
	const maxWidth = 640
	f := newDemoFixture(t)
	check := func(name string) {
		t.Helper()
		if w := f.mw.root.MinSize().Width; w > maxWidth {
			t.Errorf("%s needs %.0f px, more than %d", name, w, maxWidth)
		}
	}
	f.mw.showList()
	check("the keys list")
	f.mw.showSettings()
	check("the settings")
	for _, rec := range f.mw.records {
		f.mw.showDetail(rec.ID)
		check("the detail of " + rec.Name)
		if !rec.Retired() {
			f.mw.showReview(rec.ID)
			check("the review of " + rec.Name)
			f.mw.showRevoke(rec.ID, false)
			check("the revoke runbook of " + rec.Name)
			f.mw.showRevoke(rec.ID, true)
			check("the leak runbook of " + rec.Name)
		}
	}
	f.mw.showList()
	f.mw.onNewKey()
	rec := f.mw.records[0]
	for step := 1; step <= 7; step++ {
		f.mw.wizard.Showcase(rec, vault.Secret{}, step)
		check(fmt.Sprintf("wizard step %d", step))
	}
}
