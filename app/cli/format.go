package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/internal/safetext"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// Dates are shown in UTC, as the review package words its findings, so
// every line of the output agrees.
func day(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2 Jan 2006")
}

func moment(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}

// permWords names permissions the way the website shows them, with their
// codes: "Funds – Query (query-funds), Data – Export data (export-data)".
func permWords(perms []kraken.Permission) string {
	if len(perms) == 0 {
		return "none"
	}
	parts := make([]string, len(perms))
	for i, p := range perms {
		if info, ok := p.Info(); ok {
			parts[i] = fmt.Sprintf("%s – %s (%s)", info.Group, info.Label, p)
		} else {
			parts[i] = fmt.Sprintf("%s (unknown to Keywarden)", safetext.Line(string(p)))
		}
	}
	return strings.Join(parts, ", ")
}

// hint shows the API key's last characters, the most a record holds.
func hint(r vault.Record) string {
	if r.KeyHint == "" {
		return "-"
	}
	return "…" + safetext.Line(r.KeyHint) // read from the key list, like any of its text
}

// outcomeWords says how a check ended.
func outcomeWords(rb *vault.Readback) string {
	if rb == nil {
		return "never checked"
	}
	switch rb.Outcome {
	case vault.OutcomeOK:
		return "ok"
	case vault.OutcomeInvalidKey:
		return "invalid key"
	}
	return "failed"
}

// twoFAWords says how the key's own 2FA is handled (keys.TwoFAWords),
// with the flag that gives a typed code here.
func twoFAWords(t vault.TwoFA) string {
	if t == vault.TwoFATyped {
		return keys.TwoFAWords(t) + " (--otp)"
	}
	return keys.TwoFAWords(t)
}

// writeFindings prints findings with their next steps, indented. Their
// words hold key names, services and exchange text: each is one line.
func writeFindings(w io.Writer, indent string, findings []review.Finding) {
	for _, f := range findings {
		fmt.Fprintf(w, "%s[%s] %s\n", indent, f.Severity, safetext.Line(f.Title))
		if f.Detail != "" {
			fmt.Fprintf(w, "%s    %s\n", indent, safetext.Line(f.Detail))
		}
		if f.NextStep != "" {
			fmt.Fprintf(w, "%s    Next: %s\n", indent, safetext.Line(f.NextStep))
		}
	}
}

// safe is safetext.Line: a name, path or text from outside, as one line
// of printable text.
func safe(s string) string { return safetext.Line(s) }

// safeList escapes each item, then joins them with sep.
func safeList(items []string, sep string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = safetext.Line(s)
	}
	return strings.Join(out, sep)
}

// writeDrift prints how the exchange's permissions differ from the intended
// ones; it reports whether there was a difference.
func writeDrift(w io.Writer, indent string, extra, missing []kraken.Permission) bool {
	for _, p := range extra {
		fmt.Fprintf(w, "%s+ granted but not intended: %s  [%s]\n", indent, permWords([]kraken.Permission{p}), p.Risk())
	}
	for _, p := range missing {
		fmt.Fprintf(w, "%s- intended but missing:     %s\n", indent, permWords([]kraken.Permission{p}))
	}
	return len(extra)+len(missing) > 0
}

// drift returns the difference between the intended permissions and a
// successful readback, leaving out what probes could not tell.
func drift(intended []kraken.Permission, rb vault.Readback) (extra, missing []kraken.Permission) {
	extra, missing = review.Drift(intended, rb.Permissions)
	if rb.Probed {
		// Drift(a, b) returns b without a first: drop what probes could not tell.
		extra, _ = review.Drift(rb.Unknown, extra)
		missing, _ = review.Drift(rb.Unknown, missing)
	}
	return extra, missing
}

// writeJSON prints v as indented JSON. Give it the raw stream (env.rawOut):
// JSON is for programs and goes out exactly as encoding/json writes it,
// which already escapes ESC, CR and line breaks inside strings.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// jsonFinding is a finding as the JSON output spells it.
type jsonFinding struct {
	Code     string          `json:"code"`
	Severity review.Severity `json:"severity"`
	Title    string          `json:"title"`
	Detail   string          `json:"detail,omitempty"`
	NextStep string          `json:"nextStep,omitempty"`
}

func jsonFindings(fs []review.Finding) []jsonFinding {
	out := make([]jsonFinding, len(fs))
	for i, f := range fs {
		out[i] = jsonFinding{f.Code, f.Severity, f.Title, f.Detail, f.NextStep}
	}
	return out
}

// jsonDrift is the difference between intended and real permissions.
type jsonDrift struct {
	Extra   []kraken.Permission `json:"extra"`
	Missing []kraken.Permission `json:"missing"`
}

func newJSONDrift(extra, missing []kraken.Permission) *jsonDrift {
	if extra == nil {
		extra = []kraken.Permission{}
	}
	if missing == nil {
		missing = []kraken.Permission{}
	}
	return &jsonDrift{extra, missing}
}

// count writes n with the singular or plural words: "1 key", "2 keys".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
