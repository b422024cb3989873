package wizard

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/ui/async"
	"github.com/keywarden/keywarden/app/vault"
)

// verifyTimeout bounds one verify call, waits for the rate counter included.
const verifyTimeout = time.Minute

// verifyInput is what a verify call was made with.
type verifyInput struct {
	secret vault.Secret
	mode   vault.TwoFA
}

// verifyStep is step 7: one readback of the key, shown beside what was
// intended, then Save.
type verifyStep struct {
	w *Wizard

	progress  *widget.ProgressBarInfinite
	status    *widget.Label // the outcome in one sentence, or the problem
	table     *fyne.Container
	cells     []rowCells // the comparison on screen, one per row
	rows      []compareRow
	again     *widget.Button
	againNote *widget.Label
	code      *stepEntry // typed 2FA: a fresh code for Verify again
	codePart  *fyne.Container
	saveMsg   *widget.Label
	// confirm asks before saving a key that differs from the intention;
	// confirmText is its message.
	confirm     *dialog.ConfirmDialog
	confirmText string

	readback *vault.Readback // the last answer
	checked  verifyInput     // what it was asked with
	lastCode string          // the typed code last sent
	running  bool
	saving   bool
	saved    bool
	gen      int // tells a stale answer from the current one
	cancel   context.CancelFunc

	box *fyne.Container
}

func newVerifyStep(w *Wizard) *verifyStep {
	s := &verifyStep{w: w}
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.status = wrapped("")
	s.table = container.NewVBox()
	s.again = widget.NewButtonWithIcon("Verify again", theme.ViewRefreshIcon(), s.onAgain)
	s.againNote = wrapped("Fix it on the website, then verify again.")
	s.code = newStepEntry(w, false)
	s.code.SetPlaceHolder("a fresh code")
	s.code.OnChanged = func(string) { s.render() }
	s.codePart = container.NewBorder(nil, nil, widget.NewLabel("Fresh code from the key's authenticator:"), nil, s.code)
	s.saveMsg = note()
	s.box = container.NewVBox(s.progress, s.status, s.table, widget.NewSeparator(),
		s.againNote, s.codePart, container.NewHBox(s.again), s.saveMsg)
	return s
}

func (s *verifyStep) title() string { return "verify" }

func (s *verifyStep) intro() string {
	return "Keywarden asks Kraken what the key really is (one read-only call) and puts it beside what you intended."
}

func (s *verifyStep) content() fyne.CanvasObject { return s.box }

func (s *verifyStep) problem() string {
	switch {
	case s.running:
		return "Waiting for Kraken…"
	case s.saving:
		return "Saving…"
	case s.readback == nil:
		return ""
	case s.readback.Outcome != vault.OutcomeOK:
		return "Kraken did not confirm the key: fix what the message says, then verify again."
	}
	return ""
}

// enter verifies the key, unless this very key was verified already (a
// failed call is never repeated without the person asking, except with a
// new typed code).
func (s *verifyStep) enter() {
	in := s.input()
	_, _, code := s.w.twofa.secretPart()
	switch {
	case s.running:
	case s.readback == nil, in != s.checked:
		s.start(in, code)
		return
	case s.readback.Outcome != vault.OutcomeOK && in.mode == vault.TwoFATyped && code != s.lastCode:
		s.start(in, code)
		return
	}
	s.render()
}

// input returns the secret and 2FA mode as the earlier steps have them.
func (s *verifyStep) input() verifyInput {
	api, priv := s.w.keys.values()
	seed, pass, _ := s.w.twofa.secretPart()
	return verifyInput{
		secret: vault.Secret{APIKey: api, PrivateKey: priv, OTPSeed: seed, OTPPassword: pass},
		mode:   s.w.twofa.modeValue(),
	}
}

// freshCode returns the typed code to send with Verify again: the one typed
// here, or one typed in step 6 that was not sent yet.
func (s *verifyStep) freshCode() string {
	if c := strings.TrimSpace(s.code.Text); c != "" {
		return c
	}
	if _, _, c := s.w.twofa.secretPart(); c != s.lastCode {
		return c
	}
	return ""
}

