package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// Words and colours shared by the screens: how a state, a risk, a date or
// a check reads.

// stateImportance colours a key's state: red for a problem, amber for what
// is due soon, green for fine, grey for what is out of use.
func stateImportance(s review.DisplayState) widget.Importance {
	switch s {
	case review.StateProblem:
		return widget.DangerImportance
	case review.StateExpiring, review.StateReviewDue:
		return widget.WarningImportance
	case review.StateActive:
		return widget.SuccessImportance
	}
	return widget.LowImportance
}

// stateIcon is the icon beside a key's state.
func stateIcon(s review.DisplayState) fyne.Resource {
	switch s {
	case review.StateProblem:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	case review.StateExpiring, review.StateReviewDue:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case review.StateActive:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case review.StateParked:
		return theme.MediaPauseIcon()
	}
	return theme.NewDisabledResource(theme.CancelIcon())
}

// riskImportance colours a risk level.
func riskImportance(r kraken.Risk) widget.Importance {
	switch r {
	case kraken.RiskRead:
		return widget.SuccessImportance
	case kraken.RiskTrade:
		return widget.WarningImportance
	}
	return widget.DangerImportance
}

// severityImportance colours a finding.
func severityImportance(s review.Severity) widget.Importance {
	switch s {
	case review.Critical:
		return widget.DangerImportance
	case review.Warning:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// severityIcon is the icon beside a finding.
func severityIcon(s review.Severity) fyne.Resource {
	switch s {
	case review.Critical:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	case review.Warning:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	}
	return theme.InfoIcon()
}

// permissionSummary says in a few words what the key may do: its highest
// risk and how many permissions it holds.
func permissionSummary(r vault.Record) (string, kraken.Risk) {
	perms := review.EffectivePermissions(r)
	risk := kraken.MaxRisk(perms)
	n := len(perms)
	switch n {
	case 0:
		return "no permissions", risk
	case 1:
		return kraken.RiskWords(perms) + " · 1 permission", risk
	}
	return fmt.Sprintf("%s · %d permissions", kraken.RiskWords(perms), n), risk
}

// restrictionSummary says whether the key is tied to IP addresses and when
// it expires.
func restrictionSummary(r vault.Record) string {
	ips := "any IP"
	if len(r.Restrictions.IPAllowlist) > 0 || (r.LastCheck != nil && len(r.LastCheck.IPAllowlist) > 0) {
		ips = "IP list"
	}
	exp := review.ExpiresAt(r)
	if exp.IsZero() {
		return ips + " · no expiry"
	}
	return ips + " · expires " + shortDate(exp)
}

// lastCheckSummary says when the key was last checked and how it went.
func lastCheckSummary(r vault.Record, now time.Time) (string, widget.Importance) {
	rb := r.LastCheck
	if rb == nil {
		return "never checked", widget.LowImportance
	}
	when := relative(rb.At, now)
	switch rb.Outcome {
	case vault.OutcomeOK:
		return "checked " + when + ": OK", widget.MediumImportance
	case vault.OutcomeInvalidKey:
		return "checked " + when + ": invalid key", widget.DangerImportance
	}
	return "checked " + when + ": failed", widget.WarningImportance
}

// relative says how long ago (or ahead) t is, in rough words, rounded to
// the nearest unit: a snooze of a week, read a second later, is "in 7
// days", not "in 6 days".
func relative(t, now time.Time) string {
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	const day = 24 * time.Hour
	round := func(unit time.Duration) int { return int((d + unit/2) / unit) }
	var s string
	switch {
	case d < 30*time.Second:
		return "just now"
	case round(time.Minute) < 60:
		s = plural(round(time.Minute), "minute")
	case round(time.Hour) < 24:
		s = plural(round(time.Hour), "hour")
	case round(day) < 60:
		s = plural(round(day), "day")
	default:
		s = plural(round(30*day), "month")
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// shortDate is a date as the lists show it.
func shortDate(t time.Time) string { return t.Local().Format("2 Jan 2006") }

// dateTime is a date and time as the detail shows it.
func dateTime(t time.Time) string { return t.Local().Format("2 Jan 2006 15:04") }

// orNone returns s, or a dash for an empty value.
func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// usedBy joins the services that hold a key.
func usedBy(r vault.Record) string { return strings.Join(r.UsedBy, ", ") }

// permissionLabel is a permission as the website shows it: "Funds: Withdraw".
func permissionLabel(p kraken.Permission) string {
	info, ok := p.Info()
	if !ok {
		return string(p) + " (unknown to Keywarden)"
	}
	return info.Group + ": " + info.Label
}

// newLabel returns a label that wraps its text.
func newWrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// newTruncated returns a one-line label that ends in an ellipsis when the
// text does not fit.
func newTruncated(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// newHeading returns a bold section heading.
func newHeading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// tightVBox stacks objects with less space between them than a VBox, for
// the lines of one item (a finding, a key row).
func tightVBox(objects ...fyne.CanvasObject) *fyne.Container {
	return container.New(layout.NewCustomPaddedVBoxLayout(-theme.InnerPadding()), objects...)
}
