package tray

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/instance"
)

const (
	testID    = "0123456789abcdef"
	testToken = "00112233445566778899aabbccddeeff"
	testRef   = "TJKLXX-PNEPJ-ZJIBTY"
)

// linkCases are the links ParseLink takes and refuses; FuzzParseLink
// starts from them.
var linkCases = []struct {
	name string
	in   string
	want Link // zero: refused
}{
	{"open a key", "keywarden:open?id=" + testID, Link{Verb: LinkOpen, RecordID: testID}},
	{"open the window", "keywarden:open", Link{Verb: LinkOpen}},
	{"snooze a day", "keywarden:snooze-day?id=" + testID + "&token=" + testToken, Link{Verb: LinkSnoozeDay, RecordID: testID, Token: testToken}},
	{"snooze a week, fields swapped", "keywarden:snooze-week?token=" + testToken + "&id=" + testID, Link{Verb: LinkSnoozeWeek, RecordID: testID, Token: testToken}},
	{"the scheme in any case", "KeyWarden:open?id=" + testID, Link{Verb: LinkOpen, RecordID: testID}},
	{"open Activity", "keywarden:activity", Link{Verb: LinkActivity}},
	{"it was me", "keywarden:it-was-me?ref=" + testRef + "&token=" + testToken, Link{Verb: LinkItWasMe, RefID: testRef, Token: testToken}},
	{"not me, a withdrawal's mixed-case refid", "keywarden:not-me?token=" + testToken + "&ref=FTQcuak-V6Za8qrWnhzTx67yYHz8Tg", Link{Verb: LinkNotMe, RefID: "FTQcuak-V6Za8qrWnhzTx67yYHz8Tg", Token: testToken}},

	{"another scheme", "https://example.com/?id=" + testID, Link{}},
	{"nothing after the scheme", "keywarden:", Link{}},
	{"an unknown verb", "keywarden:remove?id=" + testID, Link{}},
	{"a verb in capitals", "keywarden:OPEN?id=" + testID, Link{}},
	{"a URL with a host", "keywarden://open?id=" + testID, Link{}},
	{"a trailing slash", "keywarden:open/?id=" + testID, Link{}},
	{"a snooze without a token", "keywarden:snooze-day?id=" + testID, Link{}},
	{"a snooze without an id", "keywarden:snooze-day?token=" + testToken, Link{}},
	{"an id given twice", "keywarden:open?id=" + testID + "&id=fedcba9876543210", Link{}},
	{"an id too short", "keywarden:open?id=0123", Link{}},
	{"an id in capitals", "keywarden:open?id=0123456789ABCDEF", Link{}},
	{"an id that climbs out", "keywarden:open?id=../../etc/passwd", Link{}},
	{"an id with a space", "keywarden:open?id=0123456789abcde%20", Link{}},
	{"a token too short", "keywarden:snooze-day?id=" + testID + "&token=abc", Link{}},
	{"a token on an open", "keywarden:open?id=" + testID + "&token=" + testToken, Link{}},
	{"an unknown field", "keywarden:open?id=" + testID + "&then=remove", Link{}},
	{"an empty field", "keywarden:open?id=" + testID + "&", Link{}},
	{"a fragment", "keywarden:open?id=" + testID + "#x", Link{}},
	{"a newline", "keywarden:open?id=" + testID + "\nquit", Link{}},
	{"a message for the tray", "keywarden:open?id=" + testID + " quit", Link{}},
	{"too long", "keywarden:open?id=" + strings.Repeat("a", 300), Link{}},
	{"not UTF-8", "keywarden:\xff\xfe", Link{}},
	{"an answer without a token", "keywarden:it-was-me?ref=" + testRef, Link{}},
	{"an answer without a ref", "keywarden:not-me?token=" + testToken, Link{}},
	{"an answer naming a key", "keywarden:it-was-me?id=" + testID + "&ref=" + testRef + "&token=" + testToken, Link{}},
	{"a ref on a snooze", "keywarden:snooze-day?id=" + testID + "&ref=" + testRef + "&token=" + testToken, Link{}},
	{"a ref with a space", "keywarden:not-me?ref=TJKLXX%20PNEPJ&token=" + testToken, Link{}},
	{"a ref that climbs out", "keywarden:not-me?ref=../../x&token=" + testToken, Link{}},
	{"a ref given twice", "keywarden:not-me?ref=" + testRef + "&ref=" + testRef + "&token=" + testToken, Link{}},
	{"a token on Activity", "keywarden:activity?token=" + testToken, Link{}},
	{"a ref on Activity", "keywarden:activity?ref=" + testRef, Link{}},
}

