package tray

import "github.com/godbus/dbus/v5"

// watchResume calls poke each time the machine wakes from sleep, as
// systemd-logind announces on the system bus (PrepareForSleep(false)), so
// reminders missed while it slept come at once rather than within the
// scheduler's MaxSleep. Without logind it returns an error and the
// scheduler's cap is what remains. Close the connection to stop.
func watchResume(poke func()) (*dbus.Conn, error) {
	conn, err := dbus.ConnectSystemBus()
	if err != nil {
		return nil, err
	}
	err = conn.AddMatchSignal(dbus.WithMatchSender("org.freedesktop.login1"),
		dbus.WithMatchObjectPath("/org/freedesktop/login1"),
		dbus.WithMatchInterface("org.freedesktop.login1.Manager"), dbus.WithMatchMember("PrepareForSleep"))
	if err != nil {
		conn.Close()
		return nil, err
	}
	sigs := make(chan *dbus.Signal, 4)
	conn.Signal(sigs)
	go func() {
		for sig := range sigs {
			if sig == nil || len(sig.Body) < 1 {
				continue
			}
			if sleeping, ok := sig.Body[0].(bool); ok && !sleeping {
				poke()
			}
		}
	}()
	return conn, nil
}
