package tray

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/keywarden/keywarden/app/autostart"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/review"
)

// The freedesktop Notifications service, and the bus itself.
const (
	busName     = "org.freedesktop.DBus"
	busPath     = dbus.ObjectPath("/org/freedesktop/DBus")
	notifyName  = "org.freedesktop.Notifications"
	notifyPath  = dbus.ObjectPath("/org/freedesktop/Notifications")
	notifyIface = "org.freedesktop.Notifications"
)

// The actions a reminder's notification offers; where the notification
// server shows no buttons, clicking the notification still opens the key.
const (
	ActionOpen       = "default"
	ActionSnoozeDay  = "snooze-day"
	ActionSnoozeWeek = "snooze-week"
)

// The answers a question's notification offers (Notifier.Question);
// clicking the notification itself (ActionOpen) opens Activity.
const (
	ActionItWasMe = "it-was-me"
	ActionNotMe   = "not-me"
)

// questionPrefix begins the subject of a question's notification: what
// OnAction gets instead of a record ID, which never holds a colon.
const questionPrefix = "ledger:"

// QuestionSubject is what the notification of the question about refID is
// about, for OnAction and CloseKey; "" stands for Activity as a whole.
func QuestionSubject(refID string) string { return questionPrefix + refID }

// questionRef returns the refid a question's subject names, and whether
// subject is a question's at all.
func questionRef(subject string) (refID string, ok bool) {
	return strings.CutPrefix(subject, questionPrefix)
}

// callTimeout bounds a call to the notification server, which runs on the
// scheduler's goroutine: a server that hangs must not stop the reminders.
const callTimeout = 5 * time.Second

// maxOpen bounds how many notifications the Notifier remembers for their
// actions; servers close old ones long before that.
const maxOpen = 64

// Notifier sends desktop notifications through org.freedesktop.Notifications
// on a D-Bus connection of its own, and passes the actions the person picks
// on a reminder's notification to OnAction. It adds no goroutine that
// wakes by itself: one waits for the bus's signals, which come only when
// the person acts on a notification or a notification server comes or
// goes.
type Notifier struct {
	conn *dbus.Conn
	cfg  NotifierConfig

	mu   sync.Mutex
	caps map[string]bool   // the server's capabilities, once asked
	open map[uint32]string // notification ID → record ID, for its actions
	sigs chan *dbus.Signal
}

// NotifierConfig is what a Notifier works with; every field may be left
// out.
type NotifierConfig struct {
	// Icon is the notifications' icon: the path of an image file that
	// exists (IconFile), or an icon name; "" shows none.
	Icon string
	// OnAction receives the record ID and the action (ActionOpen,
	// ActionSnoozeDay, ActionSnoozeWeek) when the person picks one on a
	// reminder's notification ("" for a notification about no one key),
	// or a question's subject (QuestionSubject) and ActionOpen,
	// ActionItWasMe or ActionNotMe. It runs on the Notifier's goroutine.
	OnAction func(recordID, action string)
	// OnServer is called when a notification server takes the name on
	// the bus: the daemon was restarted, or started late, so reminders
	// that failed meanwhile can be shown now. It runs on the Notifier's
	// goroutine.
	OnServer func()
}

// NewNotifier returns a Notifier on conn, a private connection to the
// session bus that it owns from now on (Close closes it).
func NewNotifier(conn *dbus.Conn, cfg NotifierConfig) (*Notifier, error) {
	n := &Notifier{conn: conn, cfg: cfg, open: make(map[uint32]string)}
	// Only the notification server may speak for it: the bus resolves the
	// well-known name in the rule to its owner.
	for _, member := range []string{"ActionInvoked", "NotificationClosed"} {
		err := conn.AddMatchSignal(dbus.WithMatchSender(notifyName), dbus.WithMatchObjectPath(notifyPath),
			dbus.WithMatchInterface(notifyIface), dbus.WithMatchMember(member))
		if err != nil {
			return nil, fmt.Errorf("listen for notification actions: %w", err)
		}
	}
	// The bus says when the notification server's name changes hands: a
	// subscription, which costs nothing until it does (no polling).
	err := conn.AddMatchSignal(dbus.WithMatchSender(busName), dbus.WithMatchObjectPath(busPath),
		dbus.WithMatchInterface(busName), dbus.WithMatchMember("NameOwnerChanged"), dbus.WithMatchArg(0, notifyName))
	if err != nil {
		return nil, fmt.Errorf("listen for the notification server: %w", err)
	}
	n.sigs = make(chan *dbus.Signal, 8)
	conn.Signal(n.sigs)
	go n.listen()
	return n, nil
}

// Close ends the Notifier and its connection.
func (n *Notifier) Close() error {
	err := n.conn.Close()
	return err
}

// Reminder shows a reminder: its title and body, how urgent it is, and the
// actions Open (clicking it), Snooze 1 day and Snooze 1 week.
func (n *Notifier) Reminder(rem remind.Reminder) error {
	urgency := byte(1) // normal
	if rem.Severity >= review.Critical {
		urgency = 2
	}
	actions := []string{ActionOpen, "Open", ActionSnoozeDay, "Snooze 1 day", ActionSnoozeWeek, "Snooze 1 week"}
	id, err := n.notify(rem.Title, rem.Body, actions, urgency)
	if err != nil {
		return err
	}
	n.remember(id, rem.RecordID)
	return nil
}

// Question shows an account watch's question about the ledger entry
// refID, with the answers It was me and Not me; clicking it opens
// Activity. It is critical: most servers keep such a notification until
// the person acts on it, and an unexplained withdrawal should wait for
// them. OnAction gets QuestionSubject(refID).
func (n *Notifier) Question(refID, title, body string) error {
	actions := []string{ActionOpen, "Answer in Keywarden", ActionItWasMe, "It was me", ActionNotMe, "Not me"}
	id, err := n.notify(title, body, actions, 2)
	if err != nil {
		return err
	}
	n.remember(id, QuestionSubject(refID))
	return nil
}

