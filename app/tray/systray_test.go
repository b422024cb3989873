package tray

import (
	"bytes"
	"errors"
	"log"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/keywarden/keywarden/app/vault"
)

// watcher is a small StatusNotifierWatcher, the part of a desktop's tray
// host that tray icons register with. It records who registered.
type watcher struct{ items chan string }

func (w *watcher) RegisterStatusNotifierItem(service string, sender dbus.Sender) *dbus.Error {
	w.items <- string(sender)
	return nil
}

func (w *watcher) RegisterStatusNotifierHost(service string) *dbus.Error { return nil }

// menuEntry is one entry of a dbusmenu layout.
type menuEntry struct {
	id        int32
	label     string
	separator bool
	enabled   bool
}

// trayItem reads the tray icon and its menu over D-Bus, as a tray host does.
type trayItem struct {
	t    *testing.T
	conn *dbus.Conn
	name string // the item's unique bus name
}

func (it trayItem) property(name string) dbus.Variant {
	it.t.Helper()
	var v dbus.Variant
	err := it.conn.Object(it.name, "/StatusNotifierItem").
		Call("org.freedesktop.DBus.Properties.Get", 0, "org.kde.StatusNotifierItem", name).Store(&v)
	if err != nil {
		it.t.Fatalf("get %s: %v", name, err)
	}
	return v
}

func (it trayItem) tooltip() string {
	it.t.Helper()
	fields, ok := it.property("ToolTip").Value().([]any)
	if !ok || len(fields) != 4 {
		it.t.Fatalf("ToolTip = %v", it.property("ToolTip"))
	}
	title, _ := fields[2].(string)
	return title
}

func (it trayItem) icon() []byte {
	it.t.Helper()
	var b bytes.Buffer
	for _, px := range it.property("IconPixmap").Value().([][]any) {
		b.Write(px[2].([]byte))
	}
	return b.Bytes()
}

func (it trayItem) menu() []menuEntry {
	it.t.Helper()
	var rev uint32
	var root struct {
		ID       int32
		Props    map[string]dbus.Variant
		Children []dbus.Variant
	}
	err := it.conn.Object(it.name, "/StatusNotifierMenu").
		Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &root)
	if err != nil {
		it.t.Fatalf("GetLayout: %v", err)
	}
	var out []menuEntry
	for _, c := range root.Children {
		f := c.Value().([]any)
		props := f[1].(map[string]dbus.Variant)
		e := menuEntry{id: f[0].(int32), enabled: true}
		if v, ok := props["label"]; ok {
			e.label = v.Value().(string)
		}
		if v, ok := props["type"]; ok && v.Value() == "separator" {
			e.separator = true
		}
		if v, ok := props["enabled"]; ok {
			e.enabled = v.Value().(bool)
		}
		if v, ok := props["visible"]; ok && v.Value() == false {
			continue
		}
		out = append(out, e)
	}
	return out
}

func (it trayItem) labels() []string {
	var l []string
	for _, e := range it.menu() {
		if e.separator {
			l = append(l, "---")
		} else {
			l = append(l, e.label)
		}
	}
	return l
}

func (it trayItem) click(label string) {
	it.t.Helper()
	for _, e := range it.menu() {
		if e.label == label {
			err := it.conn.Object(it.name, "/StatusNotifierMenu").
				Call("com.canonical.dbusmenu.Event", 0, e.id, "clicked", dbus.MakeVariant(""), uint32(0)).Err
			// Quit may end the tray part before its answer goes out.
			var derr dbus.Error
			if label == "Quit" && errors.As(err, &derr) && derr.Name == "org.freedesktop.DBus.Error.NoReply" {
				err = nil
			}
			if err != nil {
				it.t.Fatal(err)
			}
			return
		}
	}
	it.t.Fatalf("no menu item %q in %q", label, it.labels())
}

// waitMenu waits until the menu's labels are want.
func (it trayItem) waitMenu(want []string) {
	it.t.Helper()
	var got []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got = it.labels(); slices.Equal(got, want) {
			return
		}
	}
	it.t.Fatalf("menu = %q, want %q", got, want)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestResident_onTheSessionBus runs the tray part as `keywarden tray` does,
// with fyne.io/systray, against a tray host and a notification server on
// the private session bus. systray runs once per process, so this is the
// one test that starts it.
func TestResident_onTheSessionBus(t *testing.T) {
	requireSessionBus(t)
	w := &watcher{items: make(chan string, 4)}
	ownName(t, "org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher", w)
	srv := startNotificationServer(t, "actions", "body")
	host, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()

	h := newTrayHarness(t, taxKey(reviewDueAt(t0.Add(-day)), named("k1", "koinly_tax")), botKey())
	h.cfg.Notify = nil // the resident's own Notifier, on the bus
	var logs syncBuffer
	r := &resident{log: log.New(&logs, "", 0), done: make(chan struct{})}
	h.cfg.Quit = r.stop
	h.tray = New(h.cfg)
	ran := make(chan struct{})
	go func() { r.run(h.tray, nil); close(ran) }()
	defer func() {
		r.stop()
		select {
		case <-ran:
		case <-time.After(5 * time.Second):
			t.Error("the tray part did not stop")
		}
	}()

	var it trayItem
	select {
	case name := <-w.items:
		it = trayItem{t: t, conn: host, name: name}
	case <-time.After(5 * time.Second):
		t.Fatalf("the tray icon did not register with the tray host\n%s", logs.String())
	}

	if got := srv.wait(t, 1)[0].Summary; got != "Time to review “koinly_tax”" {
		t.Errorf("notification %q, want the review reminder", got)
	}
	if got := it.tooltip(); got != "Keywarden: 1 key needs attention" {
		t.Errorf("tooltip %q", got)
	}
	it.waitMenu([]string{"koinly__tax — Time to review this key", "---", "Check all keys now", "Open Keywarden", "---", "Quit"})
	attention := it.icon()
	if len(attention) != 64*64*4 {
		t.Errorf("icon of %d bytes, want a 64×64 ARGB image", len(attention))
	}

	t.Run("the key is reviewed in the window: menu and icon follow", func(t *testing.T) {
		h.update(func(d *vault.Data) { d.Records[0].LastReviewed = t0 })
		h.tray.Handle(MsgChanged)
		it.waitMenu([]string{"Check all keys now", "Open Keywarden", "---", "Quit"})
		if bytes.Equal(it.icon(), attention) {
			t.Error("the icon still shows attention")
		}
		if got := it.tooltip(); got != "Keywarden: all 2 keys look fine" {
			t.Errorf("tooltip %q", got)
		}
		for _, e := range it.menu() {
			if e.label == "Check all keys now" && e.enabled {
				t.Error("Check all keys now is enabled without a way to check")
			}
		}
	})

	t.Run("Open Keywarden opens the window", func(t *testing.T) {
		it.click("Open Keywarden")
		h.rec.waitFor(t, "the window is opened", func() bool { return slices.Equal(h.rec.windows, []string{""}) })
	})

	t.Run("Quit ends the tray part", func(t *testing.T) {
		it.click("Quit")
		select {
		case <-ran:
		case <-time.After(5 * time.Second):
			t.Fatal("still running 5 s after Quit")
		}
	})
	if l := logs.String(); l != "" {
		t.Logf("the tray part logged:\n%s", l)
	}
}
