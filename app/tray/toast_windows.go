package tray

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/windows/registry"

	"github.com/keywarden/keywarden/app/remind"
)

// Windows: a reminder is a toast (winrt_windows.go) with the buttons Open,
// Snooze 1 day and Snooze 1 week, which start keywarden: links (link.go).
// For an exe that is not packaged, Windows shows a toast under an
// AppUserModelID only once it is registered (HKCU\Software\Classes\
// AppUserModelId\<AUMID>: the name and icon the toast shows), and starts a
// link only through a registered URL protocol (HKCU\Software\Classes\
// keywarden). The tray part registers both at every start, pointing at
// itself. Where Windows cannot make toasts (Wine 8.0 has no
// Windows.UI.Notifications), reminders are balloons on the tray icon
// (notify_windows.go), and a toast that fails becomes a balloon.

// classesKey is the user's part of HKEY_CLASSES_ROOT.
const classesKey = `Software\Classes`

// errRealRegistryInTest is returned when a test program reaches for the
// real user's registration.
var errRealRegistryInTest = errors.New("a test reached for the real HKCU\\Software\\Classes; give it a private key")

// platformNotifier returns the Windows notifier, and says in a line for
// the log which it is:
// toasts when Keywarden could be registered and Windows can make them,
// else balloons on the tray icon. Both pass a click to t.OnAction; toast
// buttons come through links (Tray.Handle).
func platformNotifier(t *Tray) (Notifications, string, error) {
	b := &balloons{onAction: t.OnAction, class: systrayClass}
	if err := register(t); err != nil {
		return b, fmt.Sprintf("reminders show as balloons on the tray icon: toasts need Keywarden registered with Windows (%v)", err), nil
	}
	if err := probeToasts(AppID); err != nil {
		return b, fmt.Sprintf("reminders show as balloons on the tray icon: Windows cannot make toasts here (%v)", err), nil
	}
	n := &toasts{appID: AppID, token: t.linkToken, balloons: b, report: t.report}
	return n, "reminders show as Windows toasts with buttons (as a balloon on the tray icon when a toast cannot be made)", nil
}

// toasts shows notifications as Windows toasts, and as balloons when a
// toast cannot be made.
type toasts struct {
	appID    string
	token    string // the tray part's link token, for the snooze buttons
	balloons Notifications
	report   func(error)
	failed   atomic.Bool // a toast that failed was reported already

	closeFailed atomic.Bool // a failure to close toasts was reported already
}

// Reminder shows rem as a toast with the buttons Open, Snooze 1 day and
// Snooze 1 week; a click on it opens the key.
func (n *toasts) Reminder(rem remind.Reminder) error {
	return n.show(reminderToast(rem, n.token), toastGroup(rem.RecordID), func() error { return n.balloons.Reminder(rem) })
}

// Message shows a toast about no one key; a click opens the window.
func (n *toasts) Message(title, body string) error {
	return n.show(messageToast(title, body), "", func() error { return n.balloons.Message(title, body) })
}

// Question shows an account watch's question as a toast with the buttons
// It was me and Not me; a click on it opens Activity.
func (n *toasts) Question(refID, title, body string) error {
	subject := QuestionSubject(refID)
	return n.show(questionToast(refID, title, body, n.token), toastGroup(subject), func() error { return n.balloons.Question(refID, title, body) })
}

// CloseKey removes the key's toasts, from the screen and the notification
// centre, and its balloon if one is on the screen.
func (n *toasts) CloseKey(recordID string) {
	n.balloons.CloseKey(recordID)
	if recordID == "" {
		return
	}
	if err := removeToastGroup(n.appID, toastGroup(recordID)); err != nil && n.closeFailed.CompareAndSwap(false, true) {
		n.report(fmt.Errorf("%v: a key's other toasts stay until they are dismissed", err))
	}
}

// toastGroup returns the group of a key's toasts: its record ID, or where
// that is longer than Windows takes (a group holds at most 16 characters
// on older Windows 10) or not plain, a digest of it.
func toastGroup(recordID string) string {
	if len(recordID) <= maxToastGroup && strings.Trim(recordID, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_") == "" {
		return recordID
	}
	sum := sha256.Sum256([]byte(recordID))
	return hex.EncodeToString(sum[:maxToastGroup/2])
}

// maxToastGroup is the longest group every Windows 10 takes.
const maxToastGroup = 16

func (n *toasts) show(content, group string, balloon func() error) error {
	err := showToast(n.appID, content, group)
	if err == nil || errors.Is(err, errToastsOff) { // turned off: no balloon either
		return err
	}
	if n.failed.CompareAndSwap(false, true) {
		n.report(fmt.Errorf("%v: a balloon on the tray icon instead", err))
	}
	return balloon()
}

// register registers Keywarden's toasts and links for this exe, with the
// icon beside the key list.
func register(t *Tray) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	icon, err := IconFile(t.cfg.Keys.Dir())
	if err != nil {
		return err
	}
	return registration{Classes: classesKey, AppID: AppID, Exe: exe, Icon: icon}.write()
}

// registration is what Windows needs to show Keywarden's toasts and to
// start its links, written under HKEY_CURRENT_USER\<Classes>.
type registration struct {
	Classes string // classesKey, or a test's private key
	AppID   string // the AppUserModelID the toasts are shown as
	Exe     string // the program a link starts
	Icon    string // the icon file the toasts show
}

// A registration's values, relative to its Classes key.
type regValue struct{ key, name, value string }

func (r registration) values() []regValue {
	aumid := `AppUserModelId\` + r.AppID
	return []regValue{
		{aumid, "DisplayName", "Keywarden"},
		{aumid, "IconUri", r.Icon},
		{LinkScheme, "", "URL:Keywarden link"},
		{LinkScheme, "URL Protocol", ""},
		{LinkScheme + `\shell\open\command`, "", `"` + r.Exe + `" "%1"`},
	}
}

// write writes the registration; writing it again changes nothing. A test
// program may not write the real HKCU\Software\Classes.
func (r registration) write() error {
	if testing.Testing() && strings.EqualFold(strings.Trim(r.Classes, `\`), classesKey) {
		return errRealRegistryInTest
	}
	if strings.Contains(r.Exe, `"`) {
		return fmt.Errorf("the program path %q holds a quote", r.Exe)
	}
	for _, v := range r.values() {
		k, _, err := registry.CreateKey(registry.CURRENT_USER, r.Classes+`\`+v.key, registry.SET_VALUE)
		if err != nil {
			return fmt.Errorf("register HKCU\\%s\\%s: %w", r.Classes, v.key, err)
		}
		err = k.SetStringValue(v.name, v.value)
		k.Close()
		if err != nil {
			return fmt.Errorf("register HKCU\\%s\\%s: %w", r.Classes, v.key, err)
		}
	}
	return nil
}
