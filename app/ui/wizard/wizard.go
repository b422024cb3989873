// Package wizard is the new-key wizard: it walks a person through making a
// least-privilege Kraken API key on the website, takes the key pair, asks
// the exchange what the key really is, and hands the record and secret to
// its caller to keep. It never touches the keyring or the record file.
package wizard

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/ui/async"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// APISettingsURL is the website page where API keys are made.
const APISettingsURL = "https://pro.kraken.com/app/settings/api"

// Deps is what the wizard needs from the rest of the app.
type Deps struct {
	Window fyne.Window // parent for dialogs; required
	// Verify reads a key back from the exchange, for the verify step.
	Verify   func(ctx context.Context, secret vault.Secret, twoFA vault.TwoFA, code string) vault.Readback
	Existing func() []vault.Record // current records: unique names, "this service already holds a key"
	Now      func() time.Time
	OpenURL  func(url string) // opens the exchange's API settings page
	// Do runs UI work posted from a goroutine; nil means fyne.Do.
	Do func(func())
	// DemoSite, in demo mode only, makes the key on the simulated website
	// as the checklist describes it and returns the pair the website shows,
	// so the demo's wizard has something to paste; nil elsewhere.
	DemoSite func(name string, perms []kraken.Permission, ips []string, expires time.Time, nonceWindow int) (apiKey, privateKey string)
}

// Result is what the wizard hands over to be saved: the record for the
// metadata file and the secret for the keyring.
type Result struct {
	Record vault.Record
	Secret vault.Secret
	// Readback is the verify step's answer; Note goes in the "added" event.
	Readback *vault.Readback
	Note     string
}

// step is one page of the wizard.
type step interface {
	title() string
	intro() string
	content() fyne.CanvasObject
	// problem says why the step is not done yet; "" when Next may go on.
	problem() string
	// enter runs each time the step is shown.
	enter()
}

// Wizard is the new-key wizard. Build it with New and put Content in a
// window or dialog.
type Wizard struct {
	d        Deps
	replaces *vault.Record
	onSave   func(Result) error
	onCancel func()

	steps   []step
	scrolls []*container.Scroll
	current int

	root    *fyne.Container
	heading *widget.Label
	intro   *widget.Label
	body    *fyne.Container
	hint    *widget.Label // why Next is disabled
	cancel  *widget.Button
	back    *widget.Button
	next    *widget.Button
	save    *widget.Button

	names  *nameStep
	perms  *permStep
	limits *limitStep
	site   *siteStep
	keys   *keyStep
	twofa  *twofaStep
	verify *verifyStep

	// demoPair is the pair the demo's simulated website made, to paste.
	demoPair [2]string

	// discard is the last "discard the pasted keys?" question shown.
	discard *dialog.ConfirmDialog

	// run is how the wizard's work (verify, save) goes off the UI
	// goroutine; its results come back through Deps.Do.
	run *async.Runner
}

