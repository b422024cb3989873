package ui

import (
	"errors"
	"os"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/ui/async"
	"github.com/keywarden/keywarden/app/ui/guardui"
	"github.com/keywarden/keywarden/app/ui/wheel"
	"github.com/keywarden/keywarden/app/vault"
)

// settingsScreen holds the settings: review defaults, notifications,
// start at login, app 2FA, and where things are kept.
type settingsScreen struct {
	mw settingsHost

	back            *widget.Button
	readOnly, risky *commitEntry
	idleClose       *commitEntry
	unlock          *commitEntry // minutes unlocked after an app 2FA code
	saveButton      *widget.Button
	problem         *widget.Label // why a typed value was not saved
	scroll          *container.Scroll
	notifications   *widget.Check
	startAtLogin    *widget.Check
	guardState      *widget.Label
	guardButton     *widget.Button
	guardOn         bool // the seed is in the keyring although the switch says off
	content         fyne.CanvasObject
}

// showSettings shows the settings.
func (mw *mainWindow) showSettings() {
	mw.clearScreens()
	mw.settings = newSettingsScreen(mw)
	mw.show(viewSettings, "", mw.settings.content)
}

func newSettingsScreen(mw settingsHost) *settingsScreen {
	s := &settingsScreen{mw: mw}
	p := mw.settingsShown()
	s.back = widget.NewButtonWithIcon("Keys", theme.NavigateBackIcon(), mw.showList)

	s.readOnly = newCommitEntry(strconv.Itoa(p.ReadOnlyDays), func(string) { s.commit() })
	s.risky = newCommitEntry(strconv.Itoa(p.RiskyDays), func(string) { s.commit() })
	s.idleClose = newCommitEntry(keys.FormatIdleClose(p.IdleCloseMinutes), func(string) { s.commit() })
	for _, e := range []*commitEntry{s.readOnly, s.risky} {
		e.Validator = func(v string) error { _, err := keys.ParseReviewDays(v); return err }
	}
	s.idleClose.Validator = func(v string) error { _, err := keys.ParseIdleClose(v); return err }
	s.unlock = newCommitEntry(strconv.Itoa(p.UnlockMinutes), func(string) { s.commit() })
	s.unlock.Validator = func(v string) error { _, err := keys.ParseUnlockMinutes(v); return err }
	for _, e := range []*commitEntry{s.readOnly, s.risky, s.idleClose, s.unlock} {
		e.onEscape = s.leave
	}
	s.saveButton = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), s.onSave)
	s.problem = newWrapped("")
	s.problem.Importance = widget.DangerImportance
	s.problem.Hide()
	reviewForm := widget.NewForm(
		widget.NewFormItem("Keys that only read", wheel.Pass(s.readOnly, s.page)),
		widget.NewFormItem("Keys that trade or move money", wheel.Pass(s.risky, s.page)),
	)
	reviewForm.Items[0].HintText = "1 to 365 days"
	reviewForm.Items[1].HintText = "1 to 365 days"
	idleForm := widget.NewForm(widget.NewFormItem("Minutes without input", wheel.Pass(s.idleClose, s.page)))
	idleForm.Items[0].HintText = "1 to 1440, or never"
	unlockForm := widget.NewForm(widget.NewFormItem("Minutes unlocked", wheel.Pass(s.unlock, s.page)))
	unlockForm.Items[0].HintText = "0 (ask every time) to 15"

	s.notifications = widget.NewCheck("Remind me from the tray when a key is due or about to expire", nil)
	s.notifications.SetChecked(p.Notifications)
	s.notifications.OnChanged = func(on bool) { s.save(func(st *keys.Settings) { st.Notifications = on }) }

	s.startAtLogin = widget.NewCheck("Start Keywarden when I log in", s.onStartAtLogin)
	s.startAtLogin.SetChecked(p.StartAtLogin)
	loginHint := newWrapped("Keywarden then sits in the tray and reminds you of due keys.")
	if mw.startAtLogin() == nil {
		s.startAtLogin.Disable()
		loginHint.SetText("Comes with the tray.")
	}

	s.guardState = newWrapped("")
	s.guardButton = widget.NewButton("", s.onGuard)
	s.refreshGuard()

	store := "Your key list (names, services, permissions, history; never a secret): " + mw.service().KeyListPath() +
		". A backup of the previous version is kept beside it. Settings: " + mw.service().SettingsFile().Path() + "."
	secrets := "Secrets (API keys, private keys, 2FA seeds): your system keyring, service “" + vault.KeyringService + "”."
	if mw.demo() {
		secrets = "Demo mode: the secrets live in memory only and vanish when the window closes."
	}
	body := container.NewVBox(
		newHeading("Review every (days)"),
		newWrapped("How often a key without its own interval is due for review. Keys that can trade or move money deserve a look more often."),
		reviewForm,
		widget.NewSeparator(), newHeading("Close the window when idle"),
		newWrapped("The window closes itself after this many minutes without input, so key facts do not stay on screen and the idle window costs nothing; the tray part stays, and Open Keywarden brings back the same screen. It never closes while you are adding a key or a check runs."),
		idleForm,
		container.NewHBox(s.saveButton), s.problem,
		widget.NewSeparator(), newHeading("Reminders"), s.notifications, newWrapped(keys.NotificationsOffNote),
		widget.NewSeparator(), newHeading("Start at login"), s.startAtLogin, loginHint,
		widget.NewSeparator(), newHeading("App 2FA"), s.guardState, container.NewHBox(s.guardButton),
		newWrapped("After a correct code, this window does not ask again for a short while, so two protected actions in a row need one code. Never longer than the idle close; closing the window locks it again, and other windows and the command line still ask."),
		unlockForm,
		widget.NewSeparator(), newHeading("Appearance"),
		newWrapped("Keywarden follows your system's light or dark theme; change it there."),
		widget.NewSeparator(), newHeading("Where things are kept"), newWrapped(store), newWrapped(secrets),
	)
	title := newHeading("Settings")
	title.SizeName = theme.SizeNameHeadingText
	header := container.NewVBox(container.NewBorder(nil, nil, s.back, nil, title), widget.NewSeparator())
	s.scroll = container.NewVScroll(container.NewPadded(body))
	s.content = container.NewBorder(header, nil, nil, nil, s.scroll)
	return s
}

