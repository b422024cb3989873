package cli

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachParentConsole is ATTACH_PARENT_PROCESS.
const attachParentConsole = ^uint32(0)

var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

// AttachConsole gives a command its terminal back on Windows. Keywarden's
// exe is a GUI program (no console window opens when the window or the
// tray part starts), so Windows gives it no standard streams even when it
// is started from cmd.exe or PowerShell. For a command, AttachConsole
// attaches to the console of the program that started it, if any, and
// points each stream that has nowhere to go at it (CONIN$, CONOUT$).
// Streams already redirected to a file or pipe are kept. Started without
// a console (from Explorer), it changes nothing.
func AttachConsole() {
	in, out, errOut := hasStd(windows.STD_INPUT_HANDLE), hasStd(windows.STD_OUTPUT_HANDLE), hasStd(windows.STD_ERROR_HANDLE)
	if in && out && errOut {
		return
	}
	if r, _, _ := procAttachConsole.Call(uintptr(attachParentConsole)); r == 0 {
		return // no parent console, or attached already
	}
	if !out {
		reopen(&os.Stdout, "CONOUT$", os.O_WRONLY, windows.STD_OUTPUT_HANDLE)
	}
	if !errOut {
		reopen(&os.Stderr, "CONOUT$", os.O_WRONLY, windows.STD_ERROR_HANDLE)
	}
	if !in {
		reopen(&os.Stdin, "CONIN$", os.O_RDWR, windows.STD_INPUT_HANDLE) // read-write, so echo can be turned off
	}
}

// hasStd reports whether the standard handle which (STD_*_HANDLE) is usable.
func hasStd(which uint32) bool {
	h, err := windows.GetStdHandle(which)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}

// reopen opens the console device name and makes it *f and the process's
// standard handle which.
func reopen(f **os.File, name string, flag int, which uint32) {
	c, err := os.OpenFile(name, flag, 0)
	if err != nil {
		return
	}
	*f = c
	_ = windows.SetStdHandle(which, windows.Handle(c.Fd()))
}