// New builds the wizard. replaces, when non-nil, is the key being rotated:
// the wizard is pre-filled from it (name suggestion, used-by, purpose,
// intended permissions, restrictions) and the Result's Record.Replaces is
// set. onSave runs on a goroutine (it touches the keyring); a non-nil error
// is shown in plain words and the wizard stays open with everything kept.
// onCancel runs on the UI goroutine.
func New(d Deps, replaces *vault.Record, onSave func(Result) error, onCancel func()) *Wizard {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Existing == nil {
		d.Existing = func() []vault.Record { return nil }
	}
	if d.OpenURL == nil {
		d.OpenURL = func(string) {}
	}
	w := &Wizard{d: d, replaces: replaces, onSave: onSave, onCancel: onCancel, run: async.New(d.Do)}

	w.names = newNameStep(w)
	w.perms = newPermStep(w)
	w.limits = newLimitStep(w)
	w.site = newSiteStep(w)
	w.keys = newKeyStep(w)
	w.twofa = newTwofaStep(w)
	w.verify = newVerifyStep(w)
	w.steps = []step{w.names, w.perms, w.limits, w.site, w.keys, w.twofa, w.verify}
	for _, s := range w.steps {
		w.scrolls = append(w.scrolls, container.NewVScroll(container.NewPadded(s.content())))
	}
	for _, e := range []*stepEntry{w.names.usedBy, w.names.name, w.limits.expiry, w.limits.nonce,
		w.keys.apiKey, w.keys.privateKey, w.twofa.code, w.twofa.seed, w.twofa.password} {
		e.OnSubmitted = func(string) { w.onNext() } // Enter goes on, as Next does
	}
	if replaces != nil {
		w.prefill(*replaces)
	} else {
		w.names.setPurpose(vault.Purposes[0]) // read-only, and the commonest use
	}

	w.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.heading.SizeName = theme.SizeNameSubHeadingText
	w.intro = widget.NewLabel("")
	w.intro.Wrapping = fyne.TextWrapWord
	w.hint = widget.NewLabel("")
	w.hint.Wrapping = fyne.TextWrapWord
	w.hint.Importance = widget.WarningImportance
	w.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), w.onCancelTapped)
	w.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), func() { w.show(w.current - 1) })
	w.next = widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), w.onNext)
	w.next.Importance = widget.HighImportance
	w.next.IconPlacement = widget.ButtonIconTrailingText
	w.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), w.verify.onSaveTapped)
	w.save.Importance = widget.HighImportance

	w.body = container.NewStack()
	top := container.NewVBox(w.heading, w.intro, widget.NewSeparator())
	buttons := container.NewHBox(w.cancel, layout.NewSpacer(), w.back, w.next, w.save)
	bottom := container.NewVBox(widget.NewSeparator(), w.hint, buttons)
	w.root = container.NewPadded(container.NewBorder(top, bottom, nil, nil, w.body))
	w.show(0)
	return w
}

// Content returns the wizard's widget tree.
func (w *Wizard) Content() fyne.CanvasObject { return w.root }

// title names the wizard: a new key, or the replacement of one.
func (w *Wizard) title() string {
	if w.replaces != nil {
		return fmt.Sprintf("Replace %q", w.replaces.Name)
	}
	return "New key"
}

// show makes step i the current one.
func (w *Wizard) show(i int) {
	if i < 0 || i >= len(w.steps) {
		return
	}
	w.current = i
	s := w.steps[i]
	s.enter()
	w.heading.SetText(fmt.Sprintf("%s · step %d of %d: %s", w.title(), i+1, len(w.steps), s.title()))
	w.intro.SetText(s.intro())
	w.body.Objects = []fyne.CanvasObject{w.scrolls[i]}
	w.body.Refresh()
	w.refreshNav()
}

// page is the scroller of the current step, for the mouse wheel over its
// fields (wheel.Pass).
func (w *Wizard) page() fyne.Scrollable {
	if w.current >= len(w.scrolls) {
		return nil
	}
	return w.scrolls[w.current]
}

// reveal scrolls the current step so that o, one of its objects, is in
// view.
func (w *Wizard) reveal(o fyne.CanvasObject) {
	sc := w.scrolls[w.current]
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(sc.Content).Y
	bottom := top + o.Size().Height
	switch {
	case top < sc.Offset.Y:
		sc.ScrollToOffset(fyne.NewPos(sc.Offset.X, top))
	case bottom > sc.Offset.Y+sc.Size().Height:
		sc.ScrollToOffset(fyne.NewPos(sc.Offset.X, bottom-sc.Size().Height))
	}
}

// Next goes to the next step when the current one is done, as the Next
// button does, and on the last step saves when Save may; the window calls
// it for Enter when nothing has the focus.
func (w *Wizard) Next() {
	switch {
	case !w.save.Hidden && !w.save.Disabled():
		w.verify.onSaveTapped()
	case !w.next.Hidden && !w.next.Disabled():
		w.onNext()
	}
}

// onNext goes to the next step when the current one is done.
func (w *Wizard) onNext() {
	if w.steps[w.current].problem() != "" {
		w.refreshNav()
		return
	}
	w.show(w.current + 1)
}

func (w *Wizard) onCancelTapped() {
	w.AskDiscard(w.cancelNow)
}

// cancelNow leaves the wizard without asking.
func (w *Wizard) cancelNow() {
	w.verify.stop()
	if w.onCancel != nil {
		w.onCancel()
	}
}

