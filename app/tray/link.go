package tray

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Keywarden's links: what a Windows toast's buttons start, since an exe
// that is not packaged cannot have Windows call it back any other way. A
// button starts `keywarden.exe "keywarden:snooze-day?id=…&token=…"`
// (the keywarden: URL protocol the tray part registers), which hands the
// request to the running tray part (MainLink).
//
// Any web page can start a keywarden: link too. So a snooze, which changes
// what Keywarden reminds of, carries the tray part's link token: random for
// each run, and written only into the toasts it shows. A snooze with any
// other token only opens the key in the window, which is harmless.

// LinkScheme is the URL scheme of Keywarden's links.
const LinkScheme = "keywarden"

// The verbs of a link: the notification actions they stand for.
const (
	LinkOpen       = "open"
	LinkSnoozeDay  = "snooze-day"
	LinkSnoozeWeek = "snooze-week"
)

// MsgLink begins the message that hands a link to the tray part:
// "link <verb> <recordID> <token>", "-" standing for an empty record ID or
// token.
const MsgLink = "link"

// EnvLinkToken, set to 32 lower-case hex digits, is the tray part's link
// token instead of a random one: for the Wine smoke run, which has no toast
// to read the token from. Whoever can set the tray part's environment runs
// as you already.
const EnvLinkToken = "KEYWARDEN_LINK_TOKEN"

// maxLink bounds the length of a link; Keywarden's own are under 100 bytes.
const maxLink = 256

const (
	recordIDLen  = 16 // hex digits, as vault.NewID makes them
	linkTokenLen = 32 // hex digits
)

// Link is what a keywarden: link asks of the tray part.
type Link struct {
	Verb     string // LinkOpen, LinkSnoozeDay or LinkSnoozeWeek
	RecordID string // the key; "" (open only) for the window as it is
	Token    string // the tray part's link token (snoozes only)
}

// IsLink reports whether arg looks like a keywarden: link (its scheme, in
// any case), which the program then takes as nothing else.
func IsLink(arg string) bool {
	return len(arg) >= len(LinkScheme)+1 && strings.EqualFold(arg[:len(LinkScheme)+1], LinkScheme+":")
}

// String returns the link as a URL.
func (l Link) String() string {
	s := LinkScheme + ":" + l.Verb
	var query []string
	if l.RecordID != "" {
		query = append(query, "id="+l.RecordID)
	}
	if l.Token != "" {
		query = append(query, "token="+l.Token)
	}
	if len(query) > 0 {
		s += "?" + strings.Join(query, "&")
	}
	return s
}

// errBadLink is what every refused link comes to; the reason follows it.
var errBadLink = errors.New("not a Keywarden link")

// ParseLink reads a keywarden: link strictly: "open" with an optional id,
// or "snooze-day" and "snooze-week" with an id and a token; an id is 16 and
// a token 32 lower-case hex digits, and nothing else may be in it. The
// scheme may be in any case.
func ParseLink(s string) (Link, error) {
	if len(s) > maxLink {
		return Link{}, fmt.Errorf("%w: longer than %d characters", errBadLink, maxLink)
	}
	if !IsLink(s) {
		return Link{}, fmt.Errorf("%w: it does not begin with \"%s:\"", errBadLink, LinkScheme)
	}
	verb, query, hasQuery := strings.Cut(s[len(LinkScheme)+1:], "?")
	var l Link
	switch verb {
	case LinkOpen, LinkSnoozeDay, LinkSnoozeWeek:
		l.Verb = verb
	default:
		return Link{}, fmt.Errorf("%w: it asks for %q; Keywarden's links open a key or snooze it", errBadLink, clip(verb))
	}
	if hasQuery {
		for _, field := range strings.Split(query, "&") {
			name, value, _ := strings.Cut(field, "=")
			var dst *string
			switch {
			case name == "id" && !isHex(value, recordIDLen):
				return Link{}, fmt.Errorf("%w: its id is not a key's (16 hex digits)", errBadLink)
			case name == "id":
				dst = &l.RecordID
			case name == "token" && l.Verb == LinkOpen:
				return Link{}, fmt.Errorf("%w: opening a key takes no token", errBadLink)
			case name == "token" && !isHex(value, linkTokenLen):
				return Link{}, fmt.Errorf("%w: its token is not 32 hex digits", errBadLink)
			case name == "token":
				dst = &l.Token
			default:
				return Link{}, fmt.Errorf("%w: %q has no place in it", errBadLink, clip(name))
			}
			if *dst != "" {
				return Link{}, fmt.Errorf("%w: %s is given twice", errBadLink, name)
			}
			*dst = value
		}
	}
	if l.Verb != LinkOpen && (l.RecordID == "" || l.Token == "") {
		return Link{}, fmt.Errorf("%w: a snooze needs the key's id and a token", errBadLink)
	}
	return l, nil
}

// message returns the instance message that hands l to the tray part.
func (l Link) message() string {
	return strings.Join([]string{MsgLink, l.Verb, orDash(l.RecordID), orDash(l.Token)}, " ")
}

// parseLinkMessage reads a message made by Link.message; ok is false for
// any other message, and for a link ParseLink would refuse.
func parseLinkMessage(msg string) (l Link, ok bool) {
	f := strings.Split(msg, " ")
	if len(f) != 4 || f[0] != MsgLink {
		return Link{}, false
	}
	l = Link{Verb: f[1], RecordID: unDash(f[2]), Token: unDash(f[3])}
	back, err := ParseLink(l.String())
	return back, err == nil && back == l
}

// action returns the notification action the link stands for.
func (l Link) action() string {
	switch l.Verb {
	case LinkSnoozeDay:
		return ActionSnoozeDay
	case LinkSnoozeWeek:
		return ActionSnoozeWeek
	}
	return ActionOpen
}

// linkFor returns the link to a notification action on the key recordID,
// with token for a snooze. A record ID of another shape than vault's (a
// hand-edited key list) gets a link that opens the window as it is.
func linkFor(action, recordID, token string) Link {
	if !isHex(recordID, recordIDLen) {
		return Link{Verb: LinkOpen}
	}
	switch action {
	case ActionSnoozeDay:
		return Link{Verb: LinkSnoozeDay, RecordID: recordID, Token: token}
	case ActionSnoozeWeek:
		return Link{Verb: LinkSnoozeWeek, RecordID: recordID, Token: token}
	}
	return Link{Verb: LinkOpen, RecordID: recordID}
}

// newLinkToken returns a fresh random link token, or the one EnvLinkToken
// gives (getenv), if it has the right shape.
func newLinkToken(getenv func(string) string) string {
	if tok := getenv(EnvLinkToken); isHex(tok, linkTokenLen) {
		return tok
	}
	b := make([]byte, linkTokenLen/2)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return hex.EncodeToString(b)
}

// sameToken compares two link tokens in constant time.
func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// isHex reports whether s is n lower-case hex digits.
func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// clip shortens what a refusal quotes of a hostile link.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func unDash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}
