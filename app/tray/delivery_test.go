package tray

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/assets"
	"github.com/keywarden/keywarden/kraken"
)

// Issue 25: how reminders reach a real desktop's notification server.

// startNotifying starts the harness's Tray with a real Notifier on the
// session bus, wired as the tray part wires it (notifierConfig).
func (h *trayHarness) startNotifying() *Notifier {
	h.t.Helper()
	var n *Notifier
	h.startWith(func(tr *Tray) {
		conn, err := connectSession()
		if err != nil {
			h.t.Fatal(err)
		}
		n, err = NewNotifier(conn, tr.notifierConfig())
		if err != nil {
			conn.Close()
			h.t.Fatal(err)
		}
		h.t.Cleanup(func() { n.Close() })
		tr.cfg.Notify = n
	})
	return n
}

// waitNoServer waits until no program owns the notification server's name
// on the session bus (a server of an earlier test may take a moment to
// leave it).
func waitNoServer(t testing.TB) {
	t.Helper()
	conn, err := connectSession()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for deadline := time.Now().Add(5 * time.Second); ; {
		var owned bool
		if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, notifyName).Store(&owned); err != nil {
			t.Fatal(err)
		}
		if !owned {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("another program owns org.freedesktop.Notifications on this bus")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The tray's scheduler here never wakes by its timer (stillClock): only the
// notification server's return can make it deliver, as it must within
// seconds rather than at the next retry ten minutes later.
func TestTray_remindsWhenTheNotificationServerComesBack(t *testing.T) {
	requireSessionBus(t)
	waitNoServer(t)
	h := newTrayHarness(t, taxKey(reviewDueAt(t0.Add(-day))))
	// The reminders file as the first look leaves it, so that look saves
	// nothing and the file watch wakes no second one: after it, nothing
	// but the server's return makes the scheduler look again.
	if err := h.svc.Reminders().Update(func(*remind.State) {}); err != nil {
		t.Fatal(err)
	}
	h.startNotifying()
	h.rec.waitFor(t, "the failed notification is reported", func() bool { return len(h.rec.errs) > 0 })

	srv := startNotificationServer(t, "actions", "body")
	got := srv.wait(t, 1)
	if !strings.Contains(got[0].Summary, "koinly-tax") {
		t.Errorf("notification = %q, want the review of koinly-tax", got[0].Summary)
	}
	h.waitLook()
	if st, _ := h.svc.Reminders().Load(); len(st.Sent) != 1 {
		t.Errorf("shown marks = %v, want the review's", st.Sent)
	}
}

func TestNotifier_serverComesBack(t *testing.T) {
	requireSessionBus(t)
	waitNoServer(t)
	conn, err := connectSession()
	if err != nil {
		t.Fatal(err)
	}
	back := make(chan struct{}, 4)
	n, err := NewNotifier(conn, NotifierConfig{OnServer: func() { back <- struct{}{} }})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()

	t.Run("another program cannot pose as the bus", func(t *testing.T) {
		stranger, err := dbus.ConnectSessionBus()
		if err != nil {
			t.Fatal(err)
		}
		defer stranger.Close()
		if err := stranger.Emit(busPath, busName+".NameOwnerChanged", notifyName, "", ":1.999"); err != nil {
			t.Fatal(err)
		}
		// Then a real change, which must come alone.
		startNotificationServer(t, "body")
		select {
		case <-back:
		case <-time.After(5 * time.Second):
			t.Fatal("no word of the server after 5 s")
		}
		time.Sleep(100 * time.Millisecond)
		if len(back) != 0 {
			t.Error("a signal another program sent was taken for the bus's")
		}
	})
}

func TestTray_actionClosesTheKeysOtherNotifications(t *testing.T) {
	requireSessionBus(t)
	waitNoServer(t)
	srv := startNotificationServer(t, "actions", "body")
	// Two reminders about k1 (its review, and its expiry in 5 days), one
	// about k2.
	h := newTrayHarness(t, taxKey(reviewDueAt(t0.Add(-day)), expiring(t0.Add(5*day))), botKey(reviewDueAt(t0.Add(-day))))
	h.startNotifying()
	got := srv.wait(t, 3)
	var k1, k2 []uint32
	for _, g := range got {
		if strings.Contains(g.Summary, "koinly-tax") {
			k1 = append(k1, g.ID)
		} else {
			k2 = append(k2, g.ID)
		}
	}
	if len(k1) != 2 || len(k2) != 1 {
		t.Fatalf("notifications %+v; want two about koinly-tax and one about the bot", got)
	}

	srv.invoke(t, k1[0], ActionSnoozeWeek)
	if closed := srv.waitClosed(t, 2); !slices.Equal(closed, k1) {
		t.Errorf("closed %v after a snooze of koinly-tax, want its notifications %v", closed, k1)
	}
	h.rec.waitFor(t, "the window hears of the snooze", func() bool { return h.rec.saved > 0 })
	st, err := h.svc.Reminders().Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.SnoozedUntil("k1", t0); !ok {
		t.Error("k1 is not snoozed")
	}

	srv.invoke(t, k2[0], ActionOpen)
	h.rec.waitFor(t, "the window opens on k2", func() bool { return slices.Equal(h.rec.windows, []string{"k2"}) })
	if closed := srv.waitClosed(t, 3); !slices.Contains(closed, k2[0]) {
		t.Errorf("closed %v after Open on the bot's notification, want %d among them", closed, k2[0])
	}
}

func TestTray_notificationsShowTheAppIcon(t *testing.T) {
	requireSessionBus(t)
	waitNoServer(t)
	srv := startNotificationServer(t, "actions", "body")
	h := newTrayHarness(t, taxKey(reviewDueAt(t0.Add(-day))))
	h.startNotifying()
	got := srv.wait(t, 1)
	icon := got[0].Icon
	if !filepath.IsAbs(icon) || filepath.Dir(icon) != h.dir {
		t.Fatalf("icon = %q, want a file beside the key list in %s", icon, h.dir)
	}
	b, err := os.ReadFile(icon)
	if err != nil || !bytes.Equal(b, assets.Icon.Content()) {
		t.Errorf("the icon file %s holds %d bytes (%v), want the app icon's %d", icon, len(b), err, len(assets.Icon.Content()))
	}
	if fi, err := os.Stat(icon); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the icon file's mode = %v (%v), want 0600", fi.Mode(), err)
	}
}

func TestIconFile(t *testing.T) {
	dir := t.TempDir()
	for range 2 {
		path, err := IconFile(dir)
		if err != nil || path != filepath.Join(dir, IconName) {
			t.Fatalf("IconFile = %q, %v", path, err)
		}
	}
	t.Run("a damaged copy is replaced", func(t *testing.T) {
		if err := os.WriteFile(filepath.Join(dir, IconName), []byte("not a png"), 0o600); err != nil {
			t.Fatal(err)
		}
		path, err := IconFile(dir)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); !bytes.Equal(b, assets.Icon.Content()) {
			t.Error("the damaged copy was kept")
		}
	})
}

