package wizard

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"

	"github.com/keywarden/keywarden/app/ui/wheel"
)

// limitStep is step 3: IP allow-list, expiry and nonce window.
type limitStep struct {
	w *Wizard

	ips   *tabOutEntry
	ipMsg *widget.Label

	expiry      *stepEntry     // YYYY-MM-DD
	pick        *widget.Button // opens the calendar
	calendar    *widget.Calendar
	picker      dialog.Dialog
	recommend   *widget.Button // sets the recommended date
	expiryInfo  *widget.Label  // the recommendation and why
	noExpiry    *widget.Check
	expiryMsg   *widget.Label
	expiryDirty bool // the person chose a date or "no expiry" themselves
	setting     bool

	nonce    *stepEntry
	nonceMsg *widget.Label

	box *fyne.Container
}

func newLimitStep(w *Wizard) *limitStep {
	s := &limitStep{w: w}
	s.ips = newTabOutEntry()
	s.ips.SetPlaceHolder("203.0.113.7\n198.51.100.0/24")
	s.ips.SetMinRowsVisible(3)
	s.ips.OnChanged = func(string) { s.changed() }
	s.ipMsg = note()

	s.expiry = newStepEntry(w, false)
	s.expiry.SetPlaceHolder("YYYY-MM-DD")
	s.expiry.OnChanged = func(string) {
		if !s.setting {
			s.expiryDirty = true
		}
		s.changed()
	}
	s.pick = widget.NewButtonWithIcon("Calendar", theme.CalendarIcon(), s.openCalendar)
	s.recommend = widget.NewButton("Use the recommended date", func() {
		s.noExpiry.SetChecked(false)
		s.setExpiry(s.recommended())
	})
	s.expiryInfo = wrapped("")
	s.noExpiry = widget.NewCheck("No expiry", func(bool) {
		if !s.setting {
			s.expiryDirty = true
		}
		s.changed()
	})
	s.expiryMsg = note()

	s.nonce = newStepEntry(w, false)
	s.nonce.SetText("0")
	s.nonce.OnChanged = func(string) { s.changed() }
	s.nonceMsg = note()

	expiryRow := container.NewBorder(nil, nil, nil, container.NewHBox(s.pick, s.recommend), wheel.Pass(s.expiry, w.page))
	s.box = container.NewVBox(
		fieldTitle("IP allow-list"),
		wrapped("The addresses the program using the key calls from: one per line, or separated by commas. A range is written like 198.51.100.0/24. Leave it empty to allow any address, for example for an online tax tool that does not publish its addresses."),
		s.ips, s.ipMsg,
		fieldTitle("Expiry date"),
		s.expiryInfo,
		expiryRow,
		s.noExpiry,
		s.expiryMsg,
		fieldTitle("Nonce window"),
		wrapped("Only for when two programs share this key and may call at the same moment: the window lets their calls arrive slightly out of order. Leave it at 0 otherwise. A trading bot should rather have a key of its own than share one."),
		wheel.Pass(s.nonce, w.page), s.nonceMsg,
	)
	return s
}

func (s *limitStep) title() string { return "restrictions" }

func (s *limitStep) intro() string {
	return "Limit where and for how long the key works. A leaked key that only works from your server, and only until next month, is worth little to a thief."
}

func (s *limitStep) content() fyne.CanvasObject { return s.box }

// enter proposes the recommended expiry for the permissions now ticked,
// unless the person chose one.
func (s *limitStep) enter() {
	if !s.expiryDirty {
		s.setExpiry(s.recommended())
	}
	s.update()
}

func (s *limitStep) problem() string {
	if _, err := parseIPList(s.ips.Text); err != nil {
		return "Fix the IP allow-list: see the note under it."
	}
	if _, err := s.expiryValue(); err != nil {
		return "Fix the expiry date: see the note under it."
	}
	if _, err := parseNonceWindow(s.nonce.Text); err != nil {
		return "Fix the nonce window: see the note under it."
	}
	return ""
}

// risk returns the risk of the permissions ticked in step 2.
func (s *limitStep) risk() kraken.Risk { return kraken.MaxRisk(s.w.perms.selected()) }

// recommended returns the recommended expiry date for the ticked set.
func (s *limitStep) recommended() time.Time {
	return startOfDay(s.w.now(), s.w.loc()).AddDate(0, 0, keys.RecommendedExpiryDays(s.risk()))
}

