package tray

import (
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// requireSessionBus skips the test when there is no private D-Bus session
// bus (make test runs every test inside one), unless the session promised
// one (KEYWARDEN_REQUIRE_KEYRING=1, set by .ci/session.sh). The tests never
// touch a desktop's own bus: they own names on it.
func requireSessionBus(t testing.TB) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return
	}
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no D-Bus: its tray and balloons are tested by notify_windows_test.go and the Wine smoke run")
	}
	if os.Getenv("KEYWARDEN_REQUIRE_KEYRING") == "1" || os.Getenv("CI") == "true" {
		t.Fatal("DBUS_SESSION_BUS_ADDRESS is not set, and KEYWARDEN_REQUIRE_KEYRING=1 or CI=true forbid skipping")
	}
	t.Skip("no D-Bus session bus: run the tests with `make test`, or under dbus-run-session")
}

// ownName connects to the session bus, exports v at path under iface and
// takes the well-known name; the connection closes when the test ends.
func ownName(t *testing.T, name string, path dbus.ObjectPath, iface string, v any) *dbus.Conn {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("connect to the session bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.Export(v, path, iface); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
	if err != nil {
		t.Fatal(err)
	}
	if reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("%s is taken on this bus (reply %d): is a desktop's bus in use instead of a private one?", name, reply)
	}
	return conn
}

// notification is one Notify call a notificationServer took.
type notification struct {
	AppName, Icon, Summary, Body string
	Actions                      []string
	Hints                        map[string]dbus.Variant
	ID                           uint32
}

// notificationServer is a small org.freedesktop.Notifications server that
// records what it is asked to show.
type notificationServer struct {
	caps []string
	conn *dbus.Conn

	mu     sync.Mutex
	calls  []notification
	closed []uint32 // the notifications CloseNotification was asked for
	added  chan struct{}
}

// startNotificationServer starts a notification server with the given
// capabilities on the session bus.
func startNotificationServer(t *testing.T, caps ...string) *notificationServer {
	s := &notificationServer{caps: caps, added: make(chan struct{}, 100)}
	s.conn = ownName(t, notifyName, notifyPath, notifyIface, s)
	return s
}

func (s *notificationServer) Notify(appName string, replacesID uint32, icon, summary, body string,
	actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := uint32(len(s.calls) + 1)
	s.calls = append(s.calls, notification{AppName: appName, Icon: icon, Summary: summary, Body: body, Actions: actions, Hints: hints, ID: id})
	s.added <- struct{}{}
	return id, nil
}

func (s *notificationServer) GetCapabilities() ([]string, *dbus.Error) { return s.caps, nil }

func (s *notificationServer) CloseNotification(id uint32) *dbus.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = append(s.closed, id)
	s.added <- struct{}{}
	return nil
}

// waitClosed waits until CloseNotification was asked for n notifications
// in all, and returns their IDs, sorted.
func (s *notificationServer) waitClosed(t *testing.T, n int) []uint32 {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		s.mu.Lock()
		got := slices.Sorted(slices.Values(s.closed))
		s.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-s.added:
		case <-deadline:
			t.Fatalf("%d notifications closed after 5 s, want %d: %v", len(got), n, got)
		}
	}
}

func (s *notificationServer) GetServerInformation() (name, vendor, version, spec string, err *dbus.Error) {
	return "keywarden-test", "keywarden", "1", "1.2", nil
}

// wait waits until n notifications arrived in all, and returns them.
func (s *notificationServer) wait(t *testing.T, n int) []notification {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		s.mu.Lock()
		got := append([]notification(nil), s.calls...)
		s.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-s.added:
		case <-deadline:
			t.Fatalf("got %d notifications after 5 s, want %d: %+v", len(got), n, got)
		}
	}
}

// invoke emits ActionInvoked for the notification, as a server does when
// the person picks the action.
func (s *notificationServer) invoke(t *testing.T, id uint32, action string) {
	t.Helper()
	if err := s.conn.Emit(notifyPath, notifyIface+".ActionInvoked", id, action); err != nil {
		t.Fatal(err)
	}
}
