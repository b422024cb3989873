package wizard

import (
	"image/color"

	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// permStep is step 2: the 13 permissions, grouped as on the website.
type permStep struct {
	w *Wizard

	checks map[kraken.Permission]*stepCheck
	// edited is set once the person ticks or unticks anything; from then on
	// a change of purpose leaves the ticks alone.
	edited bool
	// setting is true while the wizard itself changes the ticks.
	setting bool
	// confirm is the last "can move money out" confirmation shown.
	confirm *dialog.ConfirmDialog
	summary *widget.Label // what the ticked set lets the key do
	beyond  *widget.Label // warning: more than the purpose needs

	box *fyne.Container
}

func newPermStep(w *Wizard) *permStep {
	s := &permStep{w: w, checks: make(map[kraken.Permission]*stepCheck, len(kraken.Catalogue))}
	s.summary = wrapped("")
	s.beyond = note()
	s.box = container.NewVBox(s.summary, s.beyond)

	// Columns: the checkbox, its badge, then the meaning, aligned across rows.
	badges := make([]*riskBadge, len(kraken.Catalogue))
	var checkWidth, badgeWidth, height float32
	for i, info := range kraken.Catalogue {
		c := newStepCheck(w, info.Label, func(on bool) { s.toggled(info, on) })
		s.checks[info.Code] = c
		badges[i] = newRiskBadge(info.Code)
		checkWidth = max(checkWidth, c.MinSize().Width)
		height = max(height, c.MinSize().Height)
		badgeWidth = max(badgeWidth, badges[i].MinSize().Width)
	}
	group := ""
	for i, info := range kraken.Catalogue {
		if info.Group != group {
			group = info.Group
			s.box.Add(fieldTitle(group))
		}
		meaning := widget.NewLabel(info.Meaning)
		meaning.Wrapping = fyne.TextWrapWord
		meaning.SizeName = theme.SizeNameCaptionText
		// Top-aligned, so the first lines line up when the meaning wraps.
		left := container.NewVBox(container.NewHBox(
			container.NewStack(spacer(checkWidth, height), s.checks[info.Code]),
			container.NewStack(spacer(badgeWidth, height), container.NewCenter(badges[i]))))
		s.box.Add(container.NewBorder(nil, nil, left, nil, meaning))
	}
	return s
}

// spacer is an empty object at least w wide and h high.
func spacer(w, h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, h))
	return r
}

func (s *permStep) title() string { return "permissions" }

func (s *permStep) intro() string {
	return "Tick what the key needs, exactly as you will tick it on Kraken's website. Each line says what a holder of the key can do with it."
}

func (s *permStep) content() fyne.CanvasObject { return s.box }

func (s *permStep) enter() { s.update() }

func (s *permStep) problem() string {
	if len(s.selected()) == 0 {
		return "Tick at least one permission."
	}
	return ""
}

// selected returns the ticked permissions in the website's order.
func (s *permStep) selected() []kraken.Permission {
	var out []kraken.Permission
	for _, info := range kraken.Catalogue {
		if s.checks[info.Code].Checked {
			out = append(out, info.Code)
		}
	}
	return out
}

// set ticks exactly perms, without asking anything.
func (s *permStep) set(perms []kraken.Permission) {
	s.setting = true
	defer func() { s.setting = false }()
	for code, c := range s.checks {
		c.SetChecked(slices.Contains(perms, code))
	}
	s.update()
}

// purposeChanged pre-ticks the purpose's least set, unless the person has
// chosen the permissions themselves.
func (s *permStep) purposeChanged(p vault.Purpose) {
	if !s.edited {
		s.set(p.LeastPermissions())
	}
	s.update()
}

func (s *permStep) toggled(info kraken.PermissionInfo, on bool) {
	if s.setting {
		return
	}
	s.edited = true
	if on && info.Risk == kraken.RiskMoveOut {
		s.confirmMoveOut(info)
	}
	s.update()
	s.w.refreshNav()
}

// confirmMoveOut asks before keeping a tick that lets the key move money
// out; "No" unticks it.
func (s *permStep) confirmMoveOut(info kraken.PermissionInfo) {
	msg := fmt.Sprintf("%s lets whoever holds this key %s\n\nLeaked keys with this permission have emptied accounts. "+
		"Tax tools, trackers and trading bots never need it.\n\nTick it anyway?", permTitle(info.Code), lowerFirst(info.Meaning))
	s.confirm = dialog.NewConfirm("This key could move money out", msg, func(yes bool) {
		if !yes {
			s.setting = true
			s.checks[info.Code].SetChecked(false)
			s.setting = false
			s.update()
			s.w.refreshNav()
		}
	}, s.w.d.Window)
	s.confirm.SetConfirmText("Tick it")
	s.confirm.SetDismissText("No")
	s.confirm.SetConfirmImportance(widget.DangerImportance)
	s.confirm.Show()
}

// update refreshes the summary and the warning.
func (s *permStep) update() {
	perms := s.selected()
	switch {
	case len(perms) == 0:
		s.summary.SetText("Nothing ticked yet.")
	default:
		s.summary.SetText(fmt.Sprintf("%d ticked. With them, the key %s.", len(perms), riskPhrase(perms)))
	}
	p := s.w.names.purposeValue()
	var beyond []string
	allowed := p.AllowedPermissions()
	for _, perm := range perms {
		if !slices.Contains(allowed, perm) {
			beyond = append(beyond, permTitle(perm))
		}
	}
	if len(beyond) == 0 {
		message(s.beyond, "", widget.MediumImportance)
		return
	}
	message(s.beyond, fmt.Sprintf("More than %s needs: %s. Untick these unless you are sure the key needs them.",
		strings.ToLower(p.Label()), strings.Join(beyond, "; ")), widget.WarningImportance)
}

// riskPhrase ends the sentence "With them, the key …".
func riskPhrase(perms []kraken.Permission) string {
	if kraken.RiskWords(perms) == kraken.AddFunds.RiskWords() {
		return "can read and create deposit addresses: money can only come in"
	}
	switch kraken.MaxRisk(perms) {
	case kraken.RiskRead:
		return "can only read"
	case kraken.RiskTrade:
		return "can trade (place and cancel orders, move funds within the account)"
	}
	return "can move money out of the account"
}
