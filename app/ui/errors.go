package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

// userMessage turns any error into plain words with what to do next:
// the key service's one path (keys.UserMessage), where each package
// explains its own errors. The error's own text is for the log.
func userMessage(err error) string { return keys.UserMessage(err) }

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
	dd := &damagedDialog{message: newWrapped(userMessage(d))}
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
				mw.showError("The backup was not restored", err)
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