// HoldsKeys reports whether the wizard holds something pasted that is not
// saved yet (the key pair, a 2FA seed or password): Kraken shows a private
// key once, so leaving would lose it.
func (w *Wizard) HoldsKeys() bool {
	if w.verify.saved {
		return false
	}
	for _, e := range []*stepEntry{w.keys.apiKey, w.keys.privateKey, w.twofa.seed, w.twofa.password} {
		if strings.TrimSpace(e.Text) != "" {
			return true
		}
	}
	return false
}

// AskDiscard runs leave at once when nothing pasted would be lost, and
// otherwise only after the person agrees to discard the pasted keys.
func (w *Wizard) AskDiscard(leave func()) {
	if !w.HoldsKeys() {
		leave()
		return
	}
	w.discard = dialog.NewConfirm("Discard the pasted key?",
		"Kraken shows a private key only once. If you leave now, the key you pasted is not kept: "+
			"you would have to delete it on the website and make a new one.",
		func(yes bool) {
			if yes {
				leave()
			}
		}, w.d.Window)
	w.discard.SetConfirmText("Discard it")
	w.discard.SetDismissText("Keep editing")
	w.discard.SetConfirmImportance(widget.DangerImportance)
	w.discard.Show()
}

// DiscardDialog returns the last "discard the pasted keys?" question shown,
// or nil; for tests.
func (w *Wizard) DiscardDialog() *dialog.ConfirmDialog { return w.discard }

// refreshNav enables Back, Next and Save as the current step allows, and
// says why Next is disabled.
func (w *Wizard) refreshNav() {
	if w.next == nil { // still building
		return
	}
	defer w.relayout()
	last := w.current == len(w.steps)-1
	if w.current == 0 || w.verify.busy() {
		w.back.Disable()
	} else {
		w.back.Enable()
	}
	switch {
	case w.verify.saving: // cancelling now could not stop the save
		w.cancel.Disable()
	case w.verify.saved:
		w.cancel.SetText("Close")
		w.cancel.Enable()
	default:
		w.cancel.Enable()
	}
	p := w.steps[w.current].problem()
	w.hint.SetText(p)
	if p == "" {
		w.hint.Hide()
	} else {
		w.hint.Show()
	}
	if last {
		if w.d.Window.Canvas().Focused() == w.next {
			// Keyboard users reach the last step with Space on Next: a
			// hidden button keeping the focus would swallow the Enter
			// that saves (Next, through the window).
			w.d.Window.Canvas().Unfocus()
		}
		w.next.Hide()
		w.save.Show()
		if w.verify.canSave() {
			w.save.Enable()
		} else {
			w.save.Disable()
		}
		return
	}
	w.save.Hide()
	w.next.Show()
	if p == "" {
		w.next.Enable()
	} else {
		w.next.Disable()
	}
}

// relayout lays the current step out again: messages and parts shown or
// hidden change its height, and a container does not notice by itself.
func (w *Wizard) relayout() {
	w.scrolls[w.current].Content.Refresh()
	w.root.Refresh()
}

// plan gathers what steps 1 to 3 say the key should be.
func (w *Wizard) plan() plan {
	expires, _ := w.limits.expiryValue()
	ips, _ := parseIPList(w.limits.ips.Text)
	nonce, _ := parseNonceWindow(w.limits.nonce.Text)
	return plan{
		Name:        strings.TrimSpace(w.names.name.Text),
		Perms:       w.perms.selected(),
		IPs:         ips,
		Expires:     expires,
		NonceWindow: nonce,
	}
}

// now returns the wizard's clock.
func (w *Wizard) now() time.Time { return w.d.Now() }

// loc is the time zone dates are shown and compared in.
func (w *Wizard) loc() *time.Location { return w.now().Location() }

// prefill fills the wizard from the key being rotated.
func (w *Wizard) prefill(old vault.Record) {
	w.names.usedBy.SetText(strings.Join(old.UsedBy, ", "))
	w.names.setPurpose(old.Purpose)
	w.perms.set(old.Intended)
	w.perms.edited = true // the old key's set is a choice: a purpose change must not undo it
	w.limits.prefill(old.Restrictions, old.Created)
	w.twofa.prefill(old.TwoFA)
	w.names.name.SetText(w.names.suggestion())
}
