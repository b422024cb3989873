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
// # Notifications on a Linux desktop
//
// Reminders go to org.freedesktop.Notifications (Notifier) with the app
// icon as a file beside the key list (IconFile), so a server shows it
// whether or not Keywarden was installed. The Notifier follows the
// server's name on the bus (NameOwnerChanged, a signal subscription that
// costs nothing while idle): when a daemon starts late or is restarted,
// the scheduler looks again at once and what failed meanwhile is shown
// within a second, not at its retry ten minutes later. Open or a snooze
// picked on one notification closes the key's other notifications. While
// the person has notifications turned off, what falls due is kept and
// summed up in one notification when they are turned on again
// (remind.Config.Off). The tests run this against a small server of their
// own and against dunst (dunst_test.go).
//
// # The account watch's questions
//
// An entry of a watched account's ledger that needs an answer is a
// question (Notifier.Question; on Windows a toast whose buttons are the
// keywarden: links it-was-me and not-me, carrying the run's link token).
// "It was me" is recorded here through keys.Service.AnswerActivity and
// never asked again; "Not me" opens the window on that entry (`keywarden
// open not-me REFID`), which records it and opens the leak runbook of a key
// that could have done it, or the website-login steps; a click opens
// Activity. The menu's first line counts the open questions ("Account: 1
// question", opening Activity), and says when the watch stopped; both count
// as needing attention. A watch key that stops qualifying is told once as
// a notification with what to do (keys.AccountWatch.Stopped).
//
// # Notifications on Windows
//
// At every start the tray part registers, for the user only, what Windows
// needs before it shows the toasts of an exe that is not packaged, and
// starts their buttons:
//   - HKCU\Software\Classes\AppUserModelId\io.github.keywarden.Keywarden:
//     the name (Keywarden) and the icon (keywarden-icon.png, written beside
//     keys.json) the toasts show;
//   - HKCU\Software\Classes\keywarden: the keywarden: link protocol, whose
//     shell\open\command is "<path of keywarden.exe>" "%1".
//
// It then makes its toasts through WinRT (Windows.UI.Notifications, called
// from Go through combase.dll; no PowerShell), with the texts and buttons
// the reminders have on Linux (Open, Snooze 1 day, Snooze 1 week). A
// packaged app or a COM server would be told of a pressed button directly;
// an exe on its own is not, so each button is a keywarden: link that
// Windows starts: `keywarden.exe "keywarden:snooze-day?id=…&token=…"` hands
// the request to the running tray part (starting one if none runs) and
// exits. Clicking the toast itself opens the key. A snooze must carry this
// run's link token (128 random bits made at each start, written only into
// the toasts it shows); links are read only in the exact form they are
// written (ParseLink). The tray part logs, once, which way it shows
// reminders (toasts, or balloons and why). A toast Windows refuses is not
// counted as shown: it becomes a balloon on the tray icon, and if that
// fails too, the reminder is offered again later. Clicking a balloon opens
// the key's review; a click on a balloon already gone to the notification
// centre opens the window's list, since Windows does not say which balloon
// it was. A balloon has no buttons: its key is snoozed in the window. What
// of this is proven under Wine, and what is not: .ci/README.md.
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
