// Package vault holds Keywarden's key records: the metadata store (one JSON
// document on disk, never holding a secret) and the secret store (the OS
// keyring). It imports no GUI code, so the command line and the tray share it.
package vault

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

// Purpose is what a key is for; it decides which permissions are the least
// a key needs.
type Purpose string

// The purposes the new-key wizard offers.
const (
	PurposeTaxImport  Purpose = "tax-import"
	PurposeDashboard  Purpose = "read-only-dashboard"
	PurposeTradingBot Purpose = "trading-bot"
	// PurposeWatch is Keywarden's own account watch: a key that reads the
	// ledger and nothing else (keys.Service.SetWatchKey).
	PurposeWatch  Purpose = "account-watch"
	PurposeCustom Purpose = "custom"
)

// Purposes lists every purpose in the order the wizard shows them.
var Purposes = []Purpose{PurposeTaxImport, PurposeDashboard, PurposeTradingBot, PurposeWatch, PurposeCustom}

// Label returns the purpose in plain words.
func (p Purpose) Label() string {
	switch p {
	case PurposeTaxImport:
		return "Tax or portfolio import"
	case PurposeDashboard:
		return "Read-only dashboard"
	case PurposeTradingBot:
		return "Trading bot"
	case PurposeWatch:
		return "Watch the account (Keywarden reads the ledger)"
	case PurposeCustom:
		return "Custom"
	}
	return string(p)
}

// LeastPermissions returns the smallest permission set that does the job
// (KRAKEN.md, "Typical least-privilege sets"). Custom needs none by default.
func (p Purpose) LeastPermissions() []kraken.Permission {
	switch p {
	case PurposeTaxImport:
		return []kraken.Permission{kraken.QueryFunds, kraken.QueryClosedTrades, kraken.QueryLedger, kraken.ExportData}
	case PurposeDashboard:
		return []kraken.Permission{kraken.QueryFunds, kraken.QueryOpenTrades, kraken.QueryClosedTrades}
	case PurposeTradingBot:
		return []kraken.Permission{kraken.QueryFunds, kraken.QueryOpenTrades, kraken.QueryClosedTrades, kraken.ModifyTrades, kraken.CloseTrades}
	case PurposeWatch:
		return []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}
	}
	return nil
}

// AllowedPermissions returns everything the purpose may reasonably need:
// the least set plus optional extras (the trading bot's WebSocket token).
// Custom allows everything.
func (p Purpose) AllowedPermissions() []kraken.Permission {
	switch p {
	case PurposeTradingBot:
		return append(p.LeastPermissions(), kraken.CreateWSToken)
	case PurposeCustom, "":
		all := make([]kraken.Permission, len(kraken.Catalogue))
		for i, c := range kraken.Catalogue {
			all[i] = c.Code
		}
		return all
	}
	return p.LeastPermissions()
}

// Status is where a key stands in its life.
type Status string

// The statuses a record can have.
const (
	StatusActive      Status = "active"
	StatusParked      Status = "parked" // kept, but nothing should be using it
	StatusRevoked     Status = "revoked"
	StatusCompromised Status = "compromised" // leaked; revoke it now
)

// TwoFA is how the key's own 2FA on the exchange is handled.
type TwoFA string

// The 2FA modes.
const (
	TwoFANone     TwoFA = "none"
	TwoFATyped    TwoFA = "typed"    // a code typed by the user at each check
	TwoFASeed     TwoFA = "seed"     // authenticator seed kept in the keyring
	TwoFAPassword TwoFA = "password" // static password kept in the keyring
)

// Restrictions are the limits set on the key on the website.
type Restrictions struct {
	IPAllowlist []string  `json:"ipAllowlist,omitempty"` // IPs or CIDRs; empty = any IP
	Expires     time.Time `json:"expires,omitzero"`      // zero = never
	NonceWindow int       `json:"nonceWindow,omitempty"`
}

