package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

func (d *keyDetail) onCheckNow() {
	d.mw.askKeyCode(d.rec, func(code string) { d.mw.checkKey(d.rec, code) })
}

// checkContext is a context for a check started by the person: it ends
// with the window, and after keys.CheckTimeout.
func (mw *mainWindow) checkContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(mw.ctx, keys.CheckTimeout)
}

// checkKey reads the key back from the exchange; the key service saves
// the answer by its one rule.
func (mw *mainWindow) checkKey(rec vault.Record, code string) {
	var rb vault.Readback
	mw.do("Checking "+rec.Name, func() error {
		ctx, cancel := mw.checkContext()
		defer cancel()
		var err error
		_, rb, err = mw.keys.Check(ctx, rec.ID, code)
		return err
	}, func() { mw.notice(checkNotice(rec.Name, rb)) })
}

// checkNotice sums a check up for the status line.
func checkNotice(name string, rb vault.Readback) string {
	switch {
	case rb.Outcome == vault.OutcomeOK:
		return "Checked " + name + ": Kraken answered. See what needs doing, if anything."
	case rb.Outcome == vault.OutcomeInvalidKey:
		return "Checked " + name + ": Kraken no longer knows this key."
	case rb.Unreached:
		return "Checked " + name + ": no answer, so Kraken's last answer is kept. " + rb.Problem
	}
	return "Checked " + name + ": the check failed. " + rb.Problem
}

func (d *keyDetail) onMarkReviewed() {
	d.mw.markReviewed(d.rec, "")
}

// markReviewed records that the person looked at the key now.
func (mw *mainWindow) markReviewed(rec vault.Record, note string) {
	mw.do("Saving", func() error {
		_, err := mw.keys.MarkReviewed(rec.ID, note)
		return err
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
			secret, err := mw.keys.Secret(rec.ID)
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
	d.mw.editKey(d.rec)
}

// onCompromised marks the key leaked at once, then opens the runbook.
func (d *keyDetail) onCompromised() {
	mw, rec := d.mw, d.rec
	msg := "Mark “" + rec.Name + "” as leaked? Keywarden then walks you through revoking it, " +
		"replacing it and checking your account."
	d.confirm = dialog.NewConfirm("Mark as leaked", msg, func(ok bool) {
		if !ok {
			return
		}
		mw.do("Saving", func() error {
			_, err := mw.service().MarkCompromised(rec.ID, "")
			return err
		}, func() { mw.showRevoke(rec.ID, true) })
	}, mw.window())
	d.confirm.Show()
}

// onRemove deletes the record and its secret, after app 2FA and a
// confirmation.
func (d *keyDetail) onRemove() {
	mw, rec := d.mw, d.rec
	mw.protect("Remove "+rec.Name, func() {
		msg := "Remove “" + rec.Name + "” from Keywarden? Its secret is deleted from the keyring and its record and history are gone. " +
			"This does not delete the key on Kraken: revoke it there first if it is still in use."
		d.confirm = dialog.NewConfirm("Remove the key", msg, func(ok bool) {
			if ok {
				mw.removeKey(rec)
			}
		}, mw.window())
		d.confirm.SetConfirmText("Remove")
		d.confirm.SetConfirmImportance(widget.DangerImportance)
		d.confirm.Show()
	})
}

func (mw *mainWindow) removeKey(rec vault.Record) {
	mw.do("Removing "+rec.Name, func() error { return mw.keys.Remove(rec.ID) }, func() {
		mw.notice("Removed " + rec.Name + ".")
		mw.showList()
	})
}

// onCheckAll checks every key "Check all" takes (keys.Snapshot's
// CheckAllTargets). The keys it leaves out are named, with how to check
// them (keys.CheckAllSummary), in a message as well as the status line,
// which may cut a long line short.
func (mw *mainWindow) onCheckAll() {
	take, skip := mw.snap.CheckAllTargets(nil)
	if len(take) == 0 && !anyLoud(skip) {
		mw.notice("There is no key to check.")
		return
	}
	if len(take) == 0 {
		mw.showMessage("No key was checked", keys.CheckAllSummary(0, skip, keys.InWindow))
		return
	}
	var rep keys.CheckReport
	mw.do("Checking all keys", func() error {
		ctx, cancel := mw.checkContext()
		defer cancel()
		var err error
		rep, err = mw.keys.CheckAll(ctx, nil)
		_, _ = mw.keys.PollActivity(ctx) // "Check all" reads the watched ledgers too; Activity shows what they found
		return err
	}, func() {
		msg := keys.CheckAllSummary(len(rep.Results), rep.Skipped, keys.InWindow)
		mw.notice(msg)
		if anyLoud(rep.Skipped) {
			mw.showMessage("Some keys were not checked", msg)
		}
	})
}

// anyLoud reports whether a key left out is one to name (keys.Skipped.Quiet).
func anyLoud(skip []keys.Skipped) bool {
	for _, s := range skip {
		if !s.Quiet() {
			return true
		}
	}
	return false
}
