package ui

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// Status choices of the edit dialog.
const (
	editActive = "In use"
	editParked = "Parked: kept, but nothing should use it"
)

// editDialog changes what Keywarden knows about a key: name, account,
// services, notes, purpose, the permissions the person means it to have,
// review interval and whether it is in use or parked. The permissions here
// are what checks compare Kraken's answer with (the findings point here);
// what the key can really do is set on the website and read back by a
// check.
type editDialog struct {
	mw  *mainWindow
	rec vault.Record

	name, account, usedBy, notes, reviewDays *widget.Entry
	status                                   *widget.RadioGroup
	nonces                                   *widget.Select
	purpose                                  *widget.Select
	intended                                 *widget.CheckGroup
	scaleAsk                                 *dialog.ConfirmDialog // the question before a nonce scale change
	dlg                                      *dialog.FormDialog
}

func newEditDialog(mw *mainWindow, rec vault.Record) *editDialog {
	e := &editDialog{mw: mw, rec: rec}
	e.name = widget.NewEntry()
	e.name.SetText(rec.Name)
	e.name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("a key needs a name")
		}
		return nil
	}
	e.account = widget.NewEntry()
	e.account.SetText(rec.Account)
	e.account.SetPlaceHolder("the Kraken account's e-mail or nickname")
	e.usedBy = widget.NewEntry()
	e.usedBy.SetText(strings.Join(rec.UsedBy, ", "))
	e.usedBy.SetPlaceHolder("services, separated by commas")
	e.notes = widget.NewMultiLineEntry()
	e.notes.SetText(rec.Notes)
	e.notes.Wrapping = fyne.TextWrapWord
	e.notes.SetMinRowsVisible(3)
	e.reviewDays = widget.NewEntry()
	e.reviewDays.SetText(daysText(rec.ReviewDays))
	e.reviewDays.SetPlaceHolder("empty: the default for its permissions")
	e.reviewDays.Validator = validDays
	e.status = widget.NewRadioGroup([]string{editActive, editParked}, nil)
	e.status.SetSelected(editActive)
	if rec.Status == vault.StatusParked {
		e.status.SetSelected(editParked)
	}
	if rec.Retired() {
		e.status.Disable()
	}

	e.nonces = widget.NewSelect(nonceScaleChoices(), nil)
	e.nonces.SetSelected(nonceScaleWords(rec.NonceScale))
	if ok, _ := keys.Can(rec, keys.ActCheck); !ok {
		e.nonces.Disable()
	}

	e.purpose = widget.NewSelect(purposeChoices(), nil)
	e.purpose.SetSelected(rec.Purpose.Label())
	e.intended = widget.NewCheckGroup(intendedChoices(rec), nil)
	e.intended.SetSelected(intendedLabels(rec.Intended))
	// 13 tick boxes would push Save below a small window: they scroll.
	permsScroll := container.NewVScroll(e.intended)
	permsScroll.SetMinSize(fyne.NewSize(0, 110))
	permsItem := widget.NewFormItem("Meant to have", permsScroll)
	permsItem.HintText = "What checks compare Kraken's answer with; change the key itself on Kraken's website."

	items := []*widget.FormItem{
		widget.NewFormItem("Name", e.name),
		widget.NewFormItem("Account", e.account),
		widget.NewFormItem("Used by", e.usedBy),
		widget.NewFormItem("Notes", e.notes),
		widget.NewFormItem("Purpose", e.purpose),
		permsItem,
		widget.NewFormItem("Review every (days)", e.reviewDays),
		widget.NewFormItem("Status", e.status),
		widget.NewFormItem("Nonces", e.nonces),
	}
	e.dlg = dialog.NewForm("Edit "+rec.Name, "Save", "Cancel", items, func(ok bool) {
		if ok {
			e.onSave()
		}
	}, mw.win)
	e.dlg.Resize(fyne.NewSize(560, 0))
	return e
}

// purposeChoices are the purposes the edit dialog offers, in words.
func purposeChoices() []string {
	out := make([]string, len(vault.Purposes))
	for i, p := range vault.Purposes {
		out[i] = p.Label()
	}
	return out
}

// purposeChoice reads back a choice of purposeChoices; "" (keep the key's)
// for none.
func purposeChoice(choice string) vault.Purpose {
	for _, p := range vault.Purposes {
		if p.Label() == choice {
			return p
		}
	}
	return ""
}

// intendedChoices are the permissions the edit dialog offers: the
// catalogue's, in the website's order, and any code the key has that
// Keywarden does not know, so saving never drops it.
func intendedChoices(rec vault.Record) []string {
	var out []string
	for _, info := range kraken.Catalogue {
		out = append(out, permissionLabel(info.Code))
	}
	for _, p := range rec.Intended {
		if !p.Known() {
			out = append(out, permissionLabel(p))
		}
	}
	return out
}

// intendedLabels are perms as intendedChoices words them.
func intendedLabels(perms []kraken.Permission) []string {
	out := make([]string, 0, len(perms))
	for _, p := range perms {
		out = append(out, permissionLabel(p))
	}
	return out
}

