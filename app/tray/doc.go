// Package tray is Keywarden's resident part, `keywarden tray`: a tray icon
// whose menu lists the keys that need attention, desktop notifications for
// due reminders, and background checks, all driven by one remind.Scheduler.
//
// It runs in a process of its own without a Fyne window. Fyne's event loop
// ticks 60 times a second even while its window is hidden (fyne's
// internal/driver/glfw/loop.go, fyne-io/fyne issue #2506; measured: a bare
// Fyne window under Xvfb makes about 13 000 context switches in 30 s, see
// .ci/bench-idle.sh and .ci/bench/bare), which a program that sits in the
// tray all day cannot afford; this part talks to the desktop over D-Bus
// instead (fyne.io/systray for the StatusNotifierItem
// and its menu, org.freedesktop.Notifications for notifications) and sleeps
// on the scheduler's single timer between events. It never imports Fyne's
// GL driver: `go list -deps ./app/tray` holds no go-gl or glfw package. On
// Windows the notifications are toasts made through WinRT, whose buttons
// are keywarden: links that Windows starts as a new copy of the program,
// which hands them to this one (link.go, followlink.go); balloons on the
// tray icon where toasts cannot be made.
//
// The window is another process of the same program. The tray starts it
// ("keywarden" or "keywarden open <recordID>") or, when it already runs,
// hands it the request through app/instance ("show", "open <recordID>");
// the window (and `keywarden settings set`) tells the tray "changed" after
// it saved the key list, the reminders or the settings, and starts the tray
// when none is running (EnsureRunning).
//
// Everything the tray knows or changes about keys goes through app/keys:
// the menu and its count are a keys.Snapshot (the same answer the window
// and the command line give), the settings are settings.json, and snooze,
// "Check all keys now" and the background checks the scheduler asks for
// are the service's workflows, saved by its one save rule.
package tray
