package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

// revokeRunbook walks through revoking a key (flow 4): the other keys that
// went to the same services, deleting it on the website, and confirming
// with a single check that the exchange answers "invalid key". Only that
// answer marks the key revoked and deletes its secret; the record stays as
// history. The compromised variant adds the leak steps (compromised.go).
type revokeRunbook struct {
	mw          revokeHost
	rec         vault.Record
	compromised bool

	back, openSite, confirm, anyway *widget.Button
	demoDelete                      *widget.Button // demo mode: deletes it on the simulated website
	result                          *widget.Label
	related                         []vault.Record
	leak                            *leakSteps // nil unless compromised
	anywayDialog                    *dialog.ConfirmDialog
	scroll                          *container.Scroll
	title, intro                    *widget.Label // kept for tests
	content                         fyne.CanvasObject
}

// showRevoke shows the runbook for the key with the given ID.
func (mw *mainWindow) showRevoke(id string, compromised bool) {
	rec, ok := mw.record(id)
	if !ok {
		mw.showList()
		return
	}
	compromised = compromised || rec.Leaked()
	mw.clearScreens()
	mw.revoke = newRevokeRunbook(mw, rec, compromised, mw.records)
	mw.show(viewRevoke, id, mw.revoke.content)
}

// newRevokeRunbook builds the runbook for rec; all is the key list, for
// the keys that went to the same services.
func newRevokeRunbook(mw revokeHost, rec vault.Record, compromised bool, all []vault.Record) *revokeRunbook {
	rb := &revokeRunbook{mw: mw, rec: rec, compromised: compromised, related: sameService(rec, all)}
	rb.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), func() { mw.showDetail(rec.ID) })
	rb.openSite = widget.NewButtonWithIcon("Open Kraken's API page", theme.ComputerIcon(), func() { mw.openURL(KrakenAPISettingsURL) })
	rb.confirm = widget.NewButtonWithIcon("I deleted it — confirm", theme.ConfirmIcon(), rb.onConfirm)
	rb.confirm.Importance = widget.HighImportance
	rb.anyway = widget.NewButton("Record it revoked anyway…", rb.onAnyway)
	rb.anyway.Hide()
	rb.result = newWrapped("")
	rb.result.Hide()

	title := newHeading("Revoke “" + rec.Name + "”")
	intro := newWrapped("Only Kraken can revoke a key: delete it on the website, then let Keywarden confirm that Kraken no longer accepts it. " +
		"Keywarden keeps the record as history and deletes the secret from your keyring.")
	if compromised {
		// One rule (keys.LeakChecklistOf) words the heading: urgent and red
		// until Kraken confirmed the revocation, plain afterwards.
		list := keys.LeakChecklistOf(rec)
		title.SetText(list.Title)
		intro.SetText(list.Intro)
		if list.Urgent {
			intro.Importance = widget.DangerImportance
		}
	}
	title.SizeName = theme.SizeNameHeadingText
	if ok, why := keys.Can(rec, keys.ActRevoke); !ok {
		rb.confirm.Disable()
		rb.result.SetText(why)
		rb.result.Show()
	}

	hint := ""
	if rec.KeyHint != "" {
		hint = " (its API key ends in " + rec.KeyHint + ")"
	}
	body := container.NewVBox(intro,
		newHeading("Other keys used by the same services"), rb.relatedView(),
		widget.NewSeparator(),
		newHeading("1. Delete it on Kraken"),
		newWrapped("On Kraken's API page, find the key named “"+rec.Name+"”"+hint+" and delete it."),
		rb.siteButtons(),
		newHeading("2. Confirm"),
		newWrapped("Keywarden asks Kraken once, with this key. Kraken should answer “invalid key”. Nothing is changed before it does."),
		container.NewHBox(rb.confirm), rb.result, container.NewHBox(rb.anyway),
	)
	if compromised {
		rb.leak = newLeakSteps(mw, rec, all)
		body.Add(widget.NewSeparator())
		body.Add(rb.leak.content)
	}
	header := container.NewVBox(container.NewBorder(nil, nil, rb.back, nil, title), widget.NewSeparator())
	rb.scroll = container.NewVScroll(container.NewPadded(body))
	rb.content = container.NewBorder(header, nil, nil, nil, rb.scroll)
	rb.title, rb.intro = title, intro
	return rb
}

// siteButtons is the website step's buttons: Kraken's page, and in the demo
// the simulated website's delete.
func (rb *revokeRunbook) siteButtons() fyne.CanvasObject {
	row := container.NewHBox(rb.openSite)
	site := rb.mw.website()
	if site == nil {
		return row
	}
	mw, id := rb.mw, rb.rec.ID
	rb.demoDelete = widget.NewButtonWithIcon("Demo: delete it on the simulated website", theme.DeleteIcon(), func() {
		mw.background("Deleting it on the simulated website", func() func() {
			err := site.DeleteKey(id)
			return func() {
				if err != nil {
					mw.showError("The simulated website did not delete it", err)
					return
				}
				mw.notice("The simulated website deleted it. Now confirm.")
			}
		})
	})
	row.Add(rb.demoDelete)
	return row
}

