package wizard

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/vault"

	"github.com/keywarden/keywarden/app/ui/wheel"
)

// The 2FA choices, in the order shown.
var twofaChoices = []struct {
	mode  vault.TwoFA
	label string
}{
	{vault.TwoFANone, "The key has no 2FA"},
	{vault.TwoFATyped, "A code I type at each check"},
	{vault.TwoFASeed, "Store the authenticator seed so checks can run unattended"},
	{vault.TwoFAPassword, "A static password, stored in the keyring"},
}

// twofaStep is step 6: the key's own 2FA, if it was turned on for the key.
type twofaStep struct {
	w *Wizard

	mode *widget.RadioGroup

	code      *stepEntry // typed mode: the code for the verify call
	codePart  *fyne.Container
	seed      *stepEntry // seed mode: base32 or otpauth:// link, masked
	seedMsg   *widget.Label
	seedPart  *fyne.Container
	password  *stepEntry // password mode, masked
	passPart  *fyne.Container
	modeNotes *widget.Label

	box *fyne.Container
}

func newTwofaStep(w *Wizard) *twofaStep {
	s := &twofaStep{w: w}
	labels := make([]string, len(twofaChoices))
	for i, c := range twofaChoices {
		labels[i] = c.label
	}
	s.mode = widget.NewRadioGroup(labels, func(string) { s.changed() })
	s.mode.Required = true
	s.modeNotes = wrapped("")

	s.code = newStepEntry(w, false)
	s.code.SetPlaceHolder("123456")
	s.code.OnChanged = func(string) { s.changed() }
	s.codePart = container.NewVBox(fieldTitle("Code"),
		wrapped("Type the code your authenticator shows for this key now. Keywarden sends it with the check in the next step; it is not stored."), wheel.Pass(s.code, w.page))

	s.seed = newStepEntry(w, true)
	s.seed.SetPlaceHolder("JBSWY3DPEHPK3PXP or otpauth://totp/…")
	s.seed.OnChanged = func(string) { s.changed() }
	s.seedMsg = note()
	s.seedPart = container.NewVBox(fieldTitle("Authenticator seed"),
		wrapped("The text under the QR code Kraken showed when you turned on 2FA for the key (letters and digits), or the otpauth:// link the QR code holds. It goes to your system keyring with the key; anyone who has it can make codes, so keep no other copy."),
		wheel.Pass(s.seed, w.page), s.seedMsg)

	s.password = newStepEntry(w, true)
	s.password.SetPlaceHolder("the key's 2FA password")
	s.password.OnChanged = func(string) { s.changed() }
	s.passPart = container.NewVBox(fieldTitle("Password"),
		wrapped("The static password you set as the key's 2FA. It goes to your system keyring with the key."), wheel.Pass(s.password, w.page))

	s.box = container.NewVBox(
		wrapped("Did you turn on two-factor authentication for this key on the website? Then Kraken wants a code with every call, including Keywarden's checks."),
		s.mode, s.modeNotes, s.codePart, s.seedPart, s.passPart)
	s.mode.SetSelected(labels[0])
	return s
}

func (s *twofaStep) title() string { return "the key's 2FA" }

func (s *twofaStep) intro() string {
	return "This is the 2FA of the key itself, not of your Kraken login."
}

func (s *twofaStep) content() fyne.CanvasObject { return s.box }

func (s *twofaStep) enter() { s.update() }

func (s *twofaStep) problem() string {
	switch s.modeValue() {
	case vault.TwoFATyped:
		if strings.TrimSpace(s.code.Text) == "" {
			return "Type the code your authenticator shows for this key."
		}
	case vault.TwoFASeed:
		if strings.TrimSpace(s.seed.Text) == "" {
			return "Paste the authenticator seed, or the otpauth:// link."
		}
		if _, err := parseOTPSeed(s.seed.Text); err != nil {
			return "Fix the seed: see the note under it."
		}
	case vault.TwoFAPassword:
		if s.password.Text == "" {
			return "Type the key's 2FA password."
		}
	}
	return ""
}

// modeValue returns the chosen 2FA mode.
func (s *twofaStep) modeValue() vault.TwoFA {
	for _, c := range twofaChoices {
		if c.label == s.mode.Selected {
			return c.mode
		}
	}
	return vault.TwoFANone
}

// setMode selects mode m.
func (s *twofaStep) setMode(m vault.TwoFA) {
	for _, c := range twofaChoices {
		if c.mode == m {
			s.mode.SetSelected(c.label)
		}
	}
}

// prefill selects the 2FA mode of the key being replaced; its secrets are
// not copied: the new key has its own.
func (s *twofaStep) prefill(m vault.TwoFA) {
	if m != "" {
		s.setMode(m)
	}
}

// secretPart returns the 2FA part of the secret to store, and the typed
// code for the verify call.
func (s *twofaStep) secretPart() (seed, password, code string) {
	switch s.modeValue() {
	case vault.TwoFATyped:
		code = strings.TrimSpace(s.code.Text)
	case vault.TwoFASeed:
		seed, _ = parseOTPSeed(s.seed.Text)
	case vault.TwoFAPassword:
		password = s.password.Text
	}
	return seed, password, code
}

func (s *twofaStep) changed() {
	s.update()
	s.w.refreshNav()
}

func (s *twofaStep) update() {
	show := func(o fyne.CanvasObject, on bool) {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
	m := s.modeValue()
	show(s.codePart, m == vault.TwoFATyped)
	show(s.seedPart, m == vault.TwoFASeed)
	show(s.passPart, m == vault.TwoFAPassword)
	switch m {
	case vault.TwoFANone:
		s.modeNotes.SetText("Keywarden's checks can run on their own, in the background.")
	case vault.TwoFATyped:
		s.modeNotes.SetText("Nothing about the 2FA is stored, but every check waits for you to type a code: background checks skip this key.")
	case vault.TwoFASeed:
		s.modeNotes.SetText("Checks make their own codes and can run in the background. The seed is as secret as the private key.")
	case vault.TwoFAPassword:
		s.modeNotes.SetText("Checks send the password and can run in the background.")
	}
	if m == vault.TwoFASeed && strings.TrimSpace(s.seed.Text) != "" {
		if _, err := parseOTPSeed(s.seed.Text); err != nil {
			message(s.seedMsg, err.Error(), widget.DangerImportance)
		} else {
			message(s.seedMsg, "The seed reads fine.", widget.SuccessImportance)
		}
	} else {
		message(s.seedMsg, "", widget.MediumImportance)
	}
}
