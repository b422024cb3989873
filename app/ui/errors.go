package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// storeError marks an error of the key list file, so it is explained as
// one even when the cause is a bare file-system error.
type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

var vaultErrors = []error{vault.ErrNotFound, vault.ErrAmbiguous, vault.ErrDuplicateName, vault.ErrInvalidRecord,
	vault.ErrDamaged, vault.ErrNoBackup, vault.ErrNotDamaged, vault.ErrSecretNotFound,
	vault.ErrKeyringUnavailable, vault.ErrSecretTooBig, vault.ErrSecretDamaged}

var krakenErrors = []error{kraken.ErrInvalidKey, kraken.ErrInvalidSignature, kraken.ErrInvalidNonce,
	kraken.ErrPermissionDenied, kraken.ErrLockout, kraken.ErrRateLimited, kraken.ErrThrottled,
	kraken.ErrUnknownMethod, kraken.ErrExchangeDown, kraken.ErrNetwork, kraken.ErrBadResponse,
	kraken.ErrMalformedKey, kraken.ErrBadBaseURL}

// userMessage turns any error into plain words with what to do next.
// It never returns the error's own text, which is for the log.
func userMessage(err error) string {
	var apiErr *kraken.APIError
	var se storeError
	switch {
	case err == nil:
		return ""
	case isAny(err, vaultErrors) || errors.As(err, &se):
		return vault.UserMessage(err)
	case isAny(err, krakenErrors) || errors.As(err, &apiErr):
		return kraken.UserMessage(err)
	}
	if msg, ok := guardMessage(err); ok {
		return msg
	}
	return "Something went wrong and Keywarden could not finish. Nothing was lost; try again, and if it keeps happening, the log has the details."
}

func isAny(err error, targets []error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// showError logs err and tells the user in plain words, under title.
func (mw *mainWindow) showError(title string, err error) {
	fyne.LogError(title, err)
	mw.showMessage(title, userMessage(err))
}

// showMessage shows a plain-words message in a dialog.
func (mw *mainWindow) showMessage(title, text string) {
	mw.lastMessage = text
	body := fixedWidth(440, newWrapped(text))
	dialog.NewCustom(title, "OK", body, mw.win).Show()
}

// damagedDialog tells the user the key list file is damaged and offers its
// backup. It never writes to the damaged file: restoring moves it aside.
type damagedDialog struct {
	dlg     *dialog.CustomDialog
	message *widget.Label
	restore *widget.Button // nil when there is no usable backup
}

// showLoadError reports an error reading the key list; a damaged file gets
// the damaged-file dialog, once per file.
func (mw *mainWindow) showLoadError(err error) {
	var d *vault.DamagedError
	if !errors.As(err, &d) {
		mw.showError("Your key list could not be read", err)
		return
	}
	if mw.damage == d.Path {
		return
	}
	mw.damage = d.Path
	fyne.LogError("key list damaged", err)
	mw.damaged = newDamagedDialog(mw, d)
	mw.damaged.dlg.Show()
}

func newDamagedDialog(mw *mainWindow, d *vault.DamagedError) *damagedDialog {
	dd := &damagedDialog{message: newWrapped(vault.UserMessage(d))}
	path := newWrapped("File: " + d.Path)
	path.TextStyle = fyne.TextStyle{Monospace: true}
	content := container.NewVBox(dd.message, path)
	if d.Backup != "" && !d.Newer {
		dd.restore = widget.NewButtonWithIcon("Restore the backup", theme.HistoryIcon(), func() { dd.onRestore(mw, d) })
		dd.restore.Importance = widget.HighImportance
		content.Add(container.NewHBox(dd.restore))
	}
	dd.dlg = dialog.NewCustom("Your key list is damaged", "Close", fixedWidth(480, content), mw.win)
	return dd
}

// onRestore puts the backup in place, keeping the damaged file beside it.
func (dd *damagedDialog) onRestore(mw *mainWindow, d *vault.DamagedError) {
	dd.dlg.Hide()
	mw.background("Restoring the backup", func() func() {
		moved, err := d.RestoreBackup()
		return func() {
			if err != nil {
				mw.showError("The backup was not restored", storeError{err})
				return
			}
			mw.damage = ""
			mw.notice("Restored the backup. The damaged file is kept as " + moved + ".")
			mw.reload()
		}
	})
}

// widthLayout gives its objects a fixed width and the height they need at
// it, so wrapped text in a dialog reads as a paragraph, not a column.
type widthLayout struct{ width float32 }

func (l widthLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objects {
		o.Resize(fyne.NewSize(l.width, o.MinSize().Height))
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

func (l widthLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// fixedWidth holds obj at the given width.
func fixedWidth(width float32, obj fyne.CanvasObject) *fyne.Container {
	return container.New(widthLayout{width}, obj)
}
