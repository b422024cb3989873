package ui

import (
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
)

// reminderSection is the part of a key's detail about what the tray does
// with it: its reminders, which can be snoozed for a day or a week, and its
// background check, which can be turned on or off. Both live in the
// reminders file (remind.StateFile) that the tray part reads; the tray is
// told after each change.
type reminderSection struct {
	mw   detailHost
	rec  vault.Record
	file *remind.StateFile

	filling bool // fill is setting the checks: their callbacks must not save

	snoozeText                      *widget.Label
	snoozeDay, snoozeWeek, unsnooze *widget.Button
	autoCheck, inUse                *widget.Check
	checkText                       *widget.Label
	useDefault                      *widget.Button
	problem                         *widget.Label
	content                         fyne.CanvasObject
}

func newReminderSection(mw detailHost, rec vault.Record) *reminderSection {
	s := &reminderSection{mw: mw, rec: rec, file: mw.service().Reminders()}
	if words := retiredWords(rec); words != "" {
		s.content = newWrapped(words) // no reminders, no checks: nothing to set
		return s
	}
	s.snoozeText = newWrapped("")
	s.snoozeDay = widget.NewButtonWithIcon("Snooze 1 day", theme.HistoryIcon(), func() { s.onSnooze(remind.SnoozeDay) })
	s.snoozeWeek = widget.NewButtonWithIcon("Snooze 1 week", theme.HistoryIcon(), func() { s.onSnooze(remind.SnoozeWeek) })
	s.unsnooze = widget.NewButtonWithIcon("End the snooze", theme.MediaPlayIcon(), s.onUnsnooze)
	s.unsnooze.Hide()

	// Wrapping rows, so the detail fits a 640-pixel window.
	var autoRow, inUseRow fyne.CanvasObject
	s.autoCheck, autoRow = wrappedCheck("Check this key on Kraken in the background, at most once a day", s.onAutoCheck)
	s.inUse, inUseRow = wrappedCheck("A running program uses this key (a trading bot, a script on a server)", s.onInUse)
	s.checkText = newWrapped("")
	s.useDefault = widget.NewButton("Back to the default", s.onUseDefault)
	s.useDefault.Hide()
	note := newWrapped(remind.NonceRaceNote)
	s.problem = newWrapped("")
	s.problem.Importance = widget.WarningImportance
	s.problem.Hide()
	s.enable(false)
	s.content = container.NewVBox(
		s.problem,
		s.snoozeText, container.NewHBox(s.snoozeDay, s.snoozeWeek, s.unsnooze),
		autoRow, s.checkText, container.NewHBox(s.useDefault), inUseRow, note,
	)
	s.fill(mw.snapshot().Reminders, mw.snapshot().RemindersErr)
	return s
}

// retiredWords says why a revoked or leaked key has no reminders and no
// background checks, or returns "" for a key in use.
func retiredWords(r vault.Record) string {
	switch r.Status {
	case vault.StatusRevoked:
		return "This key is revoked: the tray sends no reminders about it and does not check it in the background."
	case vault.StatusCompromised:
		return "This key is marked as leaked: the tray sends no reminders about it and does not check it in the background. Work through its “" + leakChecklistLabel + "” until Kraken no longer knows it."
	}
	return ""
}

// enable turns the controls on once the file is read, and off while a
// change is being saved.
func (s *reminderSection) enable(on bool) {
	for _, b := range []*widget.Button{s.snoozeDay, s.snoozeWeek, s.unsnooze, s.useDefault} {
		setEnabled(b, on)
	}
	setEnabled(s.inUse, on)
	canCheck, _ := remind.CanAutoCheck(s.rec)
	setEnabled(s.autoCheck, on && canCheck)
}

