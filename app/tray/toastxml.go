package tray

import (
	"encoding/xml"
	"strings"

	"github.com/keywarden/keywarden/app/remind"
)

// The XML of Windows toasts (the ToastGeneric template): the texts of the
// D-Bus notifications, and their actions as keywarden: links, which
// Windows starts as URLs (activationType="protocol") when the person picks
// one: the only activation an exe that is not packaged gets without a COM
// server of its own. Clicking the toast itself follows its launch link.

// reminderToast returns the toast for a reminder: its title and body, a
// click that opens the key, and the buttons Open, Snooze 1 day and
// Snooze 1 week, the snoozes carrying token.
func reminderToast(rem remind.Reminder, token string) string {
	open := linkFor(ActionOpen, rem.RecordID, token)
	buttons := []toastButton{{"Open", open}}
	if open.RecordID != "" { // a key to snooze
		buttons = append(buttons,
			toastButton{"Snooze 1 day", linkFor(ActionSnoozeDay, rem.RecordID, token)},
			toastButton{"Snooze 1 week", linkFor(ActionSnoozeWeek, rem.RecordID, token)})
	}
	return toastXML(rem.Title, rem.Body, open, buttons)
}

// questionToast returns the toast for an account watch's question: a
// click opens Activity, and its buttons It was me and Not me carry token.
func questionToast(refID, title, body, token string) string {
	open, buttons := questionLinks(refID, token)
	return toastXML(title, body, open, buttons)
}

// messageToast returns the toast for a message about no one key: a click
// opens the window.
func messageToast(title, body string) string {
	return toastXML(title, body, Link{Verb: LinkOpen}, nil)
}

type toastButton struct {
	label string
	link  Link
}

func toastXML(title, body string, launch Link, buttons []toastButton) string {
	var b strings.Builder
	b.WriteString(`<toast launch="`)
	escapeXML(&b, launch.String())
	b.WriteString(`" activationType="protocol"><visual><binding template="ToastGeneric"><text>`)
	escapeXML(&b, title)
	b.WriteString(`</text><text>`)
	escapeXML(&b, body)
	b.WriteString(`</text></binding></visual>`)
	if len(buttons) > 0 {
		b.WriteString(`<actions>`)
		for _, btn := range buttons {
			b.WriteString(`<action content="`)
			escapeXML(&b, btn.label)
			b.WriteString(`" activationType="protocol" arguments="`)
			escapeXML(&b, btn.link.String())
			b.WriteString(`"/>`)
		}
		b.WriteString(`</actions>`)
	}
	b.WriteString(`</toast>`)
	return b.String()
}

// escapeXML writes s as XML text or attribute value: markup characters
// and quotes escaped, characters XML cannot hold replaced by U+FFFD.
func escapeXML(b *strings.Builder, s string) {
	_ = xml.EscapeText(b, []byte(s)) // a strings.Builder does not fail
}
