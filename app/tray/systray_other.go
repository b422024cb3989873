//go:build !windows

package tray

// faceBeforeReady reports whether the menu is built before systray starts:
// on D-Bus the item then registers with its real icon and items at once.
const faceBeforeReady = true

// trayIcon returns the icon as the system tray takes it: the PNG itself.
func trayIcon(png []byte) []byte { return png }
