package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// keyDetail shows one key: what needs doing, what the record and the last
// readback say, and its history, with the actions down the side.
type keyDetail struct {
	mw       detailHost
	rec      vault.Record
	findings []review.Finding

	back, checkNow, markReviewed, reviewKey, rotate, edit *widget.Button
	copyKey, copyPrivate, unattended                      *widget.Button
	revoke, compromised, remove                           *widget.Button
	readback                                              *readbackView
	reminders                                             *reminderSection
	remindersHeading                                      *widget.Label
	confirm                                               *dialog.ConfirmDialog // the last asked, for tests
	scroll                                                *container.Scroll
	content                                               fyne.CanvasObject
}

// showDetail shows the key with the given ID, or the list if it is gone.
func (mw *mainWindow) showDetail(id string) {
	rec, ok := mw.record(id)
	if !ok {
		mw.showList()
		return
	}
	mw.clearScreens()
	mw.detail = newKeyDetail(mw, rec)
	mw.show(viewDetail, id, mw.detail.content)
}

// The one name a leak has on every screen: the button that marks a key as
// leaked, and the one that opens its checklist (the runbook).
const (
	markLeakedLabel    = "Mark as leaked…"
	leakChecklistLabel = "Leak checklist…"
)

func newKeyDetail(mw detailHost, rec vault.Record) *keyDetail {
	d := &keyDetail{mw: mw, rec: rec, findings: mw.snapshot().Findings(rec.ID)}
	d.back = widget.NewButtonWithIcon("Keys", theme.NavigateBackIcon(), mw.showList)
	d.checkNow = widget.NewButtonWithIcon("Check now", theme.ViewRefreshIcon(), d.onCheckNow)
	d.markReviewed = widget.NewButtonWithIcon("Mark reviewed", theme.ConfirmIcon(), d.onMarkReviewed)
	d.reviewKey = widget.NewButtonWithIcon("Review…", theme.VisibilityIcon(), func() { mw.showReview(rec.ID) })
	d.rotate = widget.NewButtonWithIcon("Rotate…", theme.MediaReplayIcon(), func() { mw.onRotate(rec) })
	d.edit = widget.NewButtonWithIcon("Edit details…", theme.DocumentCreateIcon(), d.onEdit)
	d.copyKey = widget.NewButtonWithIcon("Copy API key", theme.ContentCopyIcon(), d.onCopyAPIKey)
	d.copyPrivate = widget.NewButtonWithIcon("Copy private key", theme.ContentCopyIcon(), d.onCopyPrivateKey)
	d.revoke = widget.NewButtonWithIcon("Revoke…", theme.CancelIcon(), func() { mw.showRevoke(rec.ID, false) })
	d.compromised = widget.NewButtonWithIcon(markLeakedLabel, theme.WarningIcon(), d.onCompromised)
	d.compromised.Importance = widget.DangerImportance
	d.remove = widget.NewButtonWithIcon("Remove…", theme.DeleteIcon(), d.onRemove)
	d.remove.Importance = widget.DangerImportance // it deletes the secret for good
	d.unattended = widget.NewButtonWithIcon(unattendedLabel(rec), theme.LoginIcon(), d.onUnattended)
	d.enableActions()
	d.highlightRevoke()

	st := mw.snapshot().State(rec.ID)
	state := widget.NewLabelWithStyle(string(st), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	state.Importance = stateImportance(st)
	title := newHeading(rec.Name)
	title.SizeName = theme.SizeNameHeadingText
	header := container.NewBorder(nil, nil, d.back, state, title)

	d.readback = newReadbackView(rec, mw.now())
	d.reminders = newReminderSection(mw, rec)
	d.remindersHeading = newHeading("Reminders and background checks")
	body := container.NewVBox(
		newHeading("What needs doing"), findingsView(d.findings),
		widget.NewSeparator(), newHeading("The key"), d.recordView(),
		widget.NewSeparator(), d.remindersHeading, d.reminders.content,
		widget.NewSeparator(), newHeading("What Kraken said at the last check"), d.readback.content,
		widget.NewSeparator(), newHeading("History"), historyView(rec),
	)
	actions := container.NewVBox(d.checkNow, d.markReviewed, d.reviewKey, d.rotate, d.edit,
		widget.NewSeparator(), d.copyKey, d.copyPrivate, d.unattended)
	// The ends of a key stay in view at any height (640×480 too): only the
	// everyday actions above them scroll.
	ends := container.NewVBox(widget.NewSeparator(), d.revoke, d.compromised, d.remove)
	everyday := container.NewVScroll(container.NewPadded(actions))
	width := fyne.Max(actions.MinSize().Width, ends.MinSize().Width) + 2*theme.Padding()
	everyday.SetMinSize(fyne.NewSize(width, 0))
	side := container.NewBorder(nil, container.NewPadded(ends), nil, nil, everyday)
	d.scroll = container.NewVScroll(container.NewPadded(body))
	d.content = container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, side, d.scroll)
	return d
}

// scrollToReminders scrolls the reminders' heading to the top, once the
// detail has been laid out.
func (d *keyDetail) scrollToReminders() {
	top := fyne.CurrentApp().Driver().AbsolutePositionForObject(d.scroll)
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(d.remindersHeading)
	d.scroll.ScrollToOffset(fyne.NewPos(0, d.scroll.Offset.Y+at.Y-top.Y))
}

