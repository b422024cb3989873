package ui

import (
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/vault"
)

// A key a bot gets at boot through "keywarden exec" may be handed out
// without the app 2FA code: the choice is made here, behind the app code,
// and written in the key's history (keys.SetStartsWithoutAppCode).

// granted reports whether the record carries a grant made in Keywarden:
// the flag with its seal. Whether the seal is right needs the keyring
// (keys.Service.StartsWithoutAppCode, which exec asks); a flag without any
// seal was typed into keys.json and is not in effect.
func granted(r vault.Record) bool { return r.StartsWithoutAppCode && r.AppCodeSeal != "" }

// unattendedLabel is the button that changes the choice.
func unattendedLabel(r vault.Record) string {
	if granted(r) {
		return "Ask the app code for exec…"
	}
	return "Let exec start without a code…"
}

// unattendedWords says what "keywarden exec" asks for this key.
func unattendedWords(r vault.Record) string {
	if r.StartsWithoutAppCode && !granted(r) {
		return "asks for the app 2FA code: the key list says it may start without one, but that was not allowed in Keywarden, so it is not in effect"
	}
	if r.StartsWithoutAppCode {
		return "starts its program without the app 2FA code (for a bot that starts unattended); anyone who can run programs as you can then use this key"
	}
	return "asks for the app 2FA code when app 2FA is on"
}

// onUnattended changes whether exec hands the key out without the app
// code, after the app code. Allowing it first says, in full, what it
// means, so the warning is read before the change, not after.
func (d *keyDetail) onUnattended() {
	if granted(d.rec) {
		d.setUnattended(false)
		return
	}
	allowed := d.rec
	allowed.StartsWithoutAppCode, allowed.AppCodeSeal = true, "allowed"
	msg := "With this, “keywarden exec " + d.rec.Name + "” " + unattendedWords(allowed) + ". Allow it only for a bot that must start without you."
	d.confirm = dialog.NewConfirm("Start without the app 2FA code?", msg, func(ok bool) {
		if ok {
			d.setUnattended(true)
		}
	}, d.mw.window())
	d.confirm.SetConfirmText("Allow it")
	d.confirm.SetConfirmImportance(widget.DangerImportance)
	d.confirm.Show()
}

// setUnattended saves the choice, after the app code.
func (d *keyDetail) setUnattended(on bool) {
	mw, rec := d.mw, d.rec
	mw.protect("Change how exec hands out "+rec.Name, func() {
		var saved vault.Record
		mw.do("Saving", func() error {
			var err error
			saved, err = mw.service().SetStartsWithoutAppCode(rec.ID, on, "in the window")
			return err
		}, func() {
			mw.notice("Saved: " + rec.Name + " " + unattendedWords(saved) + ".")
		})
	})
}
