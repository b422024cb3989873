package wizard

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/kraken"
)

// siteStep is step 4: make the key on Kraken's website, with the exact
// checklist of what to fill in and tick there.
type siteStep struct {
	w *Wizard

	open     *widget.Button // opens the website's API page
	copyName *widget.Button // copies the key's name to the clipboard
	lines    []string       // the checklist, one item each
	list     *fyne.Container
	demo     *widget.Button // demo mode: makes the key on the simulated website
	demoDone *widget.Label

	box *fyne.Container
}

func newSiteStep(w *Wizard) *siteStep {
	s := &siteStep{w: w}
	s.open = widget.NewButtonWithIcon("Open Kraken's API page", theme.ComputerIcon(), func() { w.d.OpenURL(APISettingsURL) })
	s.open.Importance = widget.HighImportance
	s.copyName = widget.NewButtonWithIcon("Copy the name", theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(w.plan().Name) // a name, never a secret
	})
	s.list = container.NewVBox()
	if w.d.DemoSite != nil {
		// The demo offers no real link: the simulated website's one action
		// comes first, and says in place that it is done.
		s.demo = widget.NewButtonWithIcon("Make this key on the simulated website", theme.MediaPlayIcon(), s.onDemo)
		s.demo.Importance = widget.HighImportance
		s.demoDone = wrapped("")
		s.demoDone.Hide()
		s.box = container.NewVBox(
			wrapped("In the demo, a simulated website stands in for Kraken's: it makes the key exactly as the checklist below says and shows the pair once, as Kraken does."),
			container.NewHBox(s.demo),
			s.demoDone,
			widget.NewSeparator(),
			wrapped("On Kraken, you would open Settings, API, Create API key, and fill it in exactly like this:"),
			s.list,
		)
		return s
	}
	s.box = container.NewVBox(
		wrapped("Keywarden cannot make the key for you: only you can, on the website. Open the page, choose to create a new key, and fill it in exactly like this:"),
		container.NewHBox(s.open, s.copyName),
		s.list,
	)
	return s
}

// onDemo makes the key on the demo's simulated website, once, and keeps
// the pair for the next step's "Paste the demo pair"; a second click makes
// no second key.
func (s *siteStep) onDemo() {
	if s.w.demoPair != ([2]string{}) {
		return
	}
	p := s.w.plan()
	api, priv := s.w.d.DemoSite(p.Name, p.Perms, p.IPs, p.Expires, p.NonceWindow)
	s.w.demoPair = [2]string{api, priv}
	s.w.keys.demoPaste.Show()
	s.demo.SetText("Made on the simulated website")
	s.demo.SetIcon(theme.ConfirmIcon())
	s.demo.Disable()
	message(s.demoDone, "Done: the simulated website made “"+p.Name+"” and shows its pair once. Click Next and paste the pair.", widget.SuccessImportance)
	s.w.relayout()
}

func (s *siteStep) title() string { return "create it on Kraken" }

func (s *siteStep) intro() string {
	return "On Kraken's website: Settings, API, Create API key. Then come back here with the key."
}

func (s *siteStep) content() fyne.CanvasObject { return s.box }

func (s *siteStep) problem() string { return "" }

// enter rebuilds the checklist from the choices made so far.
func (s *siteStep) enter() {
	s.lines = checklist(s.w.plan())
	s.list.RemoveAll()
	for i, line := range s.lines {
		num := widget.NewLabelWithStyle(strconv.Itoa(i+1)+".", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		s.list.Add(container.NewBorder(nil, nil, num, nil, wrapped(line)))
	}
}

// checklist says exactly what to fill in and tick on the website for p.
func checklist(p plan) []string {
	lines := []string{fmt.Sprintf("Key name: type %s", p.Name)}
	var ticks []string
	for _, perm := range p.Perms {
		ticks = append(ticks, "• "+permTitle(perm))
	}
	lines = append(lines, fmt.Sprintf("Permissions: tick exactly these %d, each under its heading:\n%s", len(p.Perms), strings.Join(ticks, "\n")))
	untouched := "Do not tick anything else."
	if !slices.Contains(p.Perms, kraken.CreateWSToken) {
		untouched += " Leave \"WebSocket interface\" off."
	}
	lines = append(lines, untouched+" If the page shows something ticked that is not in this list, untick it.")
	if len(p.IPs) == 0 {
		lines = append(lines, "IP allow-list: leave it empty.")
	} else {
		lines = append(lines, "IP allow-list: turn it on and add "+strings.Join(p.IPs, ", ")+", and nothing else.")
	}
	if p.Expires.IsZero() {
		lines = append(lines, "Key expiration: leave it off.")
	} else {
		lines = append(lines, fmt.Sprintf("Key expiration: turn it on and set the date to %s (%s).", p.Expires.Format(dateLayout), p.Expires.Format("2 January 2006")))
	}
	if p.NonceWindow == 0 {
		lines = append(lines, "Nonce window: leave it at 0 (or empty).")
	} else {
		lines = append(lines, fmt.Sprintf("Nonce window: set it to %d.", p.NonceWindow))
	}
	lines = append(lines,
		"Query start and end date: leave them empty.",
		"Two-factor authentication for the key is optional. If you turn it on, keep the authenticator seed or the password at hand: the step after next asks for it.",
		"Generate the key. Kraken shows the private key only once: leave the page open and paste both keys into the next step. Do not save them in a notes app or a file.")
	return lines
}