// page is the settings' scroller, for the mouse wheel over the fields.
func (s *settingsScreen) page() fyne.Scrollable {
	if s.scroll == nil {
		return nil
	}
	return s.scroll
}

// onSave saves the typed values and says so, even when they were saved
// already (on leaving a field): a Save that shows nothing leaves the
// person wondering.
func (s *settingsScreen) onSave() {
	if s.commit() == commitSame {
		s.mw.notice("Settings saved.")
	}
}

// leave goes back to the keys, as Escape does: after saving what was
// typed, or not at all when a typed value is wrong, so nothing typed is
// lost without a word.
func (s *settingsScreen) leave() {
	if s.commit() != commitInvalid {
		s.mw.showList()
	}
}

// commitResult is what commit did.
type commitResult int

const (
	commitSame    commitResult = iota // the values are stored already
	commitSaving                      // a save started
	commitInvalid                     // a value is wrong; nothing saved
)

// commit saves the typed values (review days, idle close, unlock) when all are
// valid and one differs from what is stored; otherwise it says what is
// wrong and saves nothing. It runs on leaving a field, on Enter and on Save.
func (s *settingsScreen) commit() commitResult {
	readOnly, err1 := keys.ParseReviewDays(s.readOnly.Text)
	risky, err2 := keys.ParseReviewDays(s.risky.Text)
	idle, err3 := keys.ParseIdleClose(s.idleClose.Text)
	unlock, err4 := keys.ParseUnlockMinutes(s.unlock.Text)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		for _, e := range []*commitEntry{s.readOnly, s.risky, s.idleClose, s.unlock} {
			_ = e.Validate()
		}
		s.problem.SetText("Not saved: " + keys.UserMessage(firstError(err1, err2, err3, err4)))
		s.problem.Show()
		return commitInvalid
	}
	s.problem.Hide()
	cur := s.mw.settingsShown()
	if readOnly == cur.ReadOnlyDays && risky == cur.RiskyDays && idle == cur.IdleCloseMinutes && unlock == cur.UnlockMinutes {
		return commitSame
	}
	s.save(func(st *keys.Settings) {
		st.ReadOnlyDays, st.RiskyDays, st.IdleCloseMinutes, st.UnlockMinutes = readOnly, risky, idle, unlock
	})
	return commitSaving
}

