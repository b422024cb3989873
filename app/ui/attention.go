package ui

import (
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

// What needs attention, and why: every screen asks the key service's
// snapshot (app/keys), so the list, the detail, the filter, the tray and
// the command line agree.

// state is how the list shows r now.
func (mw *mainWindow) state(r vault.Record) review.DisplayState { return mw.snap.State(r.ID) }

// findings are what a review of r finds now, most severe first.
func (mw *mainWindow) findings(r vault.Record) []review.Finding { return mw.snap.Findings(r.ID) }

// needsAttention reports whether the key needs the person now.
func (mw *mainWindow) needsAttention(r vault.Record) bool { return mw.snap.NeedsAttention(r.ID) }