// fill shows the state read from the file (err as Load or Update gave it).
func (s *reminderSection) fill(st remind.State, err error) {
	var damaged *remind.DamagedError
	switch {
	case errors.As(err, &damaged):
		s.showProblem("The reminders file was damaged, so the reminders started over: snoozes and background-check choices are back to their defaults, and a reminder you have seen may come once more. The damaged file is kept beside it as " + remind.DamagedName + ".")
	case err != nil:
		fyne.LogError("reading the reminders", err)
		s.showProblem("Keywarden could not read its reminders file (" + s.file.Path() + "), so snoozes and background checks cannot be changed now. Check that the folder can be read, then open this key again.")
		s.snoozeText.SetText("")
		return
	default:
		s.problem.Hide()
	}
	now := s.mw.now()

	if until, ok := st.SnoozedUntil(s.rec.ID, now); ok {
		s.snoozeText.SetText("Snoozed until " + dateTime(until) + " (" + relative(until, now) + "): the tray keeps quiet about this key until then, unless something urgent comes up.")
		s.snoozeDay.Hide()
		s.snoozeWeek.Hide()
		s.unsnooze.Show()
	} else {
		s.snoozeText.SetText("The tray reminds you when this key is due for review or about to expire, or when a check finds a problem. Busy? Hold its reminders back for a while:")
		s.snoozeDay.Show()
		s.snoozeWeek.Show()
		s.unsnooze.Hide()
	}
	if !s.mw.snapshot().Settings.Notifications {
		s.snoozeText.SetText(s.snoozeText.Text + " (Reminders are turned off for all keys in Settings.)")
	}

	s.filling = true
	s.autoCheck.SetChecked(remind.AutoCheckOn(s.rec, st))
	s.inUse.SetChecked(st.InUse[s.rec.ID])
	s.filling = false
	s.checkText.SetText(s.checkWords(st, now))
	_, chosen := st.AutoCheck[s.rec.ID]
	if chosen {
		s.useDefault.Show()
	} else {
		s.useDefault.Hide()
	}
	s.enable(true)
}

// checkWords says whether and when the key is checked in the background,
// and whose choice that is.
func (s *reminderSection) checkWords(st remind.State, now time.Time) string {
	r := s.rec
	if ok, why := remind.CanAutoCheck(r); !ok {
		return why
	}
	whose := "your choice"
	if _, chosen := st.AutoCheck[r.ID]; !chosen {
		switch {
		case remind.DefaultAutoCheck(r, st.InUse[r.ID]):
			whose = "the default"
		case r.Purpose == vault.PurposeTradingBot:
			whose = "the default for a trading-bot key"
		default:
			whose = "the default for a key a running program uses"
		}
	}
	at, on := remind.NextCheck(r, st)
	switch {
	case !on:
		return "Off (" + whose + "). “Check now” still checks it while you watch."
	case !at.After(now):
		return "On (" + whose + "). The tray checks it at the next chance; problems come as a reminder."
	}
	if failed, ok := st.Unreached[r.ID]; ok && failed.Add(remind.RetryInterval).Equal(at) {
		return "On (" + whose + "). The last background check, " + dateTime(failed) + ", got no answer (no network, or Kraken busy), so Kraken's last answer below still stands. It is tried again around " + dateTime(at) + "."
	}
	return "On (" + whose + "). Next check around " + dateTime(at) + " (" + relative(at, now) + "); problems come as a reminder."
}

func (s *reminderSection) showProblem(text string) {
	s.problem.SetText(text)
	s.problem.Show()
}

func (s *reminderSection) onSnooze(d time.Duration) {
	until := s.mw.now().Add(d)
	s.save("Snoozing the reminders", func(st *remind.State) { st.Snooze(s.rec.ID, until) })
}

func (s *reminderSection) onUnsnooze() {
	s.save("Ending the snooze", func(st *remind.State) { st.Unsnooze(s.rec.ID) })
}

func (s *reminderSection) onAutoCheck(on bool) {
	if s.filling {
		return
	}
	s.save("Saving the background check", func(st *remind.State) { st.SetAutoCheck(s.rec.ID, on) })
}

func (s *reminderSection) onInUse(on bool) {
	if s.filling {
		return
	}
	s.save("Saving the background check", func(st *remind.State) { st.SetInUse(s.rec.ID, on) })
}

func (s *reminderSection) onUseDefault() {
	s.save("Saving the background check", func(st *remind.State) { st.ResetAutoCheck(s.rec.ID) })
}

// save changes the reminders file with fn, shows the result and tells the
// tray part. A failure says so in plain words and shows what the file
// still holds.
func (s *reminderSection) save(what string, fn func(*remind.State)) {
	s.enable(false)
	s.mw.background(what, func() func() {
		err := s.mw.service().UpdateReminders(s.rec.ID, fn)
		st, loadErr := s.file.Load()
		return func() {
			snap := s.mw.snapshot()
			snap.Reminders, snap.RemindersErr = st, loadErr
			var not *keys.NotAllowedError
			switch {
			case errors.As(err, &not):
				s.mw.showError("Nothing was changed", err)
			case err != nil:
				fyne.LogError("saving the reminders", err)
				s.mw.showMessage("Nothing was changed", "Keywarden could not save to its reminders file ("+s.file.Path()+"). Check that the folder is writable and the disk is not full, then try again.")
			default:
				s.mw.tellTray()
			}
			s.fill(st, loadErr)
		}
	})
}

// tellTray tells the tray part that the reminders or the key list changed.
func (mw *mainWindow) tellTray() {
	if mw.env.TellTray != nil {
		mw.env.TellTray()
	}
}

// setEnabled enables or disables a widget.
func setEnabled(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}