// Readback is what the exchange said about the key at a check. It never
// holds the API key itself.
type Readback struct {
	At      time.Time `json:"at"`
	Outcome Outcome   `json:"outcome"`
	// Problem is the plain-words message for OutcomeError.
	Problem string `json:"problem,omitempty"`
	// Unreached marks an OutcomeError that says nothing about the key: the
	// call never got an answer about it (no network, the exchange down or
	// busy, the key's call counter full, the keyring locked). Such a
	// failure does not count toward a lockout, so it may be tried again.
	Unreached bool `json:"unreached,omitempty"`
	// Probed is true when the permissions came from probes because
	// GetApiKeyInfo was not available; Unknown lists what probes cannot tell.
	Probed  bool                `json:"probed,omitempty"`
	Unknown []kraken.Permission `json:"unknown,omitempty"`
	// ProbeAnswers says, for permissions the probes left unknown because
	// the exchange's answer said nothing about them, what it answered
	// ("permission: the exchange's words"), scrubbed and capped.
	ProbeAnswers []string `json:"probeAnswers,omitempty"`
	// NonceScale is the scale of the key's last nonce as GetApiKeyInfo
	// reported it (13, 16 or 19 digits), empty when it could not tell. A
	// scale above the record's NonceScale means a program uses the key
	// with larger nonces.
	NonceScale  kraken.NonceScale   `json:"nonceScale,omitempty"`
	Name        string              `json:"name,omitempty"`
	Permissions []kraken.Permission `json:"permissions,omitempty"`
	NonceWindow int                 `json:"nonceWindow,omitempty"`
	IBAN        string              `json:"iban,omitempty"`
	ValidUntil  time.Time           `json:"validUntil,omitzero"`
	QueryFrom   time.Time           `json:"queryFrom,omitzero"`
	QueryTo     time.Time           `json:"queryTo,omitzero"`
	Created     time.Time           `json:"created,omitzero"`
	Modified    time.Time           `json:"modified,omitzero"`
	LastUsed    time.Time           `json:"lastUsed,omitzero"`
	IPAllowlist []string            `json:"ipAllowlist,omitempty"`
	// Nonce is the key's nonce as GetApiKeyInfo reported it; SentNonce the
	// one Keywarden sent for that call. Equal, the answer includes the
	// asking call, so its LastUsed is Keywarden's own; 0 when not known.
	Nonce     uint64 `json:"nonce,omitempty"`
	SentNonce uint64 `json:"sentNonce,omitempty"`
}

// Outcome is how a check ended.
type Outcome string

// The outcomes of a check.
const (
	OutcomeOK         Outcome = "ok"          // the exchange answered with the key's details
	OutcomeInvalidKey Outcome = "invalid-key" // the exchange no longer knows the key
	OutcomeError      Outcome = "error"       // anything else; see Problem
)

// ReadbackFromInfo turns a GetApiKeyInfo answer into a Readback taken at at,
// leaving out the API key.
func ReadbackFromInfo(info *kraken.KeyInfo, at time.Time) Readback {
	return Readback{
		At:          at,
		Outcome:     OutcomeOK,
		Name:        info.Name,
		Permissions: kraken.SortPermissions(info.Permissions),
		NonceWindow: info.NonceWindow,
		IBAN:        info.IBAN,
		ValidUntil:  info.ValidUntil,
		QueryFrom:   info.QueryFrom,
		QueryTo:     info.QueryTo,
		Created:     info.Created,
		Modified:    info.Modified,
		LastUsed:    info.LastUsed,
		IPAllowlist: info.IPAllowlist,
		Nonce:       info.Nonce,
		SentNonce:   info.SentNonce,
	}
}

// EventKind names something that happened to a key.
type EventKind string

// The kinds of history events.
const (
	EventAdded       EventKind = "added"
	EventEdited      EventKind = "edited"
	EventChecked     EventKind = "checked"
	EventDrift       EventKind = "drift"
	EventReviewed    EventKind = "reviewed"
	EventRotated     EventKind = "rotated"
	EventRevoked     EventKind = "revoked"
	EventCompromised EventKind = "compromised"
	EventParked      EventKind = "parked"
	EventResumed     EventKind = "resumed"
	// EventAppCode: the key's "may start without the app 2FA code" choice
	// changed (Record.StartsWithoutAppCode).
	EventAppCode EventKind = "app-2fa"
)

