package tray

import (
	"runtime"
	"testing"
	"time"
	"unicode/utf16"
	"unsafe"

	"golang.org/x/sys/windows"
)

func TestNotifyIconData_isTheSizeWindowsExpects(t *testing.T) {
	// sizeof(NOTIFYICONDATAW) with every field up to hBalloonIcon, on amd64.
	if got := unsafe.Sizeof(notifyIconData{}); unsafe.Sizeof(uintptr(0)) == 8 && got != 976 {
		t.Errorf("NOTIFYICONDATAW is %d bytes, want 976", got)
	}
	if got := unsafe.Offsetof(notifyIconData{}.InfoTitle); unsafe.Sizeof(uintptr(0)) == 8 && got != 820 {
		t.Errorf("szInfoTitle at offset %d, want 820", got)
	}
}

func TestCopyUTF16(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want string
	}{
		{"Key “bot” is due", 63, "Key “bot” is due"},
		{"abcdef", 4, "abc…"},
		{"a\x00b", 63, "ab"},
	} {
		buf := make([]uint16, tt.max+1)
		copyUTF16(buf, tt.in, tt.max)
		n := 0
		for n < len(buf) && buf[n] != 0 {
			n++
		}
		if got := string(utf16.Decode(buf[:n])); got != tt.want {
			t.Errorf("copyUTF16(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

// fakeTrayWindow makes a hidden top-level window of its own class in this
// process, standing in for systray's, and returns it with the messages its
// own window procedure got. The caller's goroutine stays on its thread, so
// SendMessage calls the window procedures straight away.
func fakeTrayWindow(t *testing.T, class string) (windows.HWND, *[]uint32) {
	t.Helper()
	runtime.LockOSThread()
	t.Cleanup(runtime.UnlockOSThread)
	var got []uint32
	proc := windows.NewCallback(func(h, msg, w, l uintptr) uintptr {
		if msg == systrayMsg {
			got = append(got, uint32(l))
		}
		r, _, _ := procDefWindowProcForTest.Call(h, msg, w, l)
		return r
	})
	name, _ := windows.UTF16PtrFromString(class)
	wc := struct {
		Size, Style                uint32
		WndProc                    uintptr
		ClsExtra, WndExtra         int32
		Instance, Icon, Cursor, Bg windows.Handle
		MenuName, ClassName        *uint16
		IconSm                     windows.Handle
	}{WndProc: proc, ClassName: name}
	wc.Size = uint32(unsafe.Sizeof(wc))
	if r, _, err := procRegisterClassExForTest.Call(uintptr(unsafe.Pointer(&wc))); r == 0 {
		t.Fatalf("RegisterClassEx: %v", err)
	}
	h, _, err := procCreateWindowExForTest.Call(0, uintptr(unsafe.Pointer(name)), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	if h == 0 {
		t.Fatalf("CreateWindowEx: %v", err)
	}
	t.Cleanup(func() {
		procDestroyWindowForTest.Call(h)
		procUnregisterClassForTest.Call(uintptr(unsafe.Pointer(name)), 0) // for the next run (-count)
	})
	return windows.HWND(h), &got
}

var (
	procDefWindowProcForTest   = user32.NewProc("DefWindowProcW")
	procRegisterClassExForTest = user32.NewProc("RegisterClassExW")
	procCreateWindowExForTest  = user32.NewProc("CreateWindowExW")
	procDestroyWindowForTest   = user32.NewProc("DestroyWindow")
	procUnregisterClassForTest = user32.NewProc("UnregisterClassW")
	procSendMessageForTest     = user32.NewProc("SendMessageW")
)

// TestBalloons_click sends the tray icon's window what Windows sends when
// a balloon is clicked, and checks which key it opens.
func TestBalloons_click(t *testing.T) {
	const class = "KeywardenTestTray"
	hwnd, passed := fakeTrayWindow(t, class)
	actions := make(chan [2]string, 4)
	b := &balloons{class: class, onAction: func(id, action string) { actions <- [2]string{id, action} }}
	if got, err := b.window(); err != nil || got != hwnd {
		t.Fatalf("window() = %v, %v; want the fake tray window %v", got, err, hwnd)
	}
	send := func(event uintptr) { procSendMessageForTest.Call(uintptr(hwnd), systrayMsg, systrayIconID, event) }
	want := func(id string) {
		t.Helper()
		select {
		case got := <-actions:
			if got != [2]string{id, ActionOpen} {
				t.Errorf("a click gave %q, want %q", got, [2]string{id, ActionOpen})
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("a click opened nothing; want %q", id)
		}
	}

	// What show records once Windows took a balloon (Shell_NotifyIcon needs
	// the real tray icon, which this test has not).
	b.shown, b.onShow = "rec-on-screen", true
	send(ninBalloonUserClick)
	want("rec-on-screen")

	b.shown, b.onShow = "rec-gone", true
	send(ninBalloonTimeout)
	send(ninBalloonUserClick) // from the notification centre
	want("")                  // the window's list, not a guess at the key

	const wmLButtonUp = 0x0202
	send(wmLButtonUp) // systray's own click on the icon is passed on
	if len(*passed) != 1 || (*passed)[0] != wmLButtonUp {
		t.Errorf("systray's window got %#x, want only the icon click %#x", *passed, wmLButtonUp)
	}
	select {
	case got := <-actions:
		t.Errorf("an icon click acted on a balloon: %q", got)
	default:
	}
}

// TestBalloons_CloseKey: Open or a snooze of a key takes its balloon off
// the screen; another key's stays.
func TestBalloons_CloseKey(t *testing.T) {
	const class = "KeywardenTestTrayClose"
	hwnd, _ := fakeTrayWindow(t, class)
	actions := make(chan [2]string, 4)
	b := &balloons{class: class, onAction: func(id, action string) { actions <- [2]string{id, action} }}
	if got, err := b.window(); err != nil || got != hwnd {
		t.Fatalf("window() = %v, %v; want the fake tray window %v", got, err, hwnd)
	}
	b.shown, b.onShow = "k1", true
	b.CloseKey("k2")
	if !b.onShow {
		t.Error("closing k2's notifications took k1's balloon away")
	}
	b.CloseKey("k1")
	if b.onShow {
		t.Error("k1's balloon is still taken for on the screen after closing k1's notifications")
	}
	procSendMessageForTest.Call(uintptr(hwnd), systrayMsg, systrayIconID, ninBalloonUserClick)
	select {
	case got := <-actions:
		if got != [2]string{"", ActionOpen} {
			t.Errorf("a click after the close gave %q, want the window's list", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a click opened nothing")
	}
}
