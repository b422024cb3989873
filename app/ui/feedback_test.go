package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// shownText is the text o draws, its lines joined by spaces: what a person
// can read of it.
func shownText(o fyne.CanvasObject) string {
	var parts []string
	for _, obj := range test.LaidOutObjects(o) {
		if t, ok := obj.(*canvas.Text); ok && t.Visible() && t.Text != "" {
			parts = append(parts, strings.TrimSpace(t.Text))
		}
	}
	return strings.Join(parts, " ")
}

// A long status line (a check's failure, a key warning) is shown in full
// at 640 pixels, over several lines, never cut with "…".
func TestStatusLine_showsLongTextInFull(t *testing.T) {
	f := newDemoFixture(t)
	f.mw.win.Resize(fyne.NewSize(640, 480))
	msg := "Checked koinly-tax-import: the check failed. Kraken rejected the signature. Either the private key does not belong to this API key (paste it again), or the key has 2FA and the code was wrong or expired (try a fresh code)."
	f.mw.notice(msg)
	if got := shownText(f.mw.status); got != msg {
		t.Errorf("the status line shows %q\nwant %q", got, msg)
	}
	if f.mw.status.Size().Height < f.mw.status.MinSize().Height {
		t.Errorf("the status line is %v high, its text needs %v", f.mw.status.Size().Height, f.mw.status.MinSize().Height)
	}
}

// Remove is in the danger colour, its question too, and it is in view
// without scrolling at 640×480 and 840×580 (the demo's size), for every
// key.
func TestKeyDetail_removeInViewAndDanger(t *testing.T) {
	f := newDemoFixture(t)
	for _, size := range []fyne.Size{{Width: 640, Height: 480}, {Width: 840, Height: 580}} {
		f.mw.win.Resize(size)
		for _, rec := range f.mw.records {
			f.mw.showDetail(rec.ID)
			b := f.mw.detail.remove
			if b.Importance != widget.DangerImportance {
				t.Fatalf("Remove has importance %v, want danger", b.Importance)
			}
			canvasSize := f.mw.win.Canvas().Size()
			at := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
			if !b.Visible() || at.Y < 0 || at.Y+b.Size().Height > canvasSize.Height || b.Size().Height == 0 {
				t.Errorf("%v, %s: Remove at %v (%v high) in a canvas %v high: not in view", size, rec.Name, at, b.Size().Height, canvasSize.Height)
			}
		}
	}
	rec := f.mw.records[0]
	f.mw.showDetail(rec.ID)
	test.Tap(f.mw.detail.remove)
	f.wait()
	if d := f.mw.detail.confirm; d == nil {
		t.Fatal("Remove asked nothing")
	}
	if !hasDangerButton(f.mw.win.Canvas().Overlays().Top(), "Remove") {
		t.Error("the question's Remove button is not in the danger colour")
	}
}

// hasDangerButton reports whether a button labelled text under o has the
// danger importance.
func hasDangerButton(o fyne.CanvasObject, text string) bool {
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text && b.Importance == widget.DangerImportance {
			return true
		}
	}
	return false
}

// Settings' Save always confirms, and Escape leaves Settings: from the
// window, and from a field after saving what it holds; a wrong value
// keeps the person there with the problem shown.
func TestSettings_saveConfirmsAndEscapeLeaves(t *testing.T) {
	f := newDemoFixture(t)
	escape := &fyne.KeyEvent{Name: fyne.KeyEscape}

	f.mw.showSettings()
	test.Tap(f.mw.settings.saveButton) // nothing changed: still confirmed
	f.wait()
	if f.mw.status.Hidden || f.mw.status.Text != "Settings saved." {
		t.Errorf("Save with nothing changed shows %q", f.mw.status.Text)
	}
	f.mw.settings.risky.SetText("20")
	test.Tap(f.mw.settings.saveButton)
	f.wait()
	if got := f.settings().RiskyDays; got != 20 || f.mw.status.Text != "Settings saved." {
		t.Errorf("Save: risky days %d, status %q", got, f.mw.status.Text)
	}

	f.mw.win.Canvas().OnTypedKey()(escape) // nothing has the focus
	if f.mw.view != viewList {
		t.Fatalf("Escape left the window on view %d", f.mw.view)
	}

	f.mw.showSettings()
	s := f.mw.settings
	f.mw.win.Canvas().Focus(s.readOnly)
	s.readOnly.SetText("500")
	s.readOnly.TypedKey(escape)
	if f.mw.view != viewSettings || s.problem.Hidden {
		t.Fatalf("Escape with a wrong value: view %d, problem %q", f.mw.view, s.problem.Text)
	}
	s.readOnly.SetText("30")
	s.readOnly.TypedKey(escape)
	f.wait()
	if f.mw.view != viewList || f.settings().ReadOnlyDays != 30 {
		t.Errorf("Escape from a field: view %d, read-only days %d", f.mw.view, f.settings().ReadOnlyDays)
	}
}

// Ctrl+N does nothing behind an open dialog (seen under X: the wizard
// opened under "Remove the key?"), and works again once it is closed.
func TestWindow_ctrlNWaitsForTheDialog(t *testing.T) {
	f := newDemoFixture(t)
	ctrlN := &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	c := f.mw.win.Canvas().(fyne.Shortcutable)
	rec := f.mw.records[0]
	f.mw.showDetail(rec.ID)
	test.Tap(f.mw.detail.remove)
	c.TypedShortcut(ctrlN)
	if f.mw.view != viewDetail || f.mw.wizard != nil {
		t.Fatalf("Ctrl+N behind the dialog opened view %d", f.mw.view)
	}
	f.mw.detail.confirm.Hide()
	c.TypedShortcut(ctrlN)
	if f.mw.view != viewWizard {
		t.Errorf("Ctrl+N after the dialog closed: view %d", f.mw.view)
	}
}
