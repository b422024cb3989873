package instance

// The names Keywarden's two parts own, and the message a face sends the
// tray part after it saved a change. They live here, beside the socket, so
// a face that must not pull in the tray's toolkit (the command line) can
// send it too.
const (
	// Tray is the name the tray part owns.
	Tray = "tray"
	// Window is the name the window owns.
	Window = "window"
	// TrayChanged tells the tray part that the key list, the reminders or
	// the settings changed: look again now.
	TrayChanged = "changed"
)