func (s *verifyStep) onAgain() {
	in := s.input()
	code := ""
	if in.mode == vault.TwoFATyped {
		if code = s.freshCode(); code == "" {
			return
		}
	}
	s.code.SetText("")
	s.start(in, code)
}

// start makes the verify call on a goroutine.
func (s *verifyStep) start(in verifyInput, code string) {
	if s.w.d.Verify == nil {
		return
	}
	s.stop()
	s.gen++
	gen := s.gen
	s.running, s.checked, s.lastCode = true, in, code
	s.readback = nil
	ctx, cancel := context.WithTimeout(context.Background(), verifyTimeout)
	s.cancel = cancel
	verify := s.w.d.Verify
	s.render()
	s.w.refreshNav()
	async.Run(s.w.run, func() vault.Readback {
		defer cancel()
		return verify(ctx, in.secret, in.mode, code)
	}, func(rb vault.Readback, panicked error) {
		if gen != s.gen {
			return
		}
		if panicked != nil {
			rb = vault.Readback{At: s.w.now(), Outcome: vault.OutcomeError, Problem: keys.UserMessage(panicked)}
		}
		s.running, s.cancel = false, nil
		s.readback = &rb
		s.render()
		s.w.refreshNav()
	})
}

// stop abandons a verify call in flight.
func (s *verifyStep) stop() {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	if s.running {
		s.gen++
		s.running = false
	}
}

func (s *verifyStep) busy() bool { return s.running || s.saving }

// current reports whether the last answer is about the key as it is now.
func (s *verifyStep) current() bool {
	return s.readback != nil && !s.running && s.checked == s.input()
}

func (s *verifyStep) canSave() bool {
	return s.current() && s.readback.Outcome == vault.OutcomeOK && !s.saving && !s.saved
}

// render shows the state of the verify call and the comparison.
func (s *verifyStep) render() {
	typed := s.w.twofa.modeValue() == vault.TwoFATyped
	if typed && !s.running {
		s.codePart.Show()
	} else {
		s.codePart.Hide()
	}
	if s.running || s.saving || (typed && s.freshCode() == "") {
		s.again.Disable()
	} else {
		s.again.Enable()
	}
	s.table.RemoveAll()
	s.cells, s.rows = nil, nil
	switch {
	case s.running:
		s.progress.Show()
		s.progress.Start()
		message(s.status, "Asking Kraken what this key can do…", widget.MediumImportance)
		return
	case s.readback == nil:
		s.progress.Stop()
		s.progress.Hide()
		message(s.status, "", widget.MediumImportance)
		return
	}
	s.progress.Stop()
	s.progress.Hide()
	rb := s.readback
	if rb.Outcome != vault.OutcomeOK {
		message(s.status, "Kraken did not confirm the key. "+rb.Problem, widget.DangerImportance)
		s.againNote.SetText("Fix what the message says, then verify again.")
		return
	}
	s.rows = compare(s.w.plan(), *rb, s.w.loc())
	s.renderTable()
	diffs := differences(s.rows)
	switch n := len(diffs); {
	case n == 0:
		message(s.status, "Kraken's answer matches what you intended. Save the key.", widget.SuccessImportance)
		s.againNote.SetText("Changed something on the website since? Verify again.")
	default:
		imp := widget.WarningImportance
		for _, d := range diffs {
			if d.Danger {
				imp = widget.DangerImportance
			}
		}
		message(s.status, fmt.Sprintf("%d %s between what you intended and what Kraken says, highlighted below. Fix %s on the website, then verify again; or save anyway.",
			n, plural(n, "difference", "differences"), plural(n, "it", "them")), imp)
		s.againNote.SetText("Fix " + plural(n, "it", "them") + " on the website, then verify again.")
	}
	if rb.Probed {
		s.status.SetText(s.status.Text + " (Your account does not offer the call that reads a key's settings, so only the permissions were tested.)")
	}
}
