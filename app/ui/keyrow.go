package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

// rightColumn is the width of a row's state column.
const rightColumn = 280

// keyRow is one line of the keys list: the state icon; name, where the key
// is used and its restrictions; its state, what it may do and its last
// check. Every text ends in an ellipsis rather than overlap its neighbour.
type keyRow struct {
	widget.BaseWidget
	icon                 *widget.Icon
	name, where, limits  *widget.Label
	state, perms, result *widget.Label
}

func newKeyRow() fyne.CanvasObject {
	r := &keyRow{icon: widget.NewIcon(theme.ConfirmIcon())}
	r.name = newTruncated("")
	r.name.TextStyle = fyne.TextStyle{Bold: true}
	r.where, r.limits = newTruncated(""), newTruncated("")
	r.state, r.perms, r.result = newTruncated(""), newTruncated(""), newTruncated("")
	r.state.TextStyle = fyne.TextStyle{Bold: true}
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer lays the row out.
func (r *keyRow) CreateRenderer() fyne.WidgetRenderer {
	tight := func(objs ...fyne.CanvasObject) *fyne.Container {
		return container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.InnerPadding()+2), objs...)
	}
	center := tight(r.name, r.where, r.limits)
	right := container.New(columnLayout{rightColumn}, tight(r.state, r.perms, r.result))
	icon := container.NewCenter(r.icon)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, icon, right, center))
}

// set shows rec in the row.
func (r *keyRow) set(mw *mainWindow, rec vault.Record) {
	now := mw.env.now()
	st := mw.state(rec)
	r.icon.SetResource(stateIcon(st))
	r.name.SetText(rec.Name)

	where := []string{orNone(rec.Account), rec.Purpose.Label()}
	if u := usedBy(rec); u != "" {
		where = append(where, "used by "+u)
	}
	r.where.SetText(strings.Join(where, " · "))
	limits := restrictionSummary(rec)
	if line := mw.rotationLine(rec); line != "" {
		limits = line + " · " + limits
	}
	r.limits.SetText(limits)

	r.state.Text = string(st)
	if rec.Status == vault.StatusCompromised {
		r.state.Text = "problem: leaked"
	}
	r.state.Importance = stateImportance(st)
	r.state.Refresh()

	perms, risk := permissionSummary(rec)
	r.perms.Text, r.perms.Importance = perms, riskImportance(risk)
	if st == review.StateRevoked {
		r.perms.Importance = widget.LowImportance
	}
	r.perms.Refresh()

	r.result.Text, r.result.Importance = lastCheckSummary(rec, now)
	r.result.Refresh()
}

// columnLayout gives its content a fixed width and its own height.
type columnLayout struct{ width float32 }

func (l columnLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objects {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

func (l columnLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
