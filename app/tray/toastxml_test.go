package tray

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/remind"
)

// toastDoc is the part of a toast's XML the tests read back.
type toastDoc struct {
	XMLName        xml.Name `xml:"toast"`
	Launch         string   `xml:"launch,attr"`
	ActivationType string   `xml:"activationType,attr"`
	Binding        struct {
		Template string   `xml:"template,attr"`
		Texts    []string `xml:"text"`
	} `xml:"visual>binding"`
	Actions []struct {
		Content        string `xml:"content,attr"`
		ActivationType string `xml:"activationType,attr"`
		Arguments      string `xml:"arguments,attr"`
	} `xml:"actions>action"`
}

func readToast(t *testing.T, s string) toastDoc {
	t.Helper()
	var doc toastDoc
	if err := xml.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatalf("the toast is not well-formed XML: %v\n%s", err, s)
	}
	return doc
}

func TestReminderToast(t *testing.T) {
	rem := remind.Reminder{
		RecordID: testID,
		Title:    `Key “<b>bot</b>” & "friends" expires in 7 days`,
		Body:     "Rotate it.\nIt's used by <script>alert(1)</script>\x01.",
	}
	s := reminderToast(rem, testToken)
	doc := readToast(t, s)

	if doc.Binding.Template != "ToastGeneric" || doc.ActivationType != "protocol" {
		t.Errorf("template %q, activation %q; want ToastGeneric and protocol", doc.Binding.Template, doc.ActivationType)
	}
	wantBody := strings.Replace(rem.Body, "\x01", "\uFFFD", 1) // XML cannot hold it
	if len(doc.Binding.Texts) != 2 || doc.Binding.Texts[0] != rem.Title || doc.Binding.Texts[1] != wantBody {
		t.Errorf("texts %q; want the title and the body as they are", doc.Binding.Texts)
	}
	if strings.Contains(s, "<b>") || strings.Contains(s, "<script>") {
		t.Errorf("markup of the texts is in the XML unescaped:\n%s", s)
	}
	if doc.Launch != "keywarden:open?id="+testID {
		t.Errorf("a click launches %q, want the key opened", doc.Launch)
	}
	want := []struct{ label, link string }{
		{"Open", "keywarden:open?id=" + testID},
		{"Snooze 1 day", "keywarden:snooze-day?id=" + testID + "&token=" + testToken},
		{"Snooze 1 week", "keywarden:snooze-week?id=" + testID + "&token=" + testToken},
	}
	if len(doc.Actions) != len(want) {
		t.Fatalf("%d buttons, want %d:\n%s", len(doc.Actions), len(want), s)
	}
	for i, a := range doc.Actions {
		if a.Content != want[i].label || a.Arguments != want[i].link || a.ActivationType != "protocol" {
			t.Errorf("button %d = %+v; want %q starting %q as a protocol", i, a, want[i].label, want[i].link)
		}
		if _, err := ParseLink(a.Arguments); err != nil {
			t.Errorf("button %q: its link is refused: %v", a.Content, err)
		}
	}
}

func TestReminderToast_aKeyWithoutVaultsIDOnlyOpensTheWindow(t *testing.T) {
	doc := readToast(t, reminderToast(remind.Reminder{RecordID: `k1" launch="keywarden:snooze-day`, Title: "t", Body: "b"}, testToken))
	if doc.Launch != "keywarden:open" || len(doc.Actions) != 1 || doc.Actions[0].Arguments != "keywarden:open" {
		t.Errorf("launch %q, buttons %+v; want only the window opened", doc.Launch, doc.Actions)
	}
}

func TestMessageToast(t *testing.T) {
	doc := readToast(t, messageToast("Checked 3 keys", "All look fine."))
	if doc.Launch != "keywarden:open" || len(doc.Actions) != 0 || len(doc.Binding.Texts) != 2 || doc.Binding.Texts[0] != "Checked 3 keys" {
		t.Errorf("toast %+v; want the texts, a click that opens the window, and no buttons", doc)
	}
}

// A question's toast: a click opens Activity; It was me and Not me are
// links that carry the token and read back as the answers they are.
func TestQuestionToast(t *testing.T) {
	doc := readToast(t, questionToast(testRef, "0.5 BTC withdrawn at 14:02 — was this you?", "Keywarden asks because <none of your keys may>.", testToken))
	if doc.Launch != "keywarden:activity" || doc.ActivationType != "protocol" {
		t.Errorf("launch %q (%q); want keywarden:activity by protocol", doc.Launch, doc.ActivationType)
	}
	want := []struct {
		label string
		link  Link
	}{
		{"It was me", Link{Verb: LinkItWasMe, RefID: testRef, Token: testToken}},
		{"Not me", Link{Verb: LinkNotMe, RefID: testRef, Token: testToken}},
	}
	if len(doc.Actions) != len(want) {
		t.Fatalf("buttons %+v; want It was me and Not me", doc.Actions)
	}
	for i, w := range want {
		a := doc.Actions[i]
		got, err := ParseLink(a.Arguments)
		if a.Content != w.label || a.ActivationType != "protocol" || err != nil || got != w.link {
			t.Errorf("button %d: %q → %q (%v, %v); want %q → %+v", i, a.Content, a.Arguments, got, err, w.label, w.link)
		}
	}
	if doc := readToast(t, questionToast("../x", "t", "b", testToken)); len(doc.Actions) != 0 || doc.Launch != "keywarden:activity" {
		t.Errorf("a refid of another shape: buttons %+v, launch %q; want none, and Activity", doc.Actions, doc.Launch)
	}
}
