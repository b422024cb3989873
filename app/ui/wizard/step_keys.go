package wizard

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/kraken"

	"github.com/keywarden/keywarden/app/ui/wheel"
)

// Stand-ins of the right shape, so each field's shape is checked on its own.
var (
	shapeAPIKey     = strings.Repeat("A", kraken.APIKeyLength)
	shapePrivateKey = strings.Repeat("A", kraken.PrivateKeyLength-2) + "=="
)

// keyStep is step 5: paste the API key and the private key.
type keyStep struct {
	w *Wizard

	apiKey     *stepEntry // masked
	apiMsg     *widget.Label
	privateKey *stepEntry // masked
	privMsg    *widget.Label
	demoPaste  *widget.Button // demo mode: pastes the simulated website's pair

	box *fyne.Container
}

func newKeyStep(w *Wizard) *keyStep {
	s := &keyStep{w: w}
	s.apiKey = newStepEntry(w, true)
	s.apiKey.SetPlaceHolder("paste the API key")
	s.apiKey.OnChanged = func(string) { s.changed() }
	s.apiMsg = note()
	s.privateKey = newStepEntry(w, true)
	s.privateKey.SetPlaceHolder("paste the private key")
	s.privateKey.OnChanged = func(string) { s.changed() }
	s.privMsg = note()
	s.box = container.NewVBox(
		fieldTitle("API key"),
		wrapped("The shorter one (56 characters), labelled API key on the website."),
		wheel.Pass(s.apiKey, w.page), s.apiMsg,
		fieldTitle("Private key"),
		wrapped("The longer one (88 characters), shown only once. It goes to your system keyring when you save, never to a file."),
		wheel.Pass(s.privateKey, w.page), s.privMsg,
	)
	s.demoPaste = widget.NewButtonWithIcon("Paste the demo pair", theme.ContentPasteIcon(), func() {
		s.apiKey.SetText(w.demoPair[0])
		s.privateKey.SetText(w.demoPair[1])
	})
	s.demoPaste.Hide()
	s.box.Add(container.NewHBox(s.demoPaste))
	return s
}

func (s *keyStep) title() string { return "paste the key" }

func (s *keyStep) intro() string {
	return "Copy both keys from the website and paste them here. They stay hidden; spaces and line breaks picked up while copying are removed."
}

func (s *keyStep) content() fyne.CanvasObject { return s.box }

func (s *keyStep) enter() { s.update() }

func (s *keyStep) problem() string {
	api, priv := s.values()
	switch {
	case api == "" || priv == "":
		return "Paste the API key and the private key."
	case apiShapeProblem(api) != "":
		return "The API key does not look right: see the note under it."
	case privateShapeProblem(priv) != "":
		return "The private key does not look right: see the note under it."
	}
	return ""
}

// values returns the pasted keys without whitespace.
func (s *keyStep) values() (apiKey, privateKey string) {
	return cleanKey(s.apiKey.Text), cleanKey(s.privateKey.Text)
}

func (s *keyStep) changed() {
	s.update()
	s.w.refreshNav()
}

func (s *keyStep) update() {
	api, priv := s.values()
	keyMessage(s.apiMsg, s.apiKey.Text, api, apiShapeProblem(api), "The API key has the right shape.")
	keyMessage(s.privMsg, s.privateKey.Text, priv, privateShapeProblem(priv), "The private key has the right shape.")
}

// keyMessage shows what is wrong with a pasted key, or that it looks right,
// never the key itself.
func keyMessage(l *widget.Label, raw, clean, problem, fine string) {
	switch {
	case clean == "":
		message(l, "", widget.MediumImportance)
	case problem != "":
		message(l, problem, widget.DangerImportance)
	case raw != clean:
		message(l, fine+" (Spaces or line breaks from copying were removed.)", widget.SuccessImportance)
	default:
		message(l, fine, widget.SuccessImportance)
	}
}

// apiShapeProblem says in plain words what is wrong with an API key's shape.
func apiShapeProblem(api string) string {
	if api == "" {
		return ""
	}
	msg := shapeText(kraken.CheckKeyShape(api, shapePrivateKey))
	if msg != "" && len(api) == kraken.PrivateKeyLength {
		msg += " That is the length of a private key: did you paste the two keys the wrong way round?"
	}
	return msg
}

// privateShapeProblem says in plain words what is wrong with a private
// key's shape.
func privateShapeProblem(priv string) string {
	if priv == "" {
		return ""
	}
	msg := shapeText(kraken.CheckKeyShape(shapeAPIKey, priv))
	if msg != "" && len(priv) == kraken.APIKeyLength {
		msg += " That is the length of an API key: did you paste the two keys the wrong way round?"
	}
	return msg
}

// shapeText turns a CheckKeyShape error (which names what is wrong but never
// the value) into a sentence with what to do.
func shapeText(err error) string {
	if err == nil {
		return ""
	}
	detail := strings.TrimPrefix(err.Error(), kraken.ErrMalformedKey.Error()+": ")
	if detail == err.Error() {
		return keys.UserMessage(err)
	}
	return strings.ToUpper(detail[:1]) + detail[1:] + ". Copy it again from the website, all of it."
}
