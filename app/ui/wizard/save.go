package wizard

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/ui/async"
	"github.com/keywarden/keywarden/app/vault"
)

// onSaveTapped saves, after a confirmation that names the differences if
// there are any.
func (s *verifyStep) onSaveTapped() {
	if !s.canSave() {
		return
	}
	diffs := differences(s.rows)
	if len(diffs) == 0 {
		s.doSave()
		return
	}
	var b strings.Builder
	b.WriteString("The key on Kraken is not what you intended:\n")
	for _, d := range diffs {
		fmt.Fprintf(&b, "\n• %s: %s", d.What, d.Short)
	}
	fmt.Fprintf(&b, "\n\nSave it anyway? Keywarden will keep reporting the %s until you fix %s on the website.",
		plural(len(diffs), "difference", "differences"), plural(len(diffs), "it", "them"))
	s.confirmText = b.String()
	s.confirm = dialog.NewConfirm("Save a key that differs?", s.confirmText, func(yes bool) {
		if yes {
			s.doSave()
		}
	}, s.w.d.Window)
	s.confirm.SetConfirmText("Save anyway")
	s.confirm.SetDismissText("Go back")
	s.confirm.Show()
}

// doSave hands the result to onSave on a goroutine.
func (s *verifyStep) doSave() {
	if !s.canSave() || s.w.onSave == nil {
		return
	}
	res := s.result()
	s.saving = true
	message(s.saveMsg, "Saving…", widget.MediumImportance)
	s.render()
	s.w.refreshNav()
	onSave := s.w.onSave
	async.Run(s.w.run, func() error { return onSave(res) }, func(err, panicked error) {
		if panicked != nil {
			err = panicked // not saved, as far as anyone can tell
		}
		s.saving = false
		if err != nil {
			fyne.LogError("saving the new key failed", err)
			// The service's words say what to do (try again, or paste another key).
			message(s.saveMsg, "The key was not saved. "+keys.UserMessage(err)+" Everything you entered is kept.", widget.DangerImportance)
		} else {
			s.saved = true
			message(s.saveMsg, fmt.Sprintf("Saved %q.", res.Record.Name), widget.SuccessImportance)
		}
		s.render()
		s.w.refreshNav()
	})
}

// result builds the record and the secret to save.
func (s *verifyStep) result() Result {
	w := s.w
	now := w.now()
	p := w.plan()
	in := s.input()
	rb := *s.readback
	nk := keys.NewKeyOf(keys.Draft{
		Name: p.Name, Purpose: w.names.purposeValue(), UsedBy: w.names.services(),
		Intended:     p.Perms,
		Restrictions: vault.Restrictions{IPAllowlist: p.IPs, Expires: p.Expires, NonceWindow: p.NonceWindow},
		TwoFA:        in.mode, Created: now, Replaces: w.replaces,
	}, in.secret, &rb, "")
	return Result{Record: nk.Record, Secret: nk.Secret, Readback: nk.Readback, Note: nk.Note}
}