func TestParseLink(t *testing.T) {
	for _, tt := range linkCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLink(tt.in)
			if tt.want == (Link{}) {
				if err == nil || !errors.Is(err, errBadLink) {
					t.Errorf("ParseLink(%q) = %+v, %v; want it refused", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseLink(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func FuzzParseLink(f *testing.F) {
	for _, tt := range linkCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		l, err := ParseLink(in)
		if err != nil {
			return
		}
		back, err := ParseLink(l.String())
		if err != nil || back != l {
			t.Errorf("%q gave %+v, which reads back as %+v, %v", in, l, back, err)
		}
		if m, ok := parseLinkMessage(l.message()); !ok || m != l {
			t.Errorf("%+v: the message %q reads back as %+v, %v", l, l.message(), m, ok)
		}
	})
}

func TestIsLink(t *testing.T) {
	for in, want := range map[string]bool{
		"keywarden:open": true, "KEYWARDEN:x": true, "keywarden:": true,
		"keywarden": false, "list": false, "open": false, "": false, "xkeywarden:open": false,
	} {
		if got := IsLink(in); got != want {
			t.Errorf("IsLink(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseLinkMessage(t *testing.T) {
	for _, tt := range []struct {
		msg  string
		want Link
		ok   bool
	}{
		{"link snooze-week " + testID + " - " + testToken, Link{Verb: LinkSnoozeWeek, RecordID: testID, Token: testToken}, true},
		{"link open " + testID + " - -", Link{Verb: LinkOpen, RecordID: testID}, true},
		{"link open - - -", Link{Verb: LinkOpen}, true},
		{"link it-was-me - " + testRef + " " + testToken, Link{Verb: LinkItWasMe, RefID: testRef, Token: testToken}, true},
		{"link activity - - -", Link{Verb: LinkActivity}, true},
		{"link snooze-day " + testID + " - -", Link{}, false},
		{"link open " + testID + " -", Link{}, false},
		{"link open " + testID + " - - extra", Link{}, false},
		{"link remove " + testID + " - -", Link{}, false},
		{"link not-me - ../x " + testToken, Link{}, false},
		{"changed", Link{}, false},
	} {
		got, ok := parseLinkMessage(tt.msg)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseLinkMessage(%q) = %+v, %v; want %+v, %v", tt.msg, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNewLinkToken(t *testing.T) {
	none := func(string) string { return "" }
	a, b := newLinkToken(none), newLinkToken(none)
	if !isHex(a, linkTokenLen) || a == b {
		t.Errorf("tokens %q and %q: want two different ones of %d hex digits", a, b, linkTokenLen)
	}
	if got := newLinkToken(func(string) string { return testToken }); got != testToken {
		t.Errorf("with %s set: %q, want %q", EnvLinkToken, got, testToken)
	}
	if got := newLinkToken(func(string) string { return "short" }); got == "short" {
		t.Errorf("with a malformed %s: took it", EnvLinkToken)
	}
}

func TestTray_followsLinks(t *testing.T) {
	t.Setenv(EnvLinkToken, testToken)
	other := "fedcba9876543210"
	h := newTrayHarness(t, taxKey(named(testID, "koinly-tax"), reviewDueAt(t0.Add(-day))), botKey(named(other, "freqtrade-bot")))
	h.start()
	rec := h.rec
	snoozed := func(id string) bool {
		st, err := h.svc.Reminders().Load()
		if err != nil {
			t.Fatal(err)
		}
		_, ok := st.SnoozedUntil(id, t0)
		return ok
	}

	t.Run("a snooze with this run's token snoozes the key", func(t *testing.T) {
		h.tray.Handle(Link{Verb: LinkSnoozeDay, RecordID: testID, Token: testToken}.message())
		if !snoozed(testID) {
			t.Error("the key is not snoozed")
		}
	})
	t.Run("a snooze with another token only opens the key", func(t *testing.T) {
		h.tray.Handle(Link{Verb: LinkSnoozeWeek, RecordID: other, Token: strings.Repeat("0", linkTokenLen)}.message())
		rec.waitFor(t, "the window is asked for the key", func() bool { return len(rec.windows) == 1 && rec.windows[0] == other })
		if snoozed(other) {
			t.Error("the key was snoozed")
		}
		rec.locked(func() {
			if len(rec.errs) != 1 || !strings.Contains(rec.errs[0].Error(), "opened the key instead") || strings.Contains(rec.errs[0].Error(), "0000") {
				t.Errorf("reported %v; want one line saying the key was opened instead, without the token", rec.errs)
			}
		})
	})
	t.Run("open opens the key, or the window", func(t *testing.T) {
		h.tray.Handle(Link{Verb: LinkOpen, RecordID: testID}.message())
		h.tray.Handle(Link{Verb: LinkOpen}.message())
		rec.waitFor(t, "the window is asked for the key, then as it is", func() bool {
			return len(rec.windows) == 3 && rec.windows[1] == testID && rec.windows[2] == ""
		})
	})
	t.Run("a malformed link message does nothing", func(t *testing.T) {
		h.tray.Handle("link snooze-day " + other + " - -")
		h.tray.Handle("link snooze-day ../x - " + testToken)
		time.Sleep(50 * time.Millisecond)
		if snoozed(other) {
			t.Error("the key was snoozed")
		}
		rec.locked(func() {
			if len(rec.windows) != 3 {
				t.Errorf("windows %q: opened by a malformed message", rec.windows)
			}
		})
	})
}

func TestMainLink(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	in, err := instance.Listen(InstanceTray)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()

	t.Run("a link reaches the running tray part", func(t *testing.T) {
		l := Link{Verb: LinkSnoozeWeek, RecordID: testID, Token: testToken}
		var stderr bytes.Buffer
		if code := MainLink([]string{l.String()}, &stderr); code != 0 || stderr.Len() > 0 {
			t.Fatalf("MainLink = %d, %q; want 0 and nothing", code, stderr.String())
		}
		select {
		case msg := <-in.Messages():
			if got, ok := parseLinkMessage(msg); !ok || got != l {
				t.Errorf("the tray part got %q, which reads %+v, %v; want %+v", msg, got, ok, l)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the tray part heard nothing")
		}
	})
	for _, args := range [][]string{
		{"keywarden:snooze-day?id=" + testID},
		{"keywarden:open", "list"},
	} {
		t.Run("refused: "+strings.Join(args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			if code := MainLink(args, &stderr); code != 2 || !strings.HasPrefix(stderr.String(), "keywarden: ") {
				t.Errorf("MainLink(%q) = %d, %q; want 2 and a message", args, code, stderr.String())
			}
			select {
			case msg := <-in.Messages():
				t.Errorf("the tray part got %q", msg)
			default:
			}
		})
	}
}

func TestHandLink_startsTheTrayPart(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	dir := t.TempDir()
	exe := fakeProgram(t, dir) // records its arguments, never listens
	err := handLink(exe, Link{Verb: LinkOpen, RecordID: testID}, 300*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "did not start") {
		t.Errorf("handLink = %v; want the tray part not starting in time", err)
	}
	if got := waitFile(t, filepath.Join(dir, "args")); got != "tray" {
		t.Errorf("started with %q, want \"tray\"", got)
	}
}
