//go:build !windows

package tray

import "errors"

// platformNotifier returns the notifier of systems whose notifications do
// not go through D-Bus: there is none yet outside Windows (macOS would need
// a signed app bundle), so reminders show in the tray menu only.
func platformNotifier(*Tray) (n Notifications, how string, err error) {
	return nil, "", errors.New("no notifications on this system: reminders show in the tray menu only")
}
