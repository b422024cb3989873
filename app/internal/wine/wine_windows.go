// Package wine tells the Windows tests whether they run under Wine, where
// some things Windows does cannot be done (a toast, a Ctrl+Break): those
// tests skip there, and only there.
package wine

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// Version returns the version of Wine this program runs under, or "" on
// Windows: Wine's ntdll.dll exports wine_get_version, Windows' does not.
func Version() string {
	p := windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version")
	if p.Find() != nil {
		return ""
	}
	r, _, _ := p.Call()
	return windows.BytePtrToString(*(**byte)(unsafe.Pointer(&r)))
}
