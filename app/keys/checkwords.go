package keys

import (
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/app/internal/safetext"
	"github.com/keywarden/keywarden/app/vault"
)

// Face is where words are shown: how to check a key by hand differs
// between the window, the tray's notifications and the command line.
type Face int

// The faces.
const (
	InWindow Face = iota
	InTray
	OnCommandLine
)

// Quiet reports whether the key is left out of every face's account of a
// run: a revoked key is history, with nothing to check.
func (sk Skipped) Quiet() bool { return sk.Record.Status == vault.StatusRevoked }

// Advice says why the key was not checked and how to check it, in face f,
// as a clause that follows a colon ("its 2FA code must be typed for each
// check: select it and press Check now").
func (sk Skipped) Advice(f Face) string {
	r := sk.Record
	switch {
	case r.Status == vault.StatusRevoked:
		return "it is revoked"
	case r.Retired():
		return leakedAdvice[f](r.Name)
	case r.TwoFA == vault.TwoFATyped:
		return typedAdvice[f]
	}
	return clause(sk.Reason)
}

// typedAdvice is how to check a key whose 2FA code is typed at each check.
var typedAdvice = map[Face]string{
	InWindow:      "its 2FA code must be typed for each check: select it, press Check now and type the code",
	InTray:        "its 2FA code must be typed for each check: open Keywarden, select it and press Check now",
	OnCommandLine: "it has 2FA: give its current code in KEYWARDEN_OTP, or with --otp - on standard input",
}

// leakedAdvice is how to check a key marked as leaked: its runbook's one
// check confirms Kraken deleted it.
var leakedAdvice = map[Face]func(name string) string{
	InWindow: func(string) string {
		return "it is marked as leaked: delete it on the Kraken website, then confirm in its runbook"
	},
	InTray: func(string) string {
		return "it is marked as leaked: delete it on the Kraken website, then confirm in its runbook in Keywarden"
	},
	OnCommandLine: func(name string) string {
		return fmt.Sprintf("it is marked as leaked: delete it on the Kraken website (Settings → API), then run \"keywarden revoke %s\" to confirm", name)
	},
}

// CheckAllSummary says in one paragraph what "Check all" did, for face f:
// how many keys were checked, then NotChecked, so no key is passed over
// silently.
func CheckAllSummary(checked int, skipped []Skipped, f Face) string {
	msg := fmt.Sprintf("Checked %d %s.", checked, plural(checked, "key", "keys"))
	if not := NotChecked(skipped, f); not != "" {
		msg += " " + not
	}
	return msg
}

// NotChecked names each key left out, with why and how to check it in face
// f (Advice), as one sentence; "" when there is none to name (revoked keys
// are not: Quiet). Names are escaped (safetext.Line).
func NotChecked(skipped []Skipped, f Face) string {
	var left []string
	for _, sk := range skipped {
		if !sk.Quiet() {
			left = append(left, fmt.Sprintf("“%s” (%s)", safetext.Line(sk.Record.Name), sk.Advice(f)))
		}
	}
	if len(left) == 0 {
		return ""
	}
	return "Not checked: " + strings.Join(left, "; ") + "."
}

// clause turns a sentence into a clause that follows a colon: "It is
// revoked." becomes "it is revoked".
func clause(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		s = string(s[0]-'A'+'a') + s[1:]
	}
	return s
}