// Event is one line of a key's history.
type Event struct {
	At   time.Time `json:"at"`
	Kind EventKind `json:"kind"`
	Note string    `json:"note,omitempty"`
}

// MaxHistory is how many events a record keeps; older ones are dropped.
const MaxHistory = 50

// Record is everything Keywarden knows about one key, except its secrets.
type Record struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Account string  `json:"account,omitempty"`
	Purpose Purpose `json:"purpose"`
	// UsedBy lists the services or places that hold the key.
	UsedBy []string `json:"usedBy,omitempty"`
	Notes  string   `json:"notes,omitempty"`
	// KeyHint is the API key's last few characters, to tell keys apart.
	KeyHint      string              `json:"keyHint,omitempty"`
	Intended     []kraken.Permission `json:"intended"`
	Restrictions Restrictions        `json:"restrictions"`
	TwoFA        TwoFA               `json:"twoFA"`
	// ReviewDays is the review interval; 0 means the default for the key's risk.
	ReviewDays   int       `json:"reviewDays,omitempty"`
	Created      time.Time `json:"created"`
	LastReviewed time.Time `json:"lastReviewed,omitzero"`
	Status       Status    `json:"status"`
	LastCheck    *Readback `json:"lastCheck,omitempty"`
	// Use is what Keywarden's checks have shown of the key's use by other
	// programs; its own checks never count.
	Use UseSeen `json:"use,omitzero"`
	// Replaces and ReplacedBy link a rotated key and its replacement by ID.
	Replaces   string  `json:"replaces,omitempty"`
	ReplacedBy string  `json:"replacedBy,omitempty"`
	History    []Event `json:"history,omitempty"`
	// StartsWithoutAppCode asks that "keywarden exec" hand this key to a
	// program without the app 2FA code, for programs that start unattended
	// (a bot at boot). It takes effect only with a valid AppCodeSeal, so
	// typing it into keys.json grants nothing. Set both with
	// keys.Service.SetStartsWithoutAppCode, behind the app code.
	StartsWithoutAppCode bool `json:"startsWithoutAppCode,omitempty"`
	// AppCodeSeal binds StartsWithoutAppCode to this record's ID with a MAC
	// whose key only the keyring holds (keys.Service.StartsWithoutAppCode).
	AppCodeSeal string `json:"appCodeSeal,omitempty"`
	// KeyPrint is a one-way fingerprint of the API key (KeyPrintOf), so the
	// same key is never kept twice; the key cannot be got back from it.
	KeyPrint string `json:"keyPrint,omitempty"`
	// LeakedAt is when the key was marked as leaked. It stays set after the
	// key is revoked: a leak is remembered.
	LeakedAt time.Time `json:"leakedAt,omitzero"`
	// LeakSteps are the after-a-leak steps done (their codes), so the
	// checklist can be reopened.
	LeakSteps []string `json:"leakSteps,omitempty"`
	// Pending marks a change to the keyring that has not finished: the
	// record is written first, then the secret, then the mark is cleared, so
	// that a crash in between leaves something to repair, never a secret
	// nobody can find.
	Pending *Pending `json:"pending,omitempty"`
	// NonceScale is the scale of the nonces Keywarden sends with this key:
	// that of the programs that use it. Empty means milliseconds. Only the
	// user changes it; Keywarden never raises it by itself.
	NonceScale kraken.NonceScale `json:"nonceScale,omitempty"`
	// NonceSeen is the largest nonce scale the exchange is known to have
	// seen on this key (a check's answer, or Keywarden's own nonces in a
	// check that got through). A key's nonce never goes back, so after a
	// change to a smaller scale the checks' advice can say why they fail.
	NonceSeen kraken.NonceScale `json:"nonceSeen,omitempty"`
}

// PendingOp names an unfinished change between a record and the keyring.
type PendingOp string

// The unfinished changes a record can be marked with.
const (
	PendingAdd    PendingOp = "add"    // the secret is being stored
	PendingRemove PendingOp = "remove" // the secret, then the record, are being removed
	PendingRevoke PendingOp = "revoke" // the key is revoked; its secret is being removed
)

