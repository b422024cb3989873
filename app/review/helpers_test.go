package review

import (
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// now is the moment every test looks from.
var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// none stands for "no finding with this code" in a want column.
const none Severity = -1

// taxKey returns a healthy, recently checked read-only key that no rule
// complains about; tests change what they need.
func taxKey(change ...func(r *vault.Record)) vault.Record {
	perms := vault.PurposeTaxImport.LeastPermissions()
	r := vault.Record{
		ID:       "k1",
		Name:     "koinly-tax-import",
		Account:  "main",
		Purpose:  vault.PurposeTaxImport,
		UsedBy:   []string{"Koinly"},
		Intended: perms,
		TwoFA:    vault.TwoFANone,
		Created:  now.Add(-10 * day),
		Status:   vault.StatusActive,
		LastCheck: &vault.Readback{
			At:          now.Add(-time.Hour),
			Outcome:     vault.OutcomeOK,
			Name:        "koinly-tax-import",
			Permissions: perms,
			Created:     now.Add(-10 * day),
			LastUsed:    now.Add(-2 * time.Hour),
		},
	}
	r.AddEvent(r.Created, vault.EventAdded, "")
	r.AddEvent(r.LastCheck.At, vault.EventChecked, "")
	for _, c := range change {
		c(&r)
	}
	return r
}

// botKey returns a healthy trading-bot key with an expiry date and an IP
// allow-list.
func botKey(change ...func(r *vault.Record)) vault.Record {
	perms := vault.PurposeTradingBot.LeastPermissions()
	expires := now.Add(200 * day)
	r := taxKey(func(r *vault.Record) {
		r.ID = "k2"
		r.Name = "freqtrade-vps"
		r.Purpose = vault.PurposeTradingBot
		r.UsedBy = []string{"freqtrade"}
		r.Intended = perms
		r.Restrictions = vault.Restrictions{IPAllowlist: []string{"203.0.113.7"}, Expires: expires}
		r.LastCheck.Name = r.Name
		r.LastCheck.Permissions = perms
		r.LastCheck.ValidUntil = expires
		r.LastCheck.IPAllowlist = []string{"203.0.113.7"}
	})
	for _, c := range change {
		c(&r)
	}
	return r
}

// noCheck removes the readback.
func noCheck(r *vault.Record) { r.LastCheck = nil }

// perms is shorthand for a permission list.
func perms(p ...kraken.Permission) []kraken.Permission { return p }

// findingCase is one row of a rule's table.
type findingCase struct {
	name string
	r    vault.Record
	all  []vault.Record
	now  time.Time // zero: now
	want Severity  // none: the rule finds nothing
}

// testRule runs Findings for each case and compares the severity of the
// finding with code, checking that a finding has its words.
func testRule(t *testing.T, code string, cases []findingCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			at := tc.now
			if at.IsZero() {
				at = now
			}
			f, ok := findCode(Findings(tc.r, tc.all, at), code)
			got := none
			if ok {
				got = f.Severity
			}
			if got != tc.want {
				t.Fatalf("severity of %s = %v, want %v (finding %+v)", code, got, tc.want, f)
			}
			if ok && (f.Title == "" || f.Detail == "" || f.NextStep == "") {
				t.Errorf("finding lacks words: %+v", f)
			}
		})
	}
}

func findCode(fs []Finding, code string) (Finding, bool) {
	for _, f := range fs {
		if f.Code == code {
			return f, true
		}
	}
	return Finding{}, false
}

func codes(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Code
	}
	return out
}
