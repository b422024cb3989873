package ui

import (
	"github.com/keywarden/keywarden/app/keys"
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
		Verify:   mw.keys.Verify,
		Existing: func() []vault.Record { return mw.records },
		Now:      mw.env.now,
		OpenURL:  mw.openURL,
		Do:       mw.env.Do,
	}
	if mw.env.Website != nil {
		deps.DemoSite = mw.env.Website.MakeKey
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

// saveNewKey stores a key the wizard made through the key service (the
// record and the secret, or neither; a rotation links the old key to it),
// then shows the new key. It runs off the UI goroutine.
func (mw *mainWindow) saveNewKey(res wizard.Result, replaces *vault.Record) error {
	mw.pending.Add(1)
	defer mw.pending.Add(-1)
	rec, err := mw.keys.Add(mw.ctx, keys.NewKey{Record: res.Record, Secret: res.Secret, Readback: res.Readback, Note: res.Note})
	if err != nil {
		return err
	}
	watchNote := mw.watchIfMeant(rec)
	mw.env.do(func() {
		mw.background("Reading your key list", func() func() {
			snap := mw.readList()
			return func() {
				mw.wizard = nil
				mw.setData(snap)
				mw.showDetail(rec.ID)
				if watchNote != "" {
					mw.notice(watchNote)
				} else if replaces != nil {
					mw.notice("Saved " + rec.Name + ". Switch whatever used " + replaces.Name + " to it, then revoke " + replaces.Name + ".")
				} else {
					mw.notice("Saved " + rec.Name + ".")
				}
			}
		})
	})
	return nil
}
