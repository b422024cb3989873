package ui

import "github.com/keywarden/keywarden/app/vault"

// A key a bot gets at boot through "keywarden exec" may be handed out
// without the app 2FA code: the choice is made here, behind the app code,
// and written in the key's history (keys.SetStartsWithoutAppCode).

// unattendedLabel is the button that changes the choice.
func unattendedLabel(r vault.Record) string {
	if r.StartsWithoutAppCode {
		return "Ask the app code for exec…"
	}
	return "Let exec start without a code…"
}

// unattendedWords says what "keywarden exec" asks for this key.
func unattendedWords(r vault.Record) string {
	if r.StartsWithoutAppCode {
		return "starts its program without the app 2FA code (for a bot that starts unattended); anyone who can run programs as you can then use this key"
	}
	return "asks for the app 2FA code when app 2FA is on"
}

// onUnattended changes whether exec hands the key out without the app
// code, after the app code.
func (d *keyDetail) onUnattended() {
	mw, rec, on := d.mw, d.rec, !d.rec.StartsWithoutAppCode
	mw.protect("Change how exec hands out "+rec.Name, func() {
		mw.do("Saving", func() error {
			_, err := mw.keys.SetStartsWithoutAppCode(rec.ID, on, "in the window")
			return err
		}, func() {
			mw.notice("Saved: " + rec.Name + " " + unattendedWords(vault.Record{StartsWithoutAppCode: on}) + ".")
		})
	})
}
