package tray

import (
	"slices"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/review"
)

// newTestNotifier returns a Notifier on its own session bus connection;
// the actions picked arrive on the returned channel as [recordID, action].
func newTestNotifier(t *testing.T) (*Notifier, chan [2]string) {
	t.Helper()
	conn, err := connectSession()
	if err != nil {
		t.Fatal(err)
	}
	actions := make(chan [2]string, 8)
	n, err := NewNotifier(conn, NotifierConfig{Icon: testIcon, OnAction: func(id, action string) { actions <- [2]string{id, action} }})
	if err != nil {
		conn.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n, actions
}

// testIcon is the icon the test Notifiers give their notifications.
const testIcon = "/keywarden/test/icon.png"

var reviewReminder = remind.Reminder{
	ID: "k1/review/2026-03-09", RecordID: "k1", Name: "koinly-tax", Kind: review.DueReview,
	Severity: review.Warning, Title: "Time to review “koinly-tax”",
	Body: "Is it still needed, still used by the same services, and without permissions it does not need? Open its review in Keywarden.",
}

func TestNotifier_Reminder(t *testing.T) {
	requireSessionBus(t)
	srv := startNotificationServer(t, "actions", "body")
	n, actions := newTestNotifier(t)

	if err := n.Reminder(reviewReminder); err != nil {
		t.Fatal(err)
	}
	critical := reviewReminder
	critical.RecordID, critical.Severity, critical.Title, critical.Body = "k2", review.Critical, "“bot”: the exchange no longer knows this key", "Find out <why> & fix it."
	if err := n.Reminder(critical); err != nil {
		t.Fatal(err)
	}
	got := srv.wait(t, 2)

	want := []string{ActionOpen, "Open", ActionSnoozeDay, "Snooze 1 day", ActionSnoozeWeek, "Snooze 1 week"}
	for i, rem := range []remind.Reminder{reviewReminder, critical} {
		g := got[i]
		if g.AppName != "Keywarden" || g.Summary != rem.Title || g.Body != rem.Body || g.Icon != testIcon {
			t.Errorf("notification %d = %q %q %q (icon %q); want Keywarden %q %q (icon %q)", i, g.AppName, g.Summary, g.Body, g.Icon, rem.Title, rem.Body, testIcon)
		}
		if !slices.Equal(g.Actions, want) {
			t.Errorf("notification %d actions = %q, want %q", i, g.Actions, want)
		}
		if e := g.Hints["desktop-entry"].Value(); e != AppID {
			t.Errorf("notification %d desktop-entry hint = %v, want %s", i, e, AppID)
		}
	}
	if u := got[0].Hints["urgency"].Value(); u != byte(1) {
		t.Errorf("a warning's urgency = %v, want 1 (normal)", u)
	}
	if u := got[1].Hints["urgency"].Value(); u != byte(2) {
		t.Errorf("a critical reminder's urgency = %v, want 2 (critical)", u)
	}

	t.Run("an action picked on the notification reaches the tray with the key's record ID", func(t *testing.T) {
		srv.invoke(t, got[1].ID, ActionSnoozeWeek)
		srv.invoke(t, got[0].ID, ActionOpen)
		for _, want := range [][2]string{{"k2", ActionSnoozeWeek}, {"k1", ActionOpen}} {
			select {
			case a := <-actions:
				if a != want {
					t.Errorf("action = %q, want %q", a, want)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("no action %q after 5 s", want)
			}
		}
	})

	t.Run("only the notification server can pick an action", func(t *testing.T) {
		stranger, err := dbus.ConnectSessionBus()
		if err != nil {
			t.Fatal(err)
		}
		defer stranger.Close()
		if err := stranger.Emit(notifyPath, notifyIface+".ActionInvoked", got[0].ID, ActionSnoozeWeek); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		srv.invoke(t, got[0].ID, ActionSnoozeDay)
		select {
		case a := <-actions:
			if a != [2]string{"k1", ActionSnoozeDay} {
				t.Errorf("action = %q: a signal from another program was taken for the server's", a)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no action after 5 s")
		}
	})
}

func TestNotifier_serverCapabilities(t *testing.T) {
	requireSessionBus(t)
	srv := startNotificationServer(t, "body", "body-markup") // and no "actions"
	n, _ := newTestNotifier(t)
	if err := n.Message("Checked 3 keys", "1 key needs <attention> & more"); err != nil {
		t.Fatal(err)
	}
	if err := n.Reminder(reviewReminder); err != nil {
		t.Fatal(err)
	}
	got := srv.wait(t, 2)
	if got[0].Body != "1 key needs &lt;attention&gt; &amp; more" {
		t.Errorf("body = %q: a server that reads markup must get it escaped", got[0].Body)
	}
	if len(got[1].Actions) != 0 {
		t.Errorf("actions = %q, sent to a server without the actions capability", got[1].Actions)
	}
}

func TestNotifier_noServer(t *testing.T) {
	requireSessionBus(t)
	n, _ := newTestNotifier(t)
	// A server from an earlier test may take a moment to leave the bus.
	for deadline := time.Now().Add(2 * time.Second); ; {
		var owned bool
		if err := n.conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, notifyName).Store(&owned); err != nil {
			t.Fatal(err)
		}
		if !owned {
			break
		}
		if time.Now().After(deadline) {
			t.Skip("another program owns org.freedesktop.Notifications on this bus")
		}
		time.Sleep(20 * time.Millisecond)
	}
	start := time.Now()
	if err := n.Reminder(reviewReminder); err == nil {
		t.Error("Reminder without a notification server: no error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Reminder without a server took %v: it must fail fast", d)
	}
}
