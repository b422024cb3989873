package ui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// permRow is one permission in the comparison of what was meant with what
// the exchange reported.
type permRow struct {
	perm              kraken.Permission
	intended, granted bool
	unknown           bool // probes could not tell
}

// differs reports whether the row is a difference to highlight.
func (p permRow) differs() bool { return !p.unknown && p.intended != p.granted }

// readbackView shows the last check: its outcome, the permissions meant
// and real side by side with every difference highlighted, and the
// restrictions the exchange reported.
type readbackView struct {
	rows    []permRow
	summary *widget.Label
	content fyne.CanvasObject
}

func newReadbackView(r vault.Record, now time.Time) *readbackView {
	v := &readbackView{summary: newWrapped("")}
	rb := r.LastCheck
	switch {
	case rb == nil:
		v.summary.SetText("Not checked yet. “Check now” asks Kraken what the key can really do.")
		v.content = v.summary
		return v
	case rb.Outcome == vault.OutcomeInvalidKey:
		v.summary.SetText(dateTime(rb.At) + ": Kraken answered “invalid key”: it no longer knows this key.")
		v.summary.Importance = widget.DangerImportance
		v.content = v.summary
		return v
	case rb.Outcome != vault.OutcomeOK:
		v.summary.SetText(dateTime(rb.At) + ": the check failed. " + rb.Problem)
		v.summary.Importance = widget.WarningImportance
		v.content = v.summary
		return v
	}

	v.rows = comparePermissions(r.Intended, rb)
	diffs := 0
	for _, p := range v.rows {
		if p.differs() {
			diffs++
		}
	}
	text := dateTime(rb.At) + " (" + relative(rb.At, now) + "): the permissions are exactly what you meant."
	if diffs > 0 {
		text = dateTime(rb.At) + " (" + relative(rb.At, now) + "): the permissions differ from what you meant. Differences are marked."
		v.summary.Importance = widget.DangerImportance
	}
	if rb.Probed {
		text += " Kraken did not offer GetApiKeyInfo, so Keywarden found the permissions with harmless test calls; some cannot be told that way."
	}
	v.summary.SetText(text)

	table := container.NewVBox(permHeader())
	for _, p := range v.rows {
		table.Add(p.view())
	}
	v.content = container.NewVBox(v.summary, table, fieldsView(readbackFields(rb, now)))
	return v
}

// comparePermissions lines up the intended permissions with the readback's,
// in the website's order.
func comparePermissions(intended []kraken.Permission, rb *vault.Readback) []permRow {
	all := kraken.SortPermissions(slices.Concat(intended, rb.Permissions, rb.Unknown))
	rows := make([]permRow, 0, len(all))
	for _, p := range all {
		rows = append(rows, permRow{perm: p, intended: slices.Contains(intended, p),
			granted: slices.Contains(rb.Permissions, p), unknown: slices.Contains(rb.Unknown, p)})
	}
	return rows
}

func permHeader() fyne.CanvasObject {
	bold := func(s string) *widget.Label {
		l := newTruncated(s)
		l.TextStyle = fyne.TextStyle{Bold: true}
		return l
	}
	cols := container.NewGridWithColumns(2, bold("Meant"), bold("On Kraken"))
	return container.NewBorder(nil, nil, nil, container.New(columnLayout{200}, cols), bold("Permission"))
}

func (p permRow) view() fyne.CanvasObject {
	yesNo := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	name := newTruncated(permissionLabel(p.perm))
	meant := newTruncated(yesNo(p.intended))
	onKraken := newTruncated(yesNo(p.granted))
	switch {
	case p.unknown:
		onKraken.SetText("cannot tell")
		onKraken.Importance = widget.LowImportance
	case p.granted && !p.intended:
		name.SetText(permissionLabel(p.perm) + " — not meant!")
		name.Importance, onKraken.Importance = widget.DangerImportance, widget.DangerImportance
		name.TextStyle, onKraken.TextStyle = fyne.TextStyle{Bold: true}, fyne.TextStyle{Bold: true}
	case p.intended && !p.granted:
		name.SetText(permissionLabel(p.perm) + " — missing")
		name.Importance, onKraken.Importance = widget.WarningImportance, widget.WarningImportance
		name.TextStyle, onKraken.TextStyle = fyne.TextStyle{Bold: true}, fyne.TextStyle{Bold: true}
	}
	cols := container.NewGridWithColumns(2, meant, onKraken)
	return container.NewBorder(nil, nil, nil, container.New(columnLayout{200}, cols), name)
}

// readbackFields are the restrictions and dates the exchange reported.
func readbackFields(rb *vault.Readback, now time.Time) [][2]string {
	ips := "any IP address"
	if len(rb.IPAllowlist) > 0 {
		ips = strings.Join(rb.IPAllowlist, ", ")
	}
	expires := "never"
	if !rb.ValidUntil.IsZero() {
		expires = dateTime(rb.ValidUntil)
	}
	used := "never"
	if !rb.LastUsed.IsZero() {
		used = dateTime(rb.LastUsed) + " (" + relative(rb.LastUsed, now) + ")"
	}
	rows := [][2]string{{"IP allow-list", ips}, {"Expires", expires}, {"Last used", used}}
	if rb.NonceWindow > 0 {
		rows = append(rows, [2]string{"Nonce window", strconv.Itoa(rb.NonceWindow)})
	}
	if rb.Name != "" {
		rows = append(rows, [2]string{"Name on Kraken", rb.Name})
	}
	return rows
}