// intendedOf reads back the ticked choices of intendedChoices for rec:
// never nil, so none ticked reaches keys.Edit as "none" and is refused
// there in words, not taken for "keep".
func intendedOf(rec vault.Record, ticked []string) []kraken.Permission {
	out := []kraken.Permission{}
	offered := slices.Clone(rec.Intended)
	for _, info := range kraken.Catalogue {
		offered = append(offered, info.Code)
	}
	for _, p := range offered {
		if slices.Contains(ticked, permissionLabel(p)) && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return kraken.SortPermissions(out)
}

// nonceScaleChoices are the nonce scales the edit dialog offers, in
// words; a larger scale locks out every program that uses a smaller one,
// so it is the person's choice, never Keywarden's.
func nonceScaleChoices() []string {
	return []string{nonceScaleWords(kraken.NonceMilliseconds), nonceScaleWords(kraken.NonceMicroseconds), nonceScaleWords(kraken.NonceNanoseconds)}
}

// nonceScaleOf reads back a choice of nonceScaleChoices.
func nonceScaleOf(choice string) kraken.NonceScale {
	for _, s := range []kraken.NonceScale{kraken.NonceMicroseconds, kraken.NonceNanoseconds} {
		if choice == nonceScaleWords(s) {
			return s
		}
	}
	return kraken.NonceMilliseconds
}

// daysText is a review interval in the dialog's field: empty for the
// default.
func daysText(days int) string {
	if days > 0 {
		return strconv.Itoa(days)
	}
	return ""
}

// validDays accepts an empty field or a whole number of days in range.
func validDays(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < keys.MinReviewDays || n > keys.MaxReviewDays {
		return errors.New("a number of days from 1 to 365, or empty")
	}
	return nil
}

// onSave writes the changes, with an "edited" event, and a "parked" or
// "resumed" one when the status changed. Only what the person changed is
// saved, onto the key as it is now (keys.Edit.From): a change another
// window or process made meanwhile stays. When it changed the same field
// to something else, nothing is saved and the dialog opens again over the
// key as it is now, with what the person typed kept.
func (e *editDialog) onSave() {
	scale := nonceScaleOf(e.nonces.Selected)
	if scale.OrDefault() == e.rec.NonceScale.OrDefault() {
		e.save(scale)
		return
	}
	e.askScale(scale)
}

// askScale asks before a change of the nonce scale, naming the programs
// the key is used by and what happens to each (keys.NonceScaleChange):
// one click must not lock a bot out of its key for good. No saves nothing
// and opens the dialog again with what was typed.
func (e *editDialog) askScale(scale kraken.NonceScale) {
	typed := e.rec
	typed.UsedBy = strings.Split(e.usedBy.Text, ",") // the programs as the dialog names them now
	words := keys.NonceScaleChange(typed, scale)
	intro := newWrapped(words.Intro)
	if words.Danger {
		intro.Importance = widget.DangerImportance
	}
	box := container.NewVBox(intro)
	for _, p := range words.Programs {
		box.Add(newWrapped("• " + p))
	}
	e.scaleAsk = dialog.NewCustomConfirm(words.Title, "Change it", "Keep it as it is", fixedWidth(520, box), func(ok bool) {
		if ok {
			e.save(scale)
			return
		}
		e.reopen(e.rec)
		e.mw.editor.nonces.SetSelected(nonceScaleWords(e.rec.NonceScale)) // kept as it is
	}, e.mw.win)
	e.scaleAsk.Show()
}

// save writes the dialog's fields, and the nonce scale when it changed.
func (e *editDialog) save(scale kraken.NonceScale) {
	name := strings.TrimSpace(e.name.Text)
	days, _ := strconv.Atoi(strings.TrimSpace(e.reviewDays.Text))
	from := keys.EditOf(e.rec)
	edit := keys.Edit{Name: name, Account: e.account.Text, Notes: e.notes.Text,
		UsedBy: strings.Split(e.usedBy.Text, ","), ReviewDays: days, Parked: e.status.Selected == editParked, From: &from,
		Purpose: purposeChoice(e.purpose.Selected), Intended: intendedOf(e.rec, e.intended.Selected)}
	id := e.rec.ID
	changeScale := scale.OrDefault() != e.rec.NonceScale.OrDefault()
	mw := e.mw
	mw.background("Saving", func() func() {
		_, err := mw.keys.Edit(id, edit)
		if err == nil && changeScale {
			_, err = mw.keys.SetNonceScale(id, scale)
		}
		snap := mw.readList()
		return func() {
			mw.setData(snap)
			var conflict *keys.EditConflictError
			switch {
			case errors.As(err, &conflict):
				mw.showError("Nothing was changed", err)
				e.reopen(conflict.Record)
			case err != nil:
				mw.showError("Nothing was changed", err)
			default:
				mw.notice("Saved " + name + ".")
			}
		}
	})
}

// reopen shows the dialog again over now, the key as it is now, with the
// fields the person changed as they typed them and the others as they
// are now.
func (e *editDialog) reopen(now vault.Record) {
	again := newEditDialog(e.mw, now)
	keep := func(typed, was string, dst *widget.Entry) {
		if typed != was {
			dst.SetText(typed)
		}
	}
	keep(e.name.Text, e.rec.Name, again.name)
	keep(e.account.Text, e.rec.Account, again.account)
	keep(e.notes.Text, e.rec.Notes, again.notes)
	keep(e.usedBy.Text, strings.Join(e.rec.UsedBy, ", "), again.usedBy)
	keep(e.reviewDays.Text, daysText(e.rec.ReviewDays), again.reviewDays)
	if e.purpose.Selected != e.rec.Purpose.Label() {
		again.purpose.SetSelected(e.purpose.Selected)
	}
	if typed := intendedOf(e.rec, e.intended.Selected); !slices.Equal(typed, kraken.SortPermissions(e.rec.Intended)) {
		again.intended.SetSelected(intendedLabels(typed))
	}
	if (e.status.Selected == editParked) != (e.rec.Status == vault.StatusParked) {
		again.status.SetSelected(e.status.Selected)
	}
	if e.nonces.Selected != nonceScaleWords(e.rec.NonceScale) {
		again.nonces.SetSelected(e.nonces.Selected)
	}
	e.mw.editor = again
	again.dlg.Show()
}
