package tray

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/review"
)

// Windows: where Windows cannot make toasts (toast_windows.go), a reminder
// is a balloon on Keywarden's own tray icon (Shell_NotifyIcon with
// NIF_INFO), which Windows 10 and 11 show as a toast under the app's name.
// A balloon has no buttons:
// a click on it is passed on as ActionOpen; snoozing is done in the window.
// Windows tells the icon's window of the click (NIN_BALLOONUSERCLICK);
// Wine 8.0's tray never does (programs/explorer/systray.c sends no NIN_
// balloon messages), so the smoke run posts the message Windows would.

// The tray icon fyne.io/systray adds: the class of its hidden window and
// the icon's ID there (systray_windows.go in fyne.io/systray).
const (
	systrayClass  = "SystrayClass"
	systrayIconID = 100
	systrayMsg    = 0x0400 + 1 // WM_USER+1, its callback message
)

// Shell_NotifyIcon's values this file uses.
const (
	nimModify            = 0x1
	nifInfo              = 0x10
	niifInfo             = 0x1
	niifWarning          = 0x2
	ninBalloonHide       = 0x0400 + 3
	ninBalloonTimeout    = 0x0400 + 4
	ninBalloonUserClick  = 0x0400 + 5
	gwlpWndProc          = ^uintptr(3) // GWLP_WNDPROC, -4
	maxBalloonTitleChars = 63
	maxBalloonTextChars  = 255
)

var (
	shell32             = windows.NewLazySystemDLL("shell32.dll")
	user32              = windows.NewLazySystemDLL("user32.dll")
	procShellNotifyIcon = shell32.NewProc("Shell_NotifyIconW")
	procSetWindowLong   = user32.NewProc("SetWindowLongPtrW")
	procCallWindowProc  = user32.NewProc("CallWindowProcW")
)

// notifyIconData is NOTIFYICONDATAW (976 bytes on amd64). uTimeout and
// uVersion share one field in C; laid out as two (as fyne.io/systray does),
// the balloon's title lands two characters off and Wine shows it empty.
type notifyIconData struct {
	Size                       uint32
	Wnd                        windows.HWND
	ID, Flags, CallbackMessage uint32
	Icon                       windows.Handle
	Tip                        [128]uint16
	State, StateMask           uint32
	Info                       [256]uint16
	TimeoutOrVersion           uint32
	InfoTitle                  [64]uint16
	InfoFlags                  uint32
	GuidItem                   windows.GUID
	BalloonIcon                windows.Handle
}

// errNoTrayIcon is returned while the tray icon a balloon needs is not
// there (yet).
var errNoTrayIcon = errors.New("no notification: Keywarden's tray icon is not there to show it")

// balloons shows notifications as balloons on the tray icon, and passes
// a click on one to onAction.
type balloons struct {
	onAction func(recordID, action string)
	class    string // the class of the tray icon's window: systrayClass

	mu      sync.Mutex
	hwnd    windows.HWND // systray's window, once found
	oldProc uintptr      // its window procedure, before ours
	shown   string       // the record ID of the last balloon shown
	onShow  bool         // that balloon is still on the screen
}

// Reminder shows rem as a balloon; a click on it asks to open the key.
func (b *balloons) Reminder(rem remind.Reminder) error {
	flags := uint32(niifInfo)
	if rem.Severity >= review.Critical {
		flags = niifWarning
	}
	return b.show(rem.Title, rem.Body, flags, rem.RecordID)
}

// Message shows a notification about no one key; clicking it opens the
// window.
func (b *balloons) Message(title, body string) error {
	return b.show(title, body, niifInfo, "")
}

// Question shows an account watch's question as a balloon; a click on it
// opens Activity, where the person answers.
func (b *balloons) Question(refID, title, body string) error {
	return b.show(title, body, niifWarning, QuestionSubject(refID))
}

// CloseKey hides the balloon on the screen if it is about the key. (A
// balloon already gone to the notification centre stays there: Windows
// says not which it is.)
func (b *balloons) CloseKey(recordID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.hwnd == 0 || !b.onShow || b.shown != recordID || recordID == "" {
		return
	}
	// NIF_INFO with no text takes the balloon away.
	nid := notifyIconData{Wnd: b.hwnd, ID: systrayIconID, Flags: nifInfo}
	nid.Size = uint32(unsafe.Sizeof(nid))
	procShellNotifyIcon.Call(nimModify, uintptr(unsafe.Pointer(&nid)))
	// Taken away or not, a click on it is no longer about the key on the
	// screen: it opens the window's list.
	b.onShow = false
}

