package keys

import (
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/app/internal/safetext"
	"github.com/keywarden/keywarden/app/vault"
)

// CheckFailure is one reason keys of a CheckReport could not be checked,
// with the keys it stopped, in the report's order.
type CheckFailure struct {
	// Problem is the plain-words reason (vault.Readback.Problem), as one
	// line of printable text.
	Problem string
	// Unreached is true when the check got no answer about the keys (no
	// network, Kraken down or busy): they keep the answer of their last
	// check.
	Unreached bool
	Records   []vault.Record
}

// Failures returns why keys could not be checked, one CheckFailure per
// reason, in the order the reasons first came up.
func (r CheckReport) Failures() []CheckFailure {
	var out []CheckFailure
	at := make(map[string]int)
	for _, res := range r.Results {
		rb := res.Readback
		if rb.Outcome != vault.OutcomeError {
			continue
		}
		problem := safetext.Line(strings.TrimSpace(rb.Problem))
		if problem == "" {
			problem = "The exchange gave no usable answer."
		}
		i, seen := at[problem]
		if !seen {
			i = len(out)
			at[problem] = i
			out = append(out, CheckFailure{Problem: problem, Unreached: true})
		}
		out[i].Unreached = out[i].Unreached && rb.Unreached
		out[i].Records = append(out[i].Records, res.Record)
	}
	return out
}

// LogLines returns a line for the log for each reason keys could not be
// checked, naming the keys: what the notification sums up.
func (r CheckReport) LogLines() []string {
	var out []string
	for _, f := range r.Failures() {
		names := make([]string, len(f.Records))
		for i, rec := range f.Records {
			names[i] = fmt.Sprintf("%s (%s)", quoteName(rec.Name), rec.ID)
		}
		out = append(out, fmt.Sprintf("%s could not be checked: %s", strings.Join(names, ", "), f.Problem))
	}
	return out
}

// Words says how a check of all keys went, for a notification: how many
// keys were checked and how many could not be, why, and what to do.
// attention is how many keys need attention now, or -1 when unknown.
func (r CheckReport) Words(attention int) (title, body string) {
	total := len(r.Results)
	failures := r.Failures()
	failed := 0
	for _, f := range failures {
		failed += len(f.Records)
	}
	switch {
	case failed == 0:
		title = "Checked " + countOf(total, "key", "keys")
	case failed == total && total == 1:
		title = "Could not check " + quoteName(r.Results[0].Record.Name)
	case failed == total:
		title = "Could not check the " + countOf(total, "key", "keys")
	default:
		title = fmt.Sprintf("Checked %d of %s", total-failed, countOf(total, "key", "keys"))
	}
	var parts []string
	parts = append(parts, failureWords(failures, failed, total)...)
	if not := NotChecked(r.Skipped, InTray); not != "" {
		parts = append(parts, not)
	}
	switch {
	case attention == 1:
		parts = append(parts, "1 key needs attention: open Keywarden to see what to do.")
	case attention > 1:
		parts = append(parts, fmt.Sprintf("%d keys need attention: open Keywarden to see what to do.", attention))
	case attention == 0 && failed == 0:
		parts = append(parts, "All look fine.")
	}
	return title, strings.Join(parts, " ")
}

// failureWords says which keys could not be checked and why: the reason
// itself when there is one, else the first and how many more (the log
// has each).
func failureWords(failures []CheckFailure, failed, total int) []string {
	if failed == 0 {
		return nil
	}
	who := countOf(failed, "key", "keys") + " could not be checked"
	if failed == total {
		who = "No key could be checked"
		if total == 1 {
			who = "It could not be checked"
		}
	}
	unreached := true
	for _, f := range failures {
		unreached = unreached && f.Unreached
	}
	var out []string
	if len(failures) == 1 {
		out = append(out, who+": "+failures[0].Problem)
	} else {
		out = append(out, fmt.Sprintf("%s, for %d reasons (the log lists each key). The first, for %s: %s",
			who, len(failures), quoteName(failures[0].Records[0].Name), failures[0].Problem))
	}
	if !strings.HasSuffix(out[0], ".") {
		out[0] += "."
	}
	if unreached {
		out = append(out, "That says nothing about the keys themselves: they keep the answers of their last check.")
	}
	return out
}

// quoteName names a key in a sentence, as one line of printable text.
func quoteName(name string) string {
	if strings.TrimSpace(name) == "" {
		return "a key without a name"
	}
	return "“" + safetext.Line(name) + "”"
}

// countOf says "1 key" or "4 keys".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

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