// firstError returns the first non-nil error.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *settingsScreen) onStartAtLogin(on bool) {
	if s.mw.startAtLogin() == nil || on == s.mw.settingsShown().StartAtLogin {
		return
	}
	if err := s.mw.startAtLogin()(on); err != nil {
		s.mw.showError("Start at login was not changed", err)
		s.startAtLogin.SetChecked(!on)
		return
	}
	s.save(func(st *keys.Settings) { st.StartAtLogin = on })
}

// save changes the settings with fn through the key service, off the UI
// goroutine, then takes the key list again (review days change what is
// due) without redrawing this screen, and tells the tray part.
func (s *settingsScreen) save(fn func(*keys.Settings)) {
	mw := s.mw
	mw.background("Saving the settings", func() func() {
		err := mw.service().UpdateSettings(func(st *keys.Settings) error { fn(st); return nil })
		snap := mw.readList()
		return func() {
			mw.take(snap)
			if err != nil {
				mw.showError("The setting was not saved", err)
				return
			}
			mw.tellTray()
			mw.notice("Settings saved.")
		}
	})
}

// refreshGuard shows whether app 2FA is on, and the button that changes it.
func (s *settingsScreen) refreshGuard() {
	g := s.mw.appGuard()
	s.guardOn = false
	switch {
	case g == nil:
		s.guardState.SetText("App 2FA is not available here.")
		s.guardButton.SetText("Turn on…")
		s.guardButton.Disable()
	case g.Enabled():
		s.guardState.SetText("On: copying or revealing a secret, removing a key and turning this off ask for a code from your authenticator app.")
		s.guardButton.SetText("Turn off…")
		s.guardButton.Enable()
	default:
		s.guardState.SetText("Off. Turn it on to ask for a 6-digit code from an authenticator app before a secret is copied or a key removed.")
		s.guardButton.SetText("Turn on…")
		s.guardButton.Enable()
		s.askKeyring(g)
	}
}

// askKeyring shows app 2FA as on when its seed is in the keyring although
// guard.json says off (deleted or edited): the seed decides, and the code
// prompts ask for codes. The keyring is asked off the UI goroutine.
func (s *settingsScreen) askKeyring(g *guard.Guard) {
	async.Run(s.mw.runner(), func() bool { on, err := g.Required(); return on && err == nil }, func(on bool, err error) {
		if err != nil || !on || !s.mw.shows(s) || g.Enabled() {
			return
		}
		s.guardState.SetText("On: its seed is in the system keyring, though Keywarden's record of it was missing. Copying or revealing a secret, removing a key and turning this off ask for a code from your authenticator app.")
		s.guardButton.SetText("Turn off…")
		s.guardButton.Enable()
		s.guardOn = true
	})
}

func (s *settingsScreen) onGuard() {
	g, mw := s.mw.appGuard(), s.mw
	if g == nil {
		return
	}
	done := func(bool) {
		if mw.shows(s) {
			s.refreshGuard()
		}
	}
	if g.Enabled() || s.guardOn {
		guardui.ShowDisable(mw.window(), g, mw.now, done)
		return
	}
	guardui.ShowEnrol(mw.window(), g, guardAccount(), mw.now, done)
}

// guardAccount is what the authenticator app shows beside "Keywarden".
func guardAccount() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "this computer"
}