// show asks the shell to show a balloon, and returns an error if it did
// not take it (then nothing was shown).
func (b *balloons) show(title, body string, flags uint32, recordID string) error {
	hwnd, err := b.window()
	if err != nil {
		return err
	}
	nid := notifyIconData{Wnd: hwnd, ID: systrayIconID, Flags: nifInfo, InfoFlags: flags, TimeoutOrVersion: 10000}
	nid.Size = uint32(unsafe.Sizeof(nid))
	copyUTF16(nid.InfoTitle[:], title, maxBalloonTitleChars)
	copyUTF16(nid.Info[:], body, maxBalloonTextChars)
	b.mu.Lock()
	defer b.mu.Unlock()
	if r, _, err := procShellNotifyIcon.Call(nimModify, uintptr(unsafe.Pointer(&nid))); r == 0 {
		return fmt.Errorf("no notification: Windows did not take it (%v)", err)
	}
	b.shown, b.onShow = recordID, true
	return nil
}

// window finds systray's window in this process, once, and hooks its
// window procedure to hear clicks on balloons.
func (b *balloons) window() (windows.HWND, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.hwnd != 0 {
		return b.hwnd, nil
	}
	hwnd := findOwnWindow(b.class)
	if hwnd == 0 {
		return 0, errNoTrayIcon
	}
	old, _, err := procSetWindowLong.Call(uintptr(hwnd), gwlpWndProc, windows.NewCallback(b.wndProc))
	if old == 0 {
		return 0, fmt.Errorf("no notification: hooking the tray icon's window: %v", err)
	}
	b.hwnd, b.oldProc = hwnd, old
	return hwnd, nil
}

// wndProc sees the tray icon's messages before systray does, to catch
// clicks on a balloon. A click on the balloon on the screen opens its key.
// Windows 10 and 11 keep a balloon in the notification centre once it
// left the screen, and a click there says not which balloon it was: that
// opens the window, whose list shows every key that needs attention.
func (b *balloons) wndProc(hwnd, msg, wParam, lParam uintptr) uintptr {
	if msg == systrayMsg {
		switch lParam & 0xffff {
		case ninBalloonUserClick:
			b.mu.Lock()
			id := b.shown
			if !b.onShow {
				id = ""
			}
			b.onShow = false
			b.mu.Unlock()
			if b.onAction != nil {
				go b.onAction(id, ActionOpen)
			}
			return 0
		case ninBalloonTimeout, ninBalloonHide:
			b.mu.Lock()
			b.onShow = false
			b.mu.Unlock()
			return 0
		}
	}
	r, _, _ := procCallWindowProc.Call(b.oldProc, hwnd, msg, wParam, lParam)
	return r
}

// findOwnWindow returns the first top-level window of this process with
// the given class, or 0. One callback serves every call: Windows callbacks
// made by Go are never freed.
func findOwnWindow(class string) windows.HWND {
	enum.mu.Lock()
	defer enum.mu.Unlock()
	enum.pid, enum.class, enum.found = windows.GetCurrentProcessId(), class, 0
	_ = windows.EnumWindows(enumCallback(), nil) // stopping early reports an error
	return enum.found
}

// enum is what findOwnWindow's callback looks for, and what it found.
var enum struct {
	mu    sync.Mutex
	pid   uint32
	class string
	found windows.HWND
}

var enumCallback = sync.OnceValue(func() uintptr {
	return windows.NewCallback(func(h windows.HWND, _ uintptr) uintptr {
		var owner uint32
		if _, err := windows.GetWindowThreadProcessId(h, &owner); err != nil || owner != enum.pid {
			return 1
		}
		buf := make([]uint16, 64)
		n, err := windows.GetClassName(h, &buf[0], int32(len(buf)))
		if err == nil && windows.UTF16ToString(buf[:n]) == enum.class {
			enum.found = h
			return 0 // stop
		}
		return 1
	})
})

// copyUTF16 writes s into dst as NUL-terminated UTF-16, cut to at most max
// characters (with "…" when cut).
func copyUTF16(dst []uint16, s string, max int) {
	u, err := windows.UTF16FromString(strings.ReplaceAll(s, "\x00", ""))
	if err != nil {
		u = []uint16{0}
	}
	u = u[:len(u)-1] // without its NUL
	if len(u) > max {
		u = append(u[:max-1:max-1], '…')
	}
	copy(dst, u)
	dst[min(len(u), len(dst)-1)] = 0
}