// sameService returns the other keys that share a service with rec,
// compared without case.
func sameService(rec vault.Record, all []vault.Record) []vault.Record {
	mine := map[string]bool{}
	for _, u := range rec.UsedBy {
		mine[strings.ToLower(strings.TrimSpace(u))] = true
	}
	var out []vault.Record
	for _, r := range all {
		if r.ID == rec.ID {
			continue
		}
		for _, u := range r.UsedBy {
			if mine[strings.ToLower(strings.TrimSpace(u))] {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

func (rb *revokeRunbook) relatedView() fyne.CanvasObject {
	if len(rb.related) == 0 {
		return newWrapped("None: no other key is recorded as used by " + orNone(usedBy(rb.rec)) + ".")
	}
	text := "These keys went to the same services. If a service leaked one key, treat them all as leaked."
	if !rb.compromised {
		text = "These keys went to the same services too. Check whether they are still needed."
	}
	box := container.NewVBox(newWrapped(text))
	for _, r := range rb.related {
		open := widget.NewButton("Open", func() { rb.mw.showDetail(r.ID) })
		line := newTruncated(r.Name + " — used by " + usedBy(r) + " (" + string(rb.mw.state(r)) + ")")
		box.Add(container.NewBorder(nil, nil, nil, open, line))
	}
	return box
}

// onConfirm makes the single confirming check.
func (rb *revokeRunbook) onConfirm() {
	rb.mw.protect("Revoke "+rb.rec.Name, func() { rb.mw.askKeyCode(rb.rec, rb.confirmWith) })
}

func (rb *revokeRunbook) confirmWith(code string) {
	mw, rec := rb.mw, rb.rec
	rb.confirm.Disable()
	var res keys.RevokeResult
	var err error
	mw.background("Asking Kraken about "+rec.Name, func() func() {
		ctx, cancel := mw.checkContext()
		defer cancel()
		res, err = mw.service().Revoke(ctx, rec.ID, code, false)
		snap := mw.readList()
		return func() {
			var unc *keys.NotConfirmedError
			switch {
			case errors.As(err, &unc):
				rb.notRevoked(unc.Readback)
				return
			case err != nil:
				rb.cannotCheck(err)
				return
			}
			mw.setData(snap)
			mw.notice("Revoked " + rec.Name + ": Kraken no longer accepts it.")
			if res.SecretErr != nil {
				mw.showError("The secret is still in the keyring", res.SecretErr)
			}
		}
	})
}

// notRevoked explains an answer other than "invalid key"; nothing changes.
func (rb *revokeRunbook) notRevoked(answer vault.Readback) {
	rb.confirm.Enable()
	switch answer.Outcome {
	case vault.OutcomeOK:
		rb.result.SetText("Kraken still accepts this key, so it is not deleted yet. Delete it on Kraken's API page" +
			" (check the name and the last characters of the API key), then confirm again. Nothing was changed.")
		rb.result.Importance = widget.DangerImportance
	default:
		rb.result.SetText("Kraken's answer did not say whether the key is gone: " + answer.Problem +
			" Nothing was changed; confirm again in a moment.")
		rb.result.Importance = widget.WarningImportance
	}
	rb.result.Show()
	rb.result.Refresh()
	rb.anyway.Show()
}

// cannotCheck explains a secret that cannot be read; nothing changes.
func (rb *revokeRunbook) cannotCheck(err error) {
	rb.confirm.Enable()
	fyne.LogError("revoke: reading the secret", err)
	rb.result.SetText("Keywarden cannot ask Kraken: " + userMessage(err))
	rb.result.Importance = widget.WarningImportance
	rb.result.Show()
	rb.result.Refresh()
	if errors.Is(err, vault.ErrSecretNotFound) {
		rb.anyway.Show()
	}
}

// onAnyway records the key revoked without Kraken's word, after an extra
// confirmation. The secret stays, so a later check can still tell.
func (rb *revokeRunbook) onAnyway() {
	mw, rec := rb.mw, rb.rec
	msg := "Kraken has not confirmed that “" + rec.Name + "” is gone. If it still works, whoever has it can still use it. " +
		"Record it revoked anyway? Keywarden keeps its secret, so a later check can show whether it still works."
	mw.protect("Record "+rec.Name+" revoked", func() { rb.askAnyway(msg) })
}

func (rb *revokeRunbook) askAnyway(msg string) {
	mw, rec := rb.mw, rb.rec
	rb.anywayDialog = dialog.NewConfirm("Record it revoked without confirmation?", msg, func(ok bool) {
		if !ok {
			return
		}
		mw.do("Recording the revocation", func() error {
			ctx, cancel := mw.checkContext()
			defer cancel()
			_, err := mw.service().Revoke(ctx, rec.ID, "", true)
			return err
		}, func() { mw.notice("Recorded " + rec.Name + " as revoked, without Kraken's confirmation.") })
	}, mw.window())
	rb.anywayDialog.Show()
}
