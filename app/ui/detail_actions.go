package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2/dialog"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/vault"
)

// checkTimeout bounds one check, including a wait for the key's rate counter.
const checkTimeout = 90 * time.Second

func (d *keyDetail) onCheckNow() {
	d.mw.askKeyCode(d.rec, func(code string) { d.mw.checkKey(d.rec, code) })
}

// checkKey reads the key back from the exchange and stores the answer.
// A keyring that cannot be reached is reported and nothing is stored: the
// key is not at fault.
func (mw *mainWindow) checkKey(rec vault.Record, code string) {
	mw.background("Checking "+rec.Name, func() func() {
		secret, err := mw.env.Secrets.Get(rec.ID)
		if err != nil {
			return func() { mw.showError("The key was not checked", err) }
		}
		ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
		defer cancel()
		rb := mw.env.Runner.CheckSecret(ctx, secret, rec.TwoFA, check.Options{OTP: code}, mw.env.now())
		return func() {
			mw.update("Saving the check", func(data *vault.Data) error {
				r, err := data.ByID(rec.ID)
				if err != nil {
					return err
				}
				check.Apply(r, rb)
				return nil
			}, func() { mw.notice(checkNotice(rec.Name, rb)) })
		}
	})
}

// checkNotice sums a check up for the status line.
func checkNotice(name string, rb vault.Readback) string {
	switch rb.Outcome {
	case vault.OutcomeOK:
		return "Checked " + name + ": Kraken answered. See what needs doing, if anything."
	case vault.OutcomeInvalidKey:
		return "Checked " + name + ": Kraken no longer knows this key."
	}
	return "Checked " + name + ": the check failed. " + rb.Problem
}

func (d *keyDetail) onMarkReviewed() {
	d.mw.markReviewed(d.rec, "")
}

// markReviewed records that the person looked at the key now.
func (mw *mainWindow) markReviewed(rec vault.Record, note string) {
	now := mw.env.now()
	mw.update("Saving", func(data *vault.Data) error {
		r, err := data.ByID(rec.ID)
		if err != nil {
			return err
		}
		r.LastReviewed = now
		r.AddEvent(now, vault.EventReviewed, note)
		return nil
	}, func() {
		mw.notice("Marked " + rec.Name + " reviewed.")
		mw.showDetail(rec.ID)
	})
}

func (d *keyDetail) onCopyAPIKey() {
	d.mw.copySecret(d.rec, "API key", func(s vault.Secret) string { return s.APIKey })
}

func (d *keyDetail) onCopyPrivateKey() {
	d.mw.copySecret(d.rec, "private key", func(s vault.Secret) string { return s.PrivateKey })
}

// copySecret puts one part of the key's secret on the clipboard, after app
// 2FA, and takes it off again after the clipboard delay.
func (mw *mainWindow) copySecret(rec vault.Record, what string, part func(vault.Secret) string) {
	mw.protect("Copy the "+what+" of "+rec.Name, func() {
		mw.background("Reading the keyring", func() func() {
			secret, err := mw.env.Secrets.Get(rec.ID)
			return func() {
				if err != nil {
					mw.showError("Nothing was copied", err)
					return
				}
				mw.clip.copy(part(secret))
				mw.notice("Copied the " + what + " of " + rec.Name + ". The clipboard is cleared in " +
					mw.clip.delay.Round(time.Second).String() + " if it still holds it.")
			}
		})
	})
}

func (d *keyDetail) onEdit() {
	d.mw.editor = newEditDialog(d.mw, d.rec)
	d.mw.editor.dlg.Show()
}

// onCompromised marks the key leaked at once, then opens the runbook.
func (d *keyDetail) onCompromised() {
	mw, rec := d.mw, d.rec
	msg := "Mark “" + rec.Name + "” as leaked? Keywarden then walks you through revoking it, " +
		"replacing it and checking your account."
	mw.confirm = dialog.NewConfirm("The key leaked", msg, func(ok bool) {
		if !ok {
			return
		}
		now := mw.env.now()
		mw.update("Saving", func(data *vault.Data) error {
			r, err := data.ByID(rec.ID)
			if err != nil {
				return err
			}
			r.Status = vault.StatusCompromised
			r.AddEvent(now, vault.EventCompromised, "")
			return nil
		}, func() { mw.showRevoke(rec.ID, true) })
	}, mw.win)
	mw.confirm.Show()
}

// onRemove deletes the record and its secret, after app 2FA and a
// confirmation. The secret goes first, so a keyring that cannot be reached
// leaves everything as it was.
func (d *keyDetail) onRemove() {
	mw, rec := d.mw, d.rec
	mw.protect("Remove "+rec.Name, func() {
		msg := "Remove “" + rec.Name + "” from Keywarden? Its secret is deleted from the keyring and its record and history are gone. " +
			"This does not delete the key on Kraken: revoke it there first if it is still in use."
		mw.confirm = dialog.NewConfirm("Remove the key", msg, func(ok bool) {
			if ok {
				mw.removeKey(rec)
			}
		}, mw.win)
		mw.confirm.SetConfirmText("Remove")
		mw.confirm.Show()
	})
}

func (mw *mainWindow) removeKey(rec vault.Record) {
	mw.background("Removing "+rec.Name, func() func() {
		err := mw.env.Secrets.Delete(rec.ID)
		if err != nil && !errors.Is(err, vault.ErrSecretNotFound) {
			return func() { mw.showError("Nothing was removed", err) }
		}
		return func() {
			mw.update("Removing "+rec.Name, func(data *vault.Data) error { return data.Remove(rec.ID) },
				func() {
					mw.notice("Removed " + rec.Name + ".")
					mw.showList()
				})
		}
	})
}

// onCheckAll checks every key in use at once. Keys whose 2FA code must be
// typed are left out; check them one by one.
func (mw *mainWindow) onCheckAll() {
	var recs []vault.Record
	skipped := 0
	for _, r := range mw.records {
		switch {
		case r.Retired():
		case r.TwoFA == vault.TwoFATyped:
			skipped++
		default:
			recs = append(recs, r)
		}
	}
	if len(recs) == 0 {
		mw.notice("There is no key to check.")
		return
	}
	mw.background("Checking all keys", func() func() {
		// One keyring read first: if it is locked, say so once instead of
		// recording a failed check on every key.
		if _, err := mw.env.Secrets.Get(recs[0].ID); err != nil && errors.Is(err, vault.ErrKeyringUnavailable) {
			return func() { mw.showError("No key was checked", err) }
		}
		ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
		defer cancel()
		results := mw.env.Runner.CheckAll(ctx, recs, nil, mw.env.now())
		return func() {
			mw.update("Saving the checks", func(data *vault.Data) error {
				for _, res := range results {
					if r, err := data.ByID(res.Record.ID); err == nil {
						check.Apply(r, res.Readback)
					}
				}
				return nil
			}, func() {
				msg := "Checked " + itoa(len(results)) + " keys."
				if skipped > 0 {
					msg += " " + itoa(skipped) + " with a typed 2FA code were left out: check them one by one."
				}
				mw.notice(msg)
			})
		}
	})
}