// expiryValue returns the chosen expiry; zero means no expiry.
func (s *limitStep) expiryValue() (time.Time, error) {
	if s.noExpiry.Checked {
		return time.Time{}, nil
	}
	return parseExpiry(s.expiry.Text, s.w.now(), s.w.loc())
}

// setExpiry writes d into the date field without counting as the
// person's choice.
func (s *limitStep) setExpiry(d time.Time) {
	s.setting = true
	s.expiry.SetText(d.Format(dateLayout))
	s.setting = false
	s.changed()
}

func (s *limitStep) openCalendar() {
	start := s.recommended()
	if d, err := s.expiryValue(); err == nil && !d.IsZero() {
		start = d
	}
	s.calendar = widget.NewCalendar(start, func(d time.Time) {
		s.noExpiry.SetChecked(false)
		s.expiry.SetText(d.Format(dateLayout)) // counts as the person's choice
		if s.picker != nil {
			s.picker.Hide()
		}
	})
	s.picker = dialog.NewCustom("Choose the expiry date", "Cancel", s.calendar, s.w.d.Window)
	s.picker.Show()
}

// prefill copies the restrictions of the key being replaced. An expiry
// becomes the same lifetime (in days, from the day it was made) counted
// from today.
func (s *limitStep) prefill(r vault.Restrictions, created time.Time) {
	s.ips.SetText(strings.Join(r.IPAllowlist, "\n"))
	s.nonce.SetText(strconv.Itoa(r.NonceWindow))
	switch {
	case r.Expires.IsZero():
		s.setting = true
		s.noExpiry.SetChecked(true)
		s.setting = false
		s.expiryDirty = true
	case !created.IsZero() && r.Expires.After(created):
		days := lifetimeDays(created, r.Expires, s.w.loc())
		s.setExpiry(startOfDay(s.w.now(), s.w.loc()).AddDate(0, 0, max(days, 1)))
		s.expiryDirty = true
	}
}

func (s *limitStep) changed() {
	s.update()
	s.w.refreshNav()
}

// update refreshes the messages under the fields.
func (s *limitStep) update() {
	ips, err := parseIPList(s.ips.Text)
	switch {
	case err != nil:
		message(s.ipMsg, err.Error(), widget.DangerImportance)
	case len(ips) == 0 && s.risk() > kraken.RiskRead:
		message(s.ipMsg, "Any address can use this key. If the program runs on a server with a fixed address, list it: a key that can trade is then useless to anyone else.", widget.WarningImportance)
	case len(ips) > 0:
		message(s.ipMsg, fmt.Sprintf("%d %s allowed.", len(ips), plural(len(ips), "entry", "entries")), widget.SuccessImportance)
	default:
		message(s.ipMsg, "", widget.MediumImportance)
	}

	s.expiryInfo.SetText(keys.ExpiryAdvice(s.risk()))
	if s.noExpiry.Checked {
		s.expiry.Disable()
		s.pick.Disable()
	} else {
		s.expiry.Enable()
		s.pick.Enable()
	}
	d, err := s.expiryValue()
	switch {
	case err != nil:
		message(s.expiryMsg, err.Error(), widget.DangerImportance)
	case d.IsZero() && s.risk() > kraken.RiskRead:
		message(s.expiryMsg, fmt.Sprintf("This key %s and would work for ever: if it leaks, it stays useful to a thief until you notice. Set a date unless the key is for a program you run without breaks.", riskPhrase(s.w.perms.selected())), widget.WarningImportance)
	case d.IsZero():
		message(s.expiryMsg, "No expiry: Keywarden will still remind you to review the key.", widget.MediumImportance)
	default:
		days := int(d.Sub(startOfDay(s.w.now(), s.w.loc())).Hours()/24 + 0.5)
		message(s.expiryMsg, fmt.Sprintf("The key stops working on %s, in %d %s.", d.Format("Monday 2 January 2006"), days, plural(days, "day", "days")), widget.MediumImportance)
	}

	if _, err := parseNonceWindow(s.nonce.Text); err != nil {
		message(s.nonceMsg, err.Error(), widget.DangerImportance)
	} else {
		message(s.nonceMsg, "", widget.MediumImportance)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
