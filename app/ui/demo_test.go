package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

// In the demo, the revoke runbook completes: the simulated website deletes
// the key, and the confirmation finds it gone.
func TestDemo_revokeCompletes(t *testing.T) {
	f := newDemoFixture(t)
	var rec vault.Record
	for _, r := range f.mw.records {
		if ok, _ := keys.Can(r, keys.ActRevoke); ok && f.mw.state(r) == review.StateActive {
			rec = r
			break
		}
	}
	if rec.ID == "" {
		t.Fatal("no active demo key to revoke")
	}
	f.mw.showRevoke(rec.ID, false)
	rb := f.mw.revoke
	if rb.demoDelete == nil {
		t.Fatal("the demo's runbook has no simulated website")
	}
	test.Tap(rb.demoDelete)
	f.wait()
	test.Tap(rb.confirm)
	f.wait()
	if got := f.stored(rec.ID); got.Status != vault.StatusRevoked {
		t.Errorf("status %s after the simulated website deleted it, want revoked", got.Status)
	}
}

// The demo window says "demo" inside the window.
func TestDemo_banner(t *testing.T) {
	f := newDemoFixture(t)
	if !hasLabelPrefix(f.mw.root, "DEMO") {
		t.Error("no demo banner in the demo window")
	}
	g := newFixture(t).open()
	if hasLabelPrefix(g.mw.root, "DEMO") {
		t.Error("a demo banner in the real window")
	}
}

// hasLabelPrefix reports whether a label under o starts with prefix.
func hasLabelPrefix(o fyne.CanvasObject, prefix string) bool {
	for _, obj := range test.LaidOutObjects(o) {
		if l, ok := obj.(*widget.Label); ok && strings.HasPrefix(l.Text, prefix) {
			return true
		}
	}
	return false
}
