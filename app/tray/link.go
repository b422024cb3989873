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
	// LinkActivity opens the Activity screen (a click on a question's
	// toast); LinkItWasMe and LinkNotMe are a question's two answers.
	LinkActivity = "activity"
	LinkItWasMe  = "it-was-me"
	LinkNotMe    = "not-me"
)

// MsgLink begins the message that hands a link to the tray part:
// "link <verb> <recordID> <refID> <token>", "-" standing for an empty
// field.
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
	Verb     string // one of the Link verbs
	RecordID string // the key; "" (open only) for the window as it is
	RefID    string // the ledger entry a question's answer is about
	Token    string // the tray part's link token (snoozes and answers)
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
	if l.RefID != "" {
		query = append(query, "ref="+l.RefID)
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
// "snooze-day" and "snooze-week" with an id and a token, "activity" with
// nothing, and "it-was-me" and "not-me" with a ref and a token; an id is 16
// and a token 32 lower-case hex digits, a ref what ValidRefID takes, and
// nothing else may be in it. The scheme may be in any case.
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
	case LinkOpen, LinkSnoozeDay, LinkSnoozeWeek, LinkActivity, LinkItWasMe, LinkNotMe:
		l.Verb = verb
	default:
		return Link{}, fmt.Errorf("%w: it asks for %q; Keywarden's links open a key or snooze it, or answer a question about the account", errBadLink, clip(verb))
	}
	if hasQuery {
		for _, field := range strings.Split(query, "&") {
			if err := l.setField(field); err != nil {
				return Link{}, err
			}
		}
	}
	switch {
	case (l.Verb == LinkSnoozeDay || l.Verb == LinkSnoozeWeek) && (l.RecordID == "" || l.Token == ""):
		return Link{}, fmt.Errorf("%w: a snooze needs the key's id and a token", errBadLink)
	case l.isAnswer() && (l.RefID == "" || l.Token == ""):
		return Link{}, fmt.Errorf("%w: an answer needs the entry's ref and a token", errBadLink)
	}
	return l, nil
}

// setField reads one name=value of a link's query into l, refusing what
// has no place in a link of l's verb.
func (l *Link) setField(field string) error {
	name, value, _ := strings.Cut(field, "=")
	var dst *string
	switch {
	case name == "id" && (l.Verb == LinkActivity || l.isAnswer()):
		return fmt.Errorf("%w: a question's link names no key", errBadLink)
	case name == "id" && !isHex(value, recordIDLen):
		return fmt.Errorf("%w: its id is not a key's (16 hex digits)", errBadLink)
	case name == "id":
		dst = &l.RecordID
	case name == "ref" && !l.isAnswer():
		return fmt.Errorf("%w: only an answer names a ledger entry", errBadLink)
	case name == "ref" && !ValidRefID(value):
		return fmt.Errorf("%w: its ref is not a ledger entry's", errBadLink)
	case name == "ref":
		dst = &l.RefID
	case name == "token" && (l.Verb == LinkOpen || l.Verb == LinkActivity):
		return fmt.Errorf("%w: opening the window takes no token", errBadLink)
	case name == "token" && !isHex(value, linkTokenLen):
		return fmt.Errorf("%w: its token is not 32 hex digits", errBadLink)
	case name == "token":
		dst = &l.Token
	default:
		return fmt.Errorf("%w: %q has no place in it", errBadLink, clip(name))
	}
	if *dst != "" {
		return fmt.Errorf("%w: %s is given twice", errBadLink, name)
	}
	*dst = value
	return nil
}

// isAnswer reports whether the link answers a question: It was me, or Not
// me.
func (l Link) isAnswer() bool { return l.Verb == LinkItWasMe || l.Verb == LinkNotMe }

// ValidRefID reports whether s has the shape of a Kraken refid or ledger
// ID: 1 to 64 letters, digits and dashes ("TJKLXX-PNEPJ-ZJIBTY",
// "FTQcuak-V6Za8qrWnhzTx67yYHz8Tg"). Anything else is not passed on to
// the window or the service from a link or the command line.
func ValidRefID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

// message returns the instance message that hands l to the tray part.
func (l Link) message() string {
	return strings.Join([]string{MsgLink, l.Verb, orDash(l.RecordID), orDash(l.RefID), orDash(l.Token)}, " ")
}

// parseLinkMessage reads a message made by Link.message; ok is false for
// any other message, and for a link ParseLink would refuse.
func parseLinkMessage(msg string) (l Link, ok bool) {
	f := strings.Split(msg, " ")
	if len(f) != 5 || f[0] != MsgLink {
		return Link{}, false
	}
	l = Link{Verb: f[1], RecordID: unDash(f[2]), RefID: unDash(f[3]), Token: unDash(f[4])}
	back, err := ParseLink(l.String())
	return back, err == nil && back == l
}

// action returns the notification action the link stands for, and what
// it is about: a record ID, or a question's subject (QuestionSubject).
func (l Link) action() (subject, action string) {
	switch l.Verb {
	case LinkSnoozeDay:
		return l.RecordID, ActionSnoozeDay
	case LinkSnoozeWeek:
		return l.RecordID, ActionSnoozeWeek
	case LinkActivity:
		return QuestionSubject(""), ActionOpen
	case LinkItWasMe:
		return QuestionSubject(l.RefID), ActionItWasMe
	case LinkNotMe:
		return QuestionSubject(l.RefID), ActionNotMe
	}
	return l.RecordID, ActionOpen
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

// questionLinks returns the links of a question's toast: a click opens
// Activity; its buttons answer, carrying token. A refid of another shape
// (which the exchange does not make) gets no buttons: Activity answers it.
func questionLinks(refID, token string) (open Link, answers []toastButton) {
	open = Link{Verb: LinkActivity}
	if !ValidRefID(refID) {
		return open, nil
	}
	return open, []toastButton{
		{"It was me", Link{Verb: LinkItWasMe, RefID: refID, Token: token}},
		{"Not me", Link{Verb: LinkNotMe, RefID: refID, Token: token}},
	}
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