// enableActions offers only what makes sense for the key now, as the key
// service allows it (keys.Can).
func (d *keyDetail) enableActions() {
	for _, b := range []struct {
		btn *widget.Button
		act keys.Action
	}{
		{d.checkNow, keys.ActCheck}, {d.markReviewed, keys.ActReview}, {d.reviewKey, keys.ActReview},
		{d.rotate, keys.ActRotate}, {d.copyKey, keys.ActCopySecret}, {d.copyPrivate, keys.ActCopySecret},
		{d.unattended, keys.ActCopySecret},
		{d.revoke, keys.ActRevoke}, {d.compromised, keys.ActCompromised},
	} {
		if ok, _ := keys.Can(d.rec, b.act); !ok {
			b.btn.Disable()
		}
	}
	if d.rec.Leaked() {
		// The runbook holds the leak checklist, before and after the
		// revocation: one name for it on every screen.
		d.revoke.SetText(leakChecklistLabel)
		d.revoke.OnTapped = func() { d.mw.showRevoke(d.rec.ID, true) }
		if d.rec.Status == vault.StatusRevoked {
			d.revoke.Enable()
		}
	}
}

// findingsView lists findings, most severe first, each with its next step.
func findingsView(fs []review.Finding) fyne.CanvasObject {
	if len(fs) == 0 {
		ok := newWrapped("Nothing to do: the key looks fine.")
		ok.Importance = widget.SuccessImportance
		return ok
	}
	box := container.NewVBox()
	for _, f := range fs {
		title := newWrapped(f.Title)
		title.TextStyle = fyne.TextStyle{Bold: true}
		title.Importance = severityImportance(f.Severity)
		lines := tightVBox(title, newWrapped(f.Detail))
		if f.NextStep != "" {
			next := newWrapped("Next step: " + f.NextStep)
			lines.Add(next)
		}
		box.Add(container.NewBorder(nil, nil, lineIcon(severityIcon(f.Severity)), nil, lines))
	}
	return box
}

// lineIcon is an icon centred on the first line of the text beside it.
func lineIcon(res fyne.Resource) fyne.CanvasObject {
	line := canvas.NewRectangle(color.Transparent)
	line.SetMinSize(fyne.NewSize(0, widget.NewLabel("X").MinSize().Height))
	return container.NewVBox(container.NewStack(line, container.NewCenter(widget.NewIcon(res))))
}

// recordView is what Keywarden's record says about the key.
func (d *keyDetail) recordView() fyne.CanvasObject {
	r, now := d.rec, d.mw.now()
	eff := d.mw.snapshot().Effective(r.ID)
	ips := "any IP address"
	if len(r.Restrictions.IPAllowlist) > 0 {
		ips = strings.Join(r.Restrictions.IPAllowlist, ", ")
	}
	expires := "never"
	if e := review.ExpiresAt(r); !e.IsZero() {
		expires = dateTime(e) + " (" + relative(e, now) + ")"
	}
	reviewed := "never"
	if !r.LastReviewed.IsZero() {
		reviewed = shortDate(r.LastReviewed)
	}
	next := review.NextReview(eff, now)
	interval := fmt.Sprintf("every %d days", int(review.ReviewInterval(eff).Hours()/24))
	if r.ReviewDays == 0 {
		interval += " (the default for its permissions)"
	}
	perms, _ := permissionSummary(r)
	rows := [][2]string{
		{"Account", orNone(r.Account)},
		{"Purpose", r.Purpose.Label()},
		{"Used by", orNone(usedBy(r))},
		{"Notes", orNone(r.Notes)},
		{"Permissions", perms},
		{"API key ends", orNone(r.KeyHint)},
		{"Its own 2FA", keys.TwoFAWords(r.TwoFA)},
		{"IP allow-list", ips},
		{"Expires", expires},
		{"Added", shortDate(r.Created)},
		{"Last reviewed", reviewed},
		{"Review", interval + "; next " + shortDate(next)},
	}
	rows = append(rows, [2]string{"keywarden exec", unattendedWords(r)})
	nonces := nonceScaleWords(r.NonceScale)
	if seen, ok := check.SuggestedNonceScale(r); ok {
		nonces += ". Kraken's last answer showed " + nonceScaleWords(seen) + " on this key: a program that uses it counts in them. " +
			"Choose the same scale in Edit details… so checks stop failing with “Invalid nonce”."
	}
	rows = append(rows, [2]string{"Nonces", nonces})
	if r.Replaces != "" {
		rows = append(rows, [2]string{"Replaces", d.mw.nameOf(r.Replaces)})
	}
	if r.ReplacedBy != "" {
		rows = append(rows, [2]string{"Replaced by", d.mw.nameOf(r.ReplacedBy)})
	}
	return fieldsView(rows)
}

// nonceScaleWords names a nonce scale for people.
func nonceScaleWords(s kraken.NonceScale) string {
	switch s.OrDefault() {
	case kraken.NonceMicroseconds:
		return "microseconds (16 digits)"
	case kraken.NonceNanoseconds:
		return "nanoseconds (19 digits)"
	}
	return "milliseconds (13 digits, what most programs send)"
}

// fieldsView shows label–value pairs, the values wrapping.
func fieldsView(rows [][2]string) fyne.CanvasObject {
	form := widget.NewForm()
	for _, row := range rows {
		form.Append(row[0], newWrapped(row[1]))
	}
	return form
}

// historyView lists the key's events, newest first.
func historyView(r vault.Record) fyne.CanvasObject {
	if len(r.History) == 0 {
		return widget.NewLabel("Nothing yet.")
	}
	box := container.NewVBox()
	for i := len(r.History) - 1; i >= 0; i-- {
		e := r.History[i]
		text := dateTime(e.At) + " · " + keys.EventWords(e.Kind)
		if e.Note != "" {
			text += ": " + e.Note
		}
		box.Add(newWrapped(text))
	}
	return box
}

// nameOf returns the name of the record with the given ID.
func (mw *mainWindow) nameOf(id string) string {
	if r, ok := mw.record(id); ok {
		return r.Name
	}
	return "a key no longer in the list (" + id + ")"
}
