package tray

import "log"

// On Windows the tray shows an icon and a menu only when both are set once
// the tray is ready (systray's onReady), and only an ICO as the icon.

// faceBeforeReady reports whether the menu is built before systray starts.
const faceBeforeReady = false

// trayIcon returns the icon as Windows loads it: the PNG in an ICO.
func trayIcon(png []byte) []byte {
	ico, err := pngToICO(png)
	if err != nil {
		log.Printf("keywarden tray: %v", err)
		return png
	}
	return ico
}
