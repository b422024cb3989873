package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// KrakenHistoryURL is where the account's recent activity is shown.
const KrakenHistoryURL = "https://pro.kraken.com/app/history"

// leakStepCount is how many after-a-leak steps there are; their ticks are
// kept in the key's record (keys.SetLeakStep), so the checklist can be
// reopened, after a restart too.
var leakStepCount = len(vault.LeakStepCodes)

// leakSteps is the rest of the compromised-key runbook: replace the key,
// look at the account's recent activity, change the password and 2FA,
// contact support. Each step has a tick box and a link.
type leakSteps struct {
	mw      revokeHost
	rec     vault.Record
	ticks   []*widget.Check
	replace *widget.Button
	content fyne.CanvasObject
}

// newLeakSteps builds the steps for rec; all is the key list, for the
// read-only keys that show the account's activity.
func newLeakSteps(mw revokeHost, rec vault.Record, all []vault.Record) *leakSteps {
	l := &leakSteps{mw: mw, rec: rec, ticks: make([]*widget.Check, leakStepCount)}
	// The ticks come from the same rule as the count the detail and the
	// list show (keys.LeakChecklistOf), so they cannot disagree.
	list := keys.LeakChecklistOf(rec)
	done := list.Done

	l.replace = widget.NewButtonWithIcon("Make a replacement…", theme.ContentAddIcon(), func() { mw.onRotate(rec) })
	if ok, _ := keys.Can(rec, keys.ActRotate); !ok {
		l.replace.Disable()
	}
	readers := readOnlyKeys(rec, all)
	activity := "Sign in to Kraken and look at the recent history: withdrawals, orders, new withdrawal addresses or logins you do not recognise."
	if readers != "" {
		activity += " A read-only key you keep, such as " + readers + ", shows the same in the tool that uses it."
	}
	steps := []struct {
		title, text string
		action      fyne.CanvasObject
	}{
		{"Make a replacement, if the service still needs a key",
			"Give it a new key with the fewest permissions and an IP allow-list, and only once the service says it is safe again.", l.replace},
		{"Look at recent account activity", activity + " " + watchWords(mw.service(), rec),
			container.NewHBox(mw.activityStepAction(rec),
				widget.NewButtonWithIcon("Open Kraken's history", theme.ComputerIcon(), func() { mw.openURL(KrakenHistoryURL) }))},
		{"Change your Kraken password and 2FA",
			"A leak through a service can come with a phishing attempt. New password, new 2FA, and check the account's other API keys.",
			widget.NewButtonWithIcon("Open security settings", theme.ComputerIcon(), func() { mw.openURL(KrakenSecurityURL) })},
		{"Contact Kraken support if anything looks wrong",
			"They can lock the account and follow up on movements you did not make. Say when the key leaked and what it could do.",
			widget.NewButtonWithIcon("Open Kraken support", theme.HelpIcon(), func() { mw.openURL(KrakenSupportURL) })},
	}
	box := container.NewVBox(newHeading("3. Leak checklist"))
	for i, s := range steps {
		i := i
		check := widget.NewCheck("", nil)
		check.SetChecked(done[i])
		check.OnChanged = func(on bool) { l.onTick(i, on) }
		if list.ByRotation[i] {
			check.Disable() // done by the rotation: unticking would change nothing
		}
		l.ticks[i] = check
		title := newWrapped(s.title)
		title.TextStyle = fyne.TextStyle{Bold: true}
		text := container.NewVBox(title, newWrapped(s.text), container.NewHBox(s.action))
		box.Add(container.NewBorder(nil, nil, container.NewVBox(check), nil, text))
	}
	l.content = box
	return l
}

// onTick saves a tick of the checklist in the key's record.
func (l *leakSteps) onTick(i int, on bool) {
	mw, id, code := l.mw, l.rec.ID, vault.LeakStepCodes[i]
	mw.background("Saving the checklist", func() func() {
		saved, err := mw.service().SetLeakStep(id, code, on)
		return func() {
			if err != nil {
				mw.showError("The tick was not saved", err)
				return
			}
			// Keep the screen (and its scroll) as it is: only the list's
			// copy of the record catches up.
			mw.keepRecord(saved)
		}
	})
}

// readOnlyKeys names up to two read-only keys in use on the same account,
// other than rec.
func readOnlyKeys(rec vault.Record, all []vault.Record) string {
	var names []string
	for _, r := range all {
		if r.ID == rec.ID || r.Retired() || r.Account != rec.Account {
			continue
		}
		if kraken.MaxRisk(review.EffectivePermissions(r)) == kraken.RiskRead {
			names = append(names, "“"+r.Name+"”")
		}
		if len(names) == 2 {
			break
		}
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return names[0] + " or " + names[1]
}