// Pending is an unfinished change, who started it and when.
type Pending struct {
	Op    PendingOp `json:"op"`
	Since time.Time `json:"since"`
	PID   int       `json:"pid,omitempty"`
}

// The after-a-leak steps (Record.LeakSteps), in the order the runbook
// shows them.
const (
	LeakReplace  = "replace"  // a replacement made, if still needed
	LeakActivity = "activity" // recent account activity looked at
	LeakPassword = "password" // account password and 2FA changed
	LeakSupport  = "support"  // support contacted if anything looked wrong
)

// LeakStepCodes lists the after-a-leak steps in order.
var LeakStepCodes = []string{LeakReplace, LeakActivity, LeakPassword, LeakSupport}

// LeakStepDone reports whether the after-a-leak step code is done: ticked,
// or, for LeakReplace, done by the key's rotation (ReplacedBy is set), so
// the count and the ticks can never disagree.
func (r *Record) LeakStepDone(code string) bool {
	if code == LeakReplace && r.ReplacedBy != "" {
		return true
	}
	for _, s := range r.LeakSteps {
		if s == code {
			return true
		}
	}
	return false
}

// LeakStepsLeft returns how many after-a-leak steps are not done yet
// (LeakStepDone).
func (r *Record) LeakStepsLeft() int {
	left := 0
	for _, code := range LeakStepCodes {
		if !r.LeakStepDone(code) {
			left++
		}
	}
	return left
}

// Leaked reports whether the key was ever marked as leaked.
func (r *Record) Leaked() bool {
	return r.Status == StatusCompromised || !r.LeakedAt.IsZero()
}

// KeyPrintOf returns the fingerprint of an API key kept in records: the
// first 128 bits of a SHA-256 of the key, in hex. It tells whether two
// records hold the same key without holding the key.
func KeyPrintOf(apiKey string) string {
	apiKey = strings.TrimSpace(apiKey)
	if apiKey == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("keywarden key print v1\x00" + apiKey))
	return hex.EncodeToString(sum[:16])
}

// SetStartsWithoutAppCode records the choice of StartsWithoutAppCode and,
// when it changes, a history line saying where it was made ("from the
// command line", "in the window"). It reports whether anything changed.
func (r *Record) SetStartsWithoutAppCode(on bool, at time.Time, where string) bool {
	if r.StartsWithoutAppCode == on {
		return false
	}
	r.StartsWithoutAppCode = on
	note := "programs started by keywarden exec need the app 2FA code again"
	if on {
		note = "programs may start with this key without the app 2FA code"
	}
	if where != "" {
		note += " (" + where + ")"
	}
	r.AddEvent(at, EventAppCode, note)
	return true
}

// AddEvent appends an event to the history, keeping at most MaxHistory.
func (r *Record) AddEvent(at time.Time, kind EventKind, note string) {
	r.History = append(r.History, Event{At: at, Kind: kind, Note: note})
	if n := len(r.History); n > MaxHistory {
		r.History = append([]Event(nil), r.History[n-MaxHistory:]...)
	}
}

// KeyHintOf returns the last four characters of an API key, the most of it
// a record may hold.
func KeyHintOf(apiKey string) string {
	apiKey = strings.TrimSpace(apiKey)
	if len(apiKey) <= 4 {
		return ""
	}
	return apiKey[len(apiKey)-4:]
}

// Retired reports whether the key is out of use for good (revoked or
// compromised).
func (r *Record) Retired() bool {
	return r.Status == StatusRevoked || r.Status == StatusCompromised
}

// Secret is what the OS keyring holds for one record.
type Secret struct {
	APIKey      string `json:"apiKey"`
	PrivateKey  string `json:"privateKey"`
	OTPSeed     string `json:"otpSeed,omitempty"`     // TOTP seed, base32
	OTPPassword string `json:"otpPassword,omitempty"` // static 2FA password
}

// String hides the secret, so a stray %v in a log line prints nothing useful.
func (s Secret) String() string { return "vault.Secret{redacted}" }

// GoString hides the secret from %#v as well.
func (s Secret) GoString() string { return s.String() }
