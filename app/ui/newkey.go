package ui

import (
	"errors"

	"fyne.io/fyne/v2"

	"github.com/keywarden/keywarden/app/ui/wizard"
	"github.com/keywarden/keywarden/app/vault"
)

// viewWizard is the new-key wizard, for a new key or a replacement.
const viewWizard view = 100

// onNewKey opens the wizard for a new key.
func (mw *mainWindow) onNewKey() {
	if mw.loadErr != nil {
		mw.showMessage("The key list cannot be changed", userMessage(mw.loadErr))
		return
	}
	mw.openWizard(nil)
}

// onRotate opens the wizard pre-filled as the replacement of rec.
func (mw *mainWindow) onRotate(rec vault.Record) {
	mw.openWizard(&rec)
}

// openWizard shows the wizard in the window; Cancel goes back to where the
// person came from.
func (mw *mainWindow) openWizard(replaces *vault.Record) {
	if mw.view == viewWizard {
		return
	}
	backTo, backID := mw.view, mw.viewID
	deps := wizard.Deps{
		Window:   mw.win,
		Runner:   mw.env.Runner,
		Existing: func() []vault.Record { return mw.records },
		Now:      mw.env.now,
		OpenURL:  mw.openURL,
	}
	onCancel := func() {
		mw.wizard = nil
		mw.view = backTo
		mw.viewID = backID
		mw.render()
	}
	wz := wizard.New(deps, replaces, func(res wizard.Result) error { return mw.saveNewKey(res, replaces) }, onCancel)
	mw.clearScreens()
	mw.wizard = wz
	mw.show(viewWizard, "", mw.wizard.Content())
}

// saveNewKey stores a key the wizard made: the secret in the keyring first,
// then the record; when it replaces another key, that one is marked
// replaced, to be revoked once the new one works. It runs off the UI
// goroutine and shows the new key when done.
func (mw *mainWindow) saveNewKey(res wizard.Result, replaces *vault.Record) error {
	mw.pending.Add(1)
	defer mw.pending.Add(-1)
	rec := res.Record
	if rec.ID == "" {
		rec.ID = vault.NewID()
	}
	if err := mw.env.Secrets.Set(rec.ID, res.Secret); err != nil {
		return err
	}
	now := mw.env.now()
	err := mw.env.Store.Update(func(data *vault.Data) error {
		if _, err := data.Add(rec); err != nil {
			return err
		}
		if replaces == nil {
			return nil
		}
		old, err := data.ByID(replaces.ID)
		if err != nil {
			return err
		}
		old.ReplacedBy = rec.ID
		old.AddEvent(now, vault.EventRotated, "replaced by “"+rec.Name+"”: revoke this key once the new one works")
		return nil
	})
	if err != nil {
		if derr := mw.env.Secrets.Delete(rec.ID); derr != nil && !errors.Is(derr, vault.ErrSecretNotFound) {
			err = errors.Join(err, derr)
		}
		return storeError{err}
	}
	fyne.Do(func() {
		mw.background("Reading your key list", func() func() {
			snap := mw.readList()
			return func() {
				mw.wizard = nil
				mw.setData(snap)
				mw.showDetail(rec.ID)
				if replaces != nil {
					mw.notice("Saved " + rec.Name + ". Switch whatever used " + replaces.Name + " to it, then revoke " + replaces.Name + ".")
				} else {
					mw.notice("Saved " + rec.Name + ".")
				}
			}
		})
	})
	return nil
}