// Message shows a notification that is about no one key, such as the
// result of "Check all keys now"; clicking it opens the window (OnAction
// gets an empty record ID).
func (n *Notifier) Message(title, body string) error {
	id, err := n.notify(title, body, []string{ActionOpen, "Open Keywarden"}, 1)
	if err != nil {
		return err
	}
	n.remember(id, "")
	return nil
}

// remember keeps which key a notification is about, for its actions.
func (n *Notifier) remember(id uint32, recordID string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.open) >= maxOpen {
		clear(n.open)
	}
	n.open[id] = recordID
}

// CloseKey closes the notifications about the key (or the question's
// subject) that are still open:
// the person acted on one of them (Open, a snooze), so the others say
// nothing new. A server that does not answer is not waited for long.
func (n *Notifier) CloseKey(recordID string) {
	if recordID == "" {
		return
	}
	n.mu.Lock()
	var ids []uint32
	for id, rid := range n.open {
		if rid == recordID {
			ids = append(ids, id)
			delete(n.open, id)
		}
	}
	n.mu.Unlock()
	for _, id := range ids {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		n.conn.Object(notifyName, notifyPath).CallWithContext(ctx, notifyIface+".CloseNotification", 0, id)
		cancel()
	}
}

func (n *Notifier) notify(title, body string, actions []string, urgency byte) (uint32, error) {
	if n.capability("body-markup") {
		body = escapeMarkup(body)
	}
	if !n.capability("actions") {
		actions = nil
	}
	if actions == nil {
		actions = []string{}
	}
	hints := map[string]dbus.Variant{
		"urgency":       dbus.MakeVariant(urgency),
		"desktop-entry": dbus.MakeVariant(autostart.ID),
	}
	var id uint32
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	call := n.conn.Object(notifyName, notifyPath).CallWithContext(ctx, notifyIface+".Notify", 0,
		"Keywarden", uint32(0), n.cfg.Icon, title, body, actions, hints, int32(-1))
	if call.Err != nil {
		return 0, fmt.Errorf("send a notification: %w", call.Err)
	}
	if err := call.Store(&id); err != nil {
		return 0, fmt.Errorf("send a notification: %w", err)
	}
	return id, nil
}

// capability reports whether the server has the capability, asking it
// once. A server that does not answer is taken to have none; it is asked
// again next time.
func (n *Notifier) capability(name string) bool {
	n.mu.Lock()
	caps := n.caps
	n.mu.Unlock()
	if caps == nil {
		var list []string
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		err := n.conn.Object(notifyName, notifyPath).CallWithContext(ctx, notifyIface+".GetCapabilities", 0).Store(&list)
		cancel()
		if err != nil {
			return false
		}
		caps = make(map[string]bool, len(list))
		for _, c := range list {
			caps[c] = true
		}
		n.mu.Lock()
		n.caps = caps
		n.mu.Unlock()
	}
	return caps[name]
}

// listen passes the actions the person picks to OnAction, and a new
// notification server to OnServer, until the connection closes.
func (n *Notifier) listen() {
	for sig := range n.sigs {
		if sig == nil {
			continue
		}
		switch sig.Name {
		case notifyIface + ".ActionInvoked":
			id, action, ok := idAndText(sig.Body)
			if !ok {
				continue
			}
			n.mu.Lock()
			recordID, known := n.open[id]
			n.mu.Unlock()
			if known && n.cfg.OnAction != nil {
				n.cfg.OnAction(recordID, action)
			}
		case notifyIface + ".NotificationClosed":
			if id, ok := firstID(sig.Body); ok {
				n.mu.Lock()
				delete(n.open, id)
				n.mu.Unlock()
			}
		case busName + ".NameOwnerChanged":
			n.serverChanged(sig)
		}
	}
}

// serverChanged follows the notification server's name changing hands:
// what the old server showed, and knew, is gone with it; a new one is
// told to OnServer.
func (n *Notifier) serverChanged(sig *dbus.Signal) {
	if sig.Sender != busName || len(sig.Body) < 3 {
		return // only the bus speaks for names
	}
	name, _ := sig.Body[0].(string)
	owner, _ := sig.Body[2].(string)
	if name != notifyName {
		return
	}
	n.mu.Lock()
	n.caps = nil
	clear(n.open)
	n.mu.Unlock()
	if owner != "" && n.cfg.OnServer != nil {
		n.cfg.OnServer()
	}
}

// firstID returns a signal's notification ID.
func firstID(body []any) (uint32, bool) {
	if len(body) < 1 {
		return 0, false
	}
	id, ok := body[0].(uint32)
	return id, ok
}

// idAndText returns a signal's notification ID and the text after it.
func idAndText(body []any) (uint32, string, bool) {
	id, ok := firstID(body)
	if !ok || len(body) < 2 {
		return 0, "", false
	}
	text, ok := body[1].(string)
	return id, text, ok
}

// escapeMarkup keeps a body from being read as markup by servers that
// support it (the specification's subset of HTML).
func escapeMarkup(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// errNoBus is returned by connectSession when the session has no D-Bus.
var errNoBus = errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")

// connectSession returns a new private connection to the session bus. It
// never starts a bus of its own, as godbus would otherwise do when there is
// none, leaving a stray daemon behind.
func connectSession() (*dbus.Conn, error) {
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return nil, errNoBus
	}
	if err := conn.Auth(nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("the D-Bus session bus: %w", err)
	}
	if err := conn.Hello(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("the D-Bus session bus: %w", err)
	}
	return conn, nil
}
