package ui

import (
	"os"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/ui/guardui"
	"github.com/keywarden/keywarden/app/vault"
)

// settingsScreen holds the settings: review defaults, notifications,
// start at login, app 2FA, and where things are kept.
type settingsScreen struct {
	mw *mainWindow

	back            *widget.Button
	readOnly, risky *widget.Entry
	notifications   *widget.Check
	startAtLogin    *widget.Check
	guardState      *widget.Label
	guardButton     *widget.Button
	content         fyne.CanvasObject
}

// showSettings shows the settings.
func (mw *mainWindow) showSettings() {
	mw.clearScreens()
	mw.settings = newSettingsScreen(mw)
	mw.show(viewSettings, "", mw.settings.content)
}

func newSettingsScreen(mw *mainWindow) *settingsScreen {
	s := &settingsScreen{mw: mw}
	p := mw.snap.Settings
	s.back = widget.NewButtonWithIcon("Keys", theme.NavigateBackIcon(), mw.showList)

	s.readOnly = daysEntry(p.ReadOnlyDays, func(n int) { s.save(func(st *keys.Settings) { st.ReadOnlyDays = n }) })
	s.risky = daysEntry(p.RiskyDays, func(n int) { s.save(func(st *keys.Settings) { st.RiskyDays = n }) })
	reviewForm := widget.NewForm(
		widget.NewFormItem("Keys that only read", s.readOnly),
		widget.NewFormItem("Keys that trade or move money", s.risky),
	)

	s.notifications = widget.NewCheck("Remind me from the tray when a key is due or about to expire", nil)
	s.notifications.SetChecked(p.Notifications)
	s.notifications.OnChanged = func(on bool) { s.save(func(st *keys.Settings) { st.Notifications = on }) }

	s.startAtLogin = widget.NewCheck("Start Keywarden when I log in", s.onStartAtLogin)
	s.startAtLogin.SetChecked(p.StartAtLogin)
	loginHint := newWrapped("Keywarden then sits in the tray and reminds you of due keys.")
	if mw.env.StartAtLogin == nil {
		s.startAtLogin.Disable()
		loginHint.SetText("Comes with the tray.")
	}
	loginHint.TextStyle = fyne.TextStyle{Italic: true}

	s.guardState = newWrapped("")
	s.guardButton = widget.NewButton("", s.onGuard)
	s.refreshGuard()

	store := "Your key list (names, services, permissions, history; never a secret): " + mw.keys.Store().Path() +
		". A backup of the previous version is kept beside it. Settings: " + mw.keys.SettingsFile().Path() + "."
	secrets := "Secrets (API keys, private keys, 2FA seeds): your system keyring, service “" + vault.KeyringService + "”."
	if mw.env.Demo {
		secrets = "Demo mode: the secrets live in memory only and vanish when the window closes."
	}
	body := container.NewVBox(
		newHeading("Review every (days)"),
		newWrapped("How often a key without its own interval is due for review. Keys that can trade or move money deserve a look more often."),
		reviewForm,
		widget.NewSeparator(), newHeading("Reminders"), s.notifications,
		widget.NewSeparator(), newHeading("Start at login"), s.startAtLogin, loginHint,
		widget.NewSeparator(), newHeading("App 2FA"), s.guardState, container.NewHBox(s.guardButton),
		widget.NewSeparator(), newHeading("Appearance"),
		newWrapped("Keywarden follows your system's light or dark theme; change it there."),
		widget.NewSeparator(), newHeading("Where things are kept"), newWrapped(store), newWrapped(secrets),
	)
	title := newHeading("Settings")
	title.SizeName = theme.SizeNameHeadingText
	header := container.NewVBox(container.NewBorder(nil, nil, s.back, nil, title), widget.NewSeparator())
	s.content = container.NewBorder(header, nil, nil, nil, container.NewVScroll(container.NewPadded(body)))
	return s
}

// daysEntry edits a number of days, saving each valid value as it is typed.
func daysEntry(days int, set func(int)) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(strconv.Itoa(days))
	e.Validator = func(s string) error {
		if s == "" {
			return validDays("0")
		}
		return validDays(s)
	}
	e.OnChanged = func(s string) {
		if n, err := strconv.Atoi(s); err == nil && validDays(s) == nil {
			set(n)
		}
	}
	return e
}

func (s *settingsScreen) onStartAtLogin(on bool) {
	if s.mw.env.StartAtLogin == nil || on == s.mw.snap.Settings.StartAtLogin {
		return
	}
	if err := s.mw.env.StartAtLogin(on); err != nil {
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
		err := mw.keys.UpdateSettings(func(st *keys.Settings) error { fn(st); return nil })
		snap := mw.readList()
		return func() {
			mw.take(snap)
			if err != nil {
				mw.showError("The setting was not saved", err)
				return
			}
			mw.tellTray()
		}
	})
}

// refreshGuard shows whether app 2FA is on, and the button that changes it.
func (s *settingsScreen) refreshGuard() {
	g := s.mw.env.Guard
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
	}
}

func (s *settingsScreen) onGuard() {
	g, mw := s.mw.env.Guard, s.mw
	if g == nil {
		return
	}
	done := func(bool) {
		if mw.settings == s {
			s.refreshGuard()
		}
	}
	if g.Enabled() {
		guardui.ShowDisable(mw.win, g, mw.env.now, done)
		return
	}
	guardui.ShowEnrol(mw.win, g, guardAccount(), mw.env.now, done)
}

// guardAccount is what the authenticator app shows beside "Keywarden".
func guardAccount() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "this computer"
}
