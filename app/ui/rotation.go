package ui

import (
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

// rotationLine is the list row's word on a replaced key: the rotation's
// verdict (keys.Snapshot.Rotation) in a few words.
func (mw *mainWindow) rotationLine(rec vault.Record) string {
	rot, ok := mw.snap.Rotation(rec.ID)
	if !ok {
		return ""
	}
	switch rot.State {
	case review.RotationNotSwitched:
		return "replaced: its program has not switched yet"
	case review.RotationBothInUse:
		return "replaced: both keys are in use"
	case review.RotationSwitched:
		return "replaced: switched, revoke it now"
	}
	return "replaced: revoke it once the new key works"
}

// highlightRevoke makes Revoke the highlighted next step of the old key of
// a rotation when, and only when, the exchange shows the switch: the new
// key in use and this one quiet since.
func (d *keyDetail) highlightRevoke() {
	rot, ok := d.mw.snapshot().Rotation(d.rec.ID)
	if ok && rot.State == review.RotationSwitched && !d.revoke.Disabled() {
		d.revoke.Importance = widget.HighImportance
	}
}
