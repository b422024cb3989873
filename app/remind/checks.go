package remind

import (
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// CheckInterval is the least time between two checks of a key in the
// background, counted from its last check of any kind.
const CheckInterval = 24 * time.Hour

// RetryInterval is how long after a background check that got no answer
// about the key (State.Unreached) it is tried again. Such failures never
// reached the exchange's key checks, so they do not count toward a lockout.
const RetryInterval = time.Hour

// NonceRaceNote explains, for the background-check setting, why it is off
// by default for keys a running program uses (KRAKEN.md, "Nonce").
const NonceRaceNote = "A background check calls Kraken with this key. " +
	"Every call with a key must carry a number (the nonce) higher than the last one the key accepted, whoever sent it. " +
	"If a program, such as a trading bot, uses the key at the same moment, one of the two calls can arrive out of order and fail with “Invalid nonce”, " +
	"and repeated failures lock the key out for a while. " +
	"So background checks are off by default for trading-bot keys and for keys a running program uses; " +
	"a nonce window on the key, set on the Kraken website, makes such clashes harmless."

// CanAutoCheck reports whether the key can be checked in the background at
// all, and if not, why, in plain words: revoked and leaked keys are not
// checked unattended (their runbook does a single check), nor are keys
// whose 2FA code must be typed for every call.
func CanAutoCheck(r vault.Record) (ok bool, why string) {
	switch {
	case r.Retired():
		return false, "The key is revoked or marked as leaked, so it is not checked in the background."
	case r.TwoFA == vault.TwoFATyped:
		return false, "Its 2FA code must be typed for every check, so it is only checked while you are there."
	}
	return true, ""
}

// DefaultAutoCheck returns whether the key is checked in the background
// when the person has not chosen: yes, except for trading-bot keys and keys
// a running program uses (inUse), whose program a check can race for the
// nonce (NonceRaceNote).
func DefaultAutoCheck(r vault.Record, inUse bool) bool {
	return r.Purpose != vault.PurposeTradingBot && !inUse
}

// AutoCheckOn returns whether the key is checked in the background: never
// when CanAutoCheck says no, else the person's choice in state.AutoCheck,
// else DefaultAutoCheck.
func AutoCheckOn(r vault.Record, state State) bool {
	if ok, _ := CanAutoCheck(r); !ok {
		return false
	}
	if on, set := state.AutoCheck[r.ID]; set {
		return on
	}
	return DefaultAutoCheck(r, state.InUse[r.ID])
}

// NextCheck returns when the key is next due for a background check:
// CheckInterval after its last check (the later of the last readback and
// the last background check started), RetryInterval after it when that
// check got no answer (State.Unreached), or the zero time when it was never
// checked, which is due at once. ok is false when the key is not checked
// in the background.
func NextCheck(r vault.Record, state State) (at time.Time, ok bool) {
	if !AutoCheckOn(r, state) {
		return time.Time{}, false
	}
	var last time.Time
	if r.LastCheck != nil {
		last = r.LastCheck.At
	}
	if started := state.Checked[r.ID]; started.After(last) {
		last = started
	}
	if last.IsZero() {
		return time.Time{}, true
	}
	if failed, ok := state.Unreached[r.ID]; ok && !failed.Before(last) {
		return failed.Add(RetryInterval), true
	}
	return last.Add(CheckInterval), true
}

// CheckDue returns the records whose background check is due at now, in
// the order given.
func CheckDue(records []vault.Record, state State, now time.Time) []vault.Record {
	var due []vault.Record
	for _, r := range records {
		if at, ok := NextCheck(r, state); ok && !at.After(now) {
			due = append(due, r)
		}
	}
	return due
}

// nextCheck returns the earliest background check due after now.
func nextCheck(records []vault.Record, state State, now time.Time) (at time.Time, ok bool) {
	for _, r := range records {
		t, due := NextCheck(r, state)
		if due && t.After(now) && (!ok || t.Before(at)) {
			at, ok = t, true
		}
	}
	return at, ok
}
