package tray

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/keywarden/keywarden/app/vault"
)

// A key name that sets a terminal's title, erases the line, fakes a line
// and reorders the rest with a bidi override (issue 18 item 2); and how it
// must show once escaped.
const (
	hostileName = "bot\x1b]0;OWNED\x07\x1b[2K\r\nFAKE: all keys fine\u202eexe.txt\u009b2J"
	escapedName = `bot\x1b]0;OWNED\x07\x1b[2K\r\nFAKE: all keys fine\u202eexe.txt\u009b2J`
)

// rawControls returns what in s a terminal, a notification server or a
// log viewer would act on: any control character (line breaks too: a
// notification's text is Keywarden's, one line each), C1 control, bidi
// override or isolate, or byte that is no character.
func rawControls(s string) []string {
	var found []string
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				found = append(found, fmt.Sprintf("byte %#x", s[i]))
			}
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f),
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			found = append(found, fmt.Sprintf("%U", r))
		}
	}
	return found
}

func assertInert(t *testing.T, what, text string) {
	t.Helper()
	if c := rawControls(text); len(c) > 0 {
		t.Errorf("%s reaches the desktop with %v: %q", what, c, text)
	}
	if !strings.Contains(text, escapedName) {
		t.Errorf("%s lacks the key's name, escaped (%q): %q", what, escapedName, text)
	}
}

func TestTray_controlCharactersInNamesNeverReachANotification(t *testing.T) {
	t.Run("a reminder", func(t *testing.T) {
		h := newTrayHarness(t, taxKey(reviewDueAt(t0.Add(-day)), named("k1", hostileName)))
		h.start()
		h.rec.waitFor(t, "the review reminder is shown", func() bool { return len(h.rec.texts) == 1 })
		h.rec.locked(func() { assertInert(t, "the reminder", h.rec.texts[0]) })
		m := h.rec.model()
		if len(m.Keys) != 1 {
			t.Fatalf("model = %+v; want the key in the menu", m)
		}
		if c := rawControls(m.Keys[0].Label); len(c) > 0 {
			t.Errorf("the menu item reaches the desktop with %v: %q", c, m.Keys[0].Label)
		}
	})

	t.Run("a summary of many reminders", func(t *testing.T) {
		var records []vault.Record
		for i, name := range []string{hostileName, "b", "c", "d"} {
			records = append(records, taxKey(reviewDueAt(t0.Add(-day)), named(fmt.Sprint("k", i), name)))
		}
		h := newTrayHarness(t, records...)
		h.start()
		h.rec.waitFor(t, "the summary is shown", func() bool { return len(h.rec.messages) == 1 })
		h.rec.locked(func() { assertInert(t, "the summary", h.rec.messages[0]) })
	})

	t.Run("through D-Bus to a notification server", func(t *testing.T) {
		requireSessionBus(t)
		srv := startNotificationServer(t, "actions", "body")
		n, _ := newTestNotifier(t)
		h := newTrayHarness(t, taxKey(reviewDueAt(t0.Add(-day)), named("k1", hostileName)))
		h.cfg.Notify = n
		h.start()
		got := srv.wait(t, 1)[0]
		assertInert(t, "the notification's title", got.Summary)
		if c := rawControls(got.Body); len(c) > 0 {
			t.Errorf("the notification's body reaches the desktop with %v: %q", c, got.Body)
		}
	})
}

func TestMain_logLinesAreEscaped(t *testing.T) {
	var b bytes.Buffer
	logger := newLogger(&b)
	logger.Printf("check of %s failed: %s", hostileName, "Kraken said \u202eenod")
	line := strings.TrimSuffix(b.String(), "\n")
	assertInert(t, "the log line", line)
	if strings.Count(b.String(), "\n") != 1 || !strings.HasPrefix(line, "keywarden tray: ") {
		t.Errorf("want one log line starting keywarden tray:, got %q", b.String())
	}
}