// Issue 25: reminders that fell due while notifications were off were
// dropped for good; a key added meanwhile was never notified.
func TestTray_remindersWhileOffAreSummedUpWhenOnAgain(t *testing.T) {
	h := newTrayHarness(t, taxKey(reviewDueAt(t0.Add(-day))))
	h.settings(func(s *keys.Settings) { s.Notifications = false })
	h.start()
	// A key that can withdraw is added while notifications are off.
	h.update(func(d *vault.Data) {
		d.Records = append(d.Records, botKey(named("k3", "withdrawer"), func(r *vault.Record) {
			r.Intended = append(r.Intended, kraken.WithdrawFunds)
			r.LastCheck.Permissions = r.Intended
			r.Restrictions.IPAllowlist, r.LastCheck.IPAllowlist = nil, nil
		}))
	})
	h.poke()
	h.rec.waitFor(t, "the menu lists both keys that need attention", func() bool { return len(h.rec.lastModel().Keys) == 2 })
	h.rec.locked(func() {
		if len(h.rec.reminders)+len(h.rec.messages) != 0 {
			t.Fatalf("shown while off: %q %q", h.rec.reminders, h.rec.messages)
		}
	})

	h.settings(func(s *keys.Settings) { s.Notifications = true })
	h.poke()
	want := "While notifications were off: 2 reminders About “koinly-tax” and “withdrawer”. Open Keywarden to see what each needs."
	h.rec.waitFor(t, "a notification once on again", func() bool { return len(h.rec.reminders)+len(h.rec.messages) > 0 })
	h.rec.locked(func() {
		if len(h.rec.reminders) != 0 || !slices.Equal(h.rec.messages, []string{want}) {
			t.Errorf("once on again: reminders %q, messages %q; want one summary %q", h.rec.reminders, h.rec.messages, want)
		}
	})
	h.poke()
	h.rec.locked(func() {
		if len(h.rec.messages) != 1 {
			t.Errorf("summed up again: %q", h.rec.messages)
		}
	})
}
