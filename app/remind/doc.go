// Package remind decides when the tray should speak: which reminders are
// due (a review, the expiry steps, a problem a check found), which of them
// were already shown, which keys are snoozed, which keys are due for a
// background check, and when to wake up next. A Scheduler runs that on one
// timer, with callbacks for the notification and the check, so the resident
// tray part adds no periodic work of its own.
//
// Its state (reminders.json, next to keys.json) holds record IDs, reminder
// IDs, times and settings, never a secret or a key's name. It imports no
// GUI or D-Bus code; the tray wires the callbacks.
package remind
