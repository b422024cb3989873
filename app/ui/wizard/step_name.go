package wizard

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"

	"github.com/keywarden/keywarden/app/ui/wheel"
)

// nameStep is step 1: what the key is for, who uses it, and its name.
type nameStep struct {
	w *Wizard

	usedBy      *stepEntry
	usedByMsg   *widget.Label // "this service already holds a key"
	purpose     *widget.RadioGroup
	purposeInfo *widget.Label
	name        *stepEntry
	suggest     *widget.Button // fills in the suggested name
	nameMsg     *widget.Label  // duplicate (blocks) or default-looking (warns)

	box *fyne.Container
}

func newNameStep(w *Wizard) *nameStep {
	s := &nameStep{w: w}
	s.usedBy = newStepEntry(w, false)
	s.usedBy.SetPlaceHolder("for example: Koinly, freqtrade on my VPS")
	s.usedBy.OnChanged = func(string) { s.changed() }
	s.usedByMsg = note()

	labels := make([]string, len(vault.Purposes))
	for i, p := range vault.Purposes {
		labels[i] = p.Label()
	}
	s.purpose = widget.NewRadioGroup(labels, func(string) { s.purposeChanged() })
	s.purpose.Required = true
	s.purpose.Horizontal = false // one per line: the step fits a 640-pixel window
	s.purposeInfo = wrapped("")

	s.name = newStepEntry(w, false)
	s.name.SetPlaceHolder("a name that says where the key is used")
	s.name.OnChanged = func(string) { s.changed() }
	s.suggest = widget.NewButton("", func() { s.name.SetText(s.suggestion()) })
	s.nameMsg = note()

	s.box = container.NewVBox(
		fieldTitle("Used by"),
		wrapped("The services or programs that will hold this key, separated by commas. When one of them is breached, Keywarden shows at once which keys to revoke."),
		wheel.Pass(s.usedBy, w.page), s.usedByMsg,
		fieldTitle("What is it for?"),
		s.purpose, s.purposeInfo,
		fieldTitle("Name"),
		wrapped("You type the same name on Kraken's website, so you can tell the key apart there."),
		wheel.Pass(s.name, w.page),
		container.NewHBox(s.suggest),
		s.nameMsg,
	)
	return s
}

func (s *nameStep) title() string { return "what the key is for" }

func (s *nameStep) intro() string {
	return "One key for each service, with only the permissions it needs. Start by saying who will use this key and what for."
}

func (s *nameStep) content() fyne.CanvasObject { return s.box }

func (s *nameStep) enter() { s.update() }

func (s *nameStep) problem() string {
	if err := s.checkName(s.name.Text); err != nil {
		return keys.UserMessage(err)
	}
	return ""
}

// purposeValue returns the chosen purpose (Custom when none is).
func (s *nameStep) purposeValue() vault.Purpose {
	for _, p := range vault.Purposes {
		if p.Label() == s.purpose.Selected {
			return p
		}
	}
	return vault.PurposeCustom
}

// setPurpose selects p, which also pre-ticks its permissions unless the
// person has changed them.
func (s *nameStep) setPurpose(p vault.Purpose) {
	if s.purpose.Selected == p.Label() {
		s.purposeChanged()
		return
	}
	s.purpose.SetSelected(p.Label())
}

func (s *nameStep) purposeChanged() {
	p := s.purposeValue()
	s.w.perms.purposeChanged(p)
	least := p.LeastPermissions()
	if len(least) == 0 {
		s.purposeInfo.SetText("You choose every permission yourself in the next step.")
	} else {
		titles := make([]string, len(least))
		for i, perm := range least {
			titles[i] = permTitle(perm)
		}
		s.purposeInfo.SetText("The next step ticks what this needs and no more: " + strings.Join(titles, "; ") + ".")
	}
	s.changed()
}

// services returns the used-by list.
func (s *nameStep) services() []string { return splitServices(s.usedBy.Text) }

// suggestion returns a descriptive name from the first service and the
// purpose, made unique among the keys in use.
func (s *nameStep) suggestion() string {
	service := ""
	if list := s.services(); len(list) > 0 {
		service = list[0]
	}
	base := review.SuggestName(service, s.purposeValue(), s.w.now())
	name := base
	for i := 2; s.taken(name); i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	return name
}

// others returns the other records in use, leaving out the key being
// replaced, so it does not count against its own replacement.
func (s *nameStep) others() []vault.Record {
	var out []vault.Record
	for _, r := range s.w.d.Existing() {
		if r.Retired() || (s.w.replaces != nil && r.ID == s.w.replaces.ID) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// checkName asks the service's rule whether a new key may have this name
// (keys.CheckName): the key being replaced counts, as it stays in use
// until its replacement works.
func (s *nameStep) checkName(name string) error {
	return keys.CheckName(s.w.d.Existing(), name, "")
}

// taken reports whether a key in use already has this name.
func (s *nameStep) taken(name string) bool {
	return errors.Is(s.checkName(name), vault.ErrDuplicateName)
}

// holders returns, for each service in the used-by list, the names of the
// keys in use it already holds.
func (s *nameStep) holders() []string {
	var msgs []string
	for _, svc := range s.services() {
		var names []string
		for _, r := range s.others() {
			for _, u := range r.UsedBy {
				if strings.EqualFold(strings.TrimSpace(u), svc) {
					names = append(names, fmt.Sprintf("%q", r.Name))
					break
				}
			}
		}
		if len(names) > 0 {
			msgs = append(msgs, fmt.Sprintf("%s already holds %s.", svc, strings.Join(names, ", ")))
		}
	}
	return msgs
}

func (s *nameStep) changed() {
	s.update()
	s.w.refreshNav()
}

// update refreshes the suggestion and the messages under the fields.
func (s *nameStep) update() {
	if h := s.holders(); len(h) > 0 {
		advice := " A separate key for each service is right. If this key is to replace that one, use Rotate on the old key instead: Keywarden then reminds you to revoke it once the new one works."
		if s.w.replaces != nil {
			advice = " A separate key for each service is right: once this one works, revoke the old one."
		}
		message(s.usedByMsg, strings.Join(h, " ")+advice, widget.WarningImportance)
	} else {
		message(s.usedByMsg, "", widget.MediumImportance)
	}

	suggestion := s.suggestion()
	s.suggest.SetText("Use " + suggestion)
	name := strings.TrimSpace(s.name.Text)
	if name == suggestion {
		s.suggest.Disable()
	} else {
		s.suggest.Enable()
	}
	switch {
	case name == "":
		message(s.nameMsg, "", widget.MediumImportance)
	case s.taken(name):
		message(s.nameMsg, keys.UserMessage(s.checkName(name)), widget.DangerImportance)
	case review.LooksDefaultName(name):
		message(s.nameMsg, fmt.Sprintf("%q does not say where the key is used. In a hurry, after a breach, a name like %q tells you at once which key to delete.", name, suggestion), widget.WarningImportance)
	default:
		message(s.nameMsg, "", widget.MediumImportance)
	}
}
