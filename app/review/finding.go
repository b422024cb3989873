package review

import (
	"sort"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// Severity says how urgently a finding needs the person's attention.
type Severity int

// Severities, from a hint to "act now".
const (
	Info     Severity = iota // worth knowing; nothing is wrong yet
	Warning                  // something to fix soon
	Critical                 // money or the account is at risk: act now
)

// String returns the severity as one lower-case word.
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Critical:
		return "critical"
	}
	return "unknown"
}

// MarshalText writes the severity as its word, for the command line's JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Finding is one thing a review found about a key, in plain words.
type Finding struct {
	// Code identifies the rule, one of the Code constants; stable for
	// scripts and tests.
	Code     string
	Severity Severity
	// Title is short and plain ("The key can withdraw from any IP address").
	Title string
	// Detail explains what was found, with the facts behind it.
	Detail string
	// NextStep is what the person can do about it.
	NextStep string
}

// The finding codes, one per rule.
const (
	CodeCompromised                = "compromised"
	CodeReplaced                   = "replaced"
	CodeLeakAftercare              = "leak-aftercare"
	CodeStillWorks                 = "revoked-key-still-works"
	CodeNotOnExchange              = "not-on-exchange"
	CodeParkedKeyUsed              = "parked-key-used"
	CodeCheckFailed                = "check-failed"
	CodeExtraPermissions           = "extra-permissions"
	CodeMissingPermissions         = "missing-permissions"
	CodeWithdrawWithoutIPAllowlist = "withdraw-without-ip-allowlist"
	CodeBeyondPurpose              = "beyond-purpose"
	CodeNoExpiry                   = "no-expiry"
	CodeExpired                    = "expired"
	CodeExpiringSoon               = "expiring-soon"
	CodeReviewDue                  = "review-due"
	CodeUnused                     = "unused"
	CodeNonceWindow                = "nonce-window"
	CodeSharedKey                  = "shared-key"
	CodeManyKeys                   = "many-keys"
	CodeDefaultName                = "default-name"
)

// rule looks at one record (and the others, for rules across keys) at now
// and returns what it finds, if anything.
type rule func(r vault.Record, x *Index, now time.Time) []Finding

// liveRules apply to keys that are active or parked, in the order their
// findings are listed within one severity.
var liveRules = []rule{
	replaced,
	notOnExchange,
	parkedKeyUsed,
	checkFailed,
	extraPermissions,
	withdrawWithoutIPAllowlist,
	missingPermissions,
	beyondPurpose,
	expiry,
	reviewDue,
	noExpiry,
	unused,
	nonceWindowRule,
	sharedKey,
	manyKeys,
	defaultName,
}

// Findings reviews one key: what is wrong or worth knowing about it at now,
// most severe first. all is every record in the vault (it may include r),
// for the rules that look across keys; nil skips them.
//
// A revoked key only gets a finding when the exchange still accepted it
// after the revocation; a compromised key gets one finding that says to
// revoke it now.
//
// Findings indexes all for each call: to review many keys, make one Index
// and call its Findings, so the work stays linear in the number of keys.
func Findings(r vault.Record, all []vault.Record, now time.Time) []Finding {
	var x *Index
	if all != nil {
		x = NewIndex(all)
	}
	return x.Findings(r, now)
}

// Findings reviews one key as the package's Findings does, with the
// records of x for the rules that look across keys. A nil Index skips them.
func (x *Index) Findings(r vault.Record, now time.Time) []Finding {
	var rules []rule
	switch r.Status {
	case vault.StatusRevoked:
		rules = []rule{stillWorks, leakAftercare}
	case vault.StatusCompromised:
		rules = []rule{compromised}
	default:
		rules = liveRules
	}
	var out []Finding
	for _, rule := range rules {
		out = append(out, rule(r, x, now)...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Severity > out[j].Severity })
	return out
}

// MaxSeverity returns the highest severity among findings, and false when
// there are none.
func MaxSeverity(findings []Finding) (Severity, bool) {
	top, ok := Info, false
	for _, f := range findings {
		if !ok || f.Severity > top {
			top, ok = f.Severity, true
		}
	}
	return top, ok
}
