//go:build windows

// Command balloonclick does what Windows does when a person clicks a
// balloon notification: it sends NIN_BALLOONUSERCLICK to the window of
// each tray icon fyne.io/systray made (class "SystrayClass"). Wine 8.0's
// tray shows balloons but never sends that message, so the smoke run
// (.ci/wine/smoke.sh) uses this to follow a click through the real exe.
// A test fixture, never shipped.
package main

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

const (
	systrayClass        = "SystrayClass"
	systrayIconID       = 100        // fyne.io/systray's icon ID
	systrayMsg          = 0x0400 + 1 // its callback message, WM_USER+1
	ninBalloonUserClick = 0x0400 + 5
)

var postMessage = windows.NewLazySystemDLL("user32.dll").NewProc("PostMessageW")

func main() {
	var found []windows.HWND
	cb := windows.NewCallback(func(h windows.HWND, _ uintptr) uintptr {
		buf := make([]uint16, 64)
		n, err := windows.GetClassName(h, &buf[0], int32(len(buf)))
		if err == nil && windows.UTF16ToString(buf[:n]) == systrayClass {
			found = append(found, h)
		}
		return 1
	})
	_ = windows.EnumWindows(cb, unsafe.Pointer(nil))
	if len(found) == 0 {
		fmt.Fprintln(os.Stderr, "balloonclick: no tray icon window (class SystrayClass)")
		os.Exit(1)
	}
	for _, h := range found {
		if r, _, err := postMessage.Call(uintptr(h), systrayMsg, systrayIconID, ninBalloonUserClick); r == 0 {
			fmt.Fprintf(os.Stderr, "balloonclick: PostMessage: %v\n", err)
			os.Exit(1)
		}
	}
	fmt.Printf("balloonclick: clicked the balloon of %d tray icon(s)\n", len(found))
}
