package review

import "github.com/keywarden/keywarden/kraken"

// The expiry Keywarden recommends for a new key, by what its most
// dangerous permission can do: the more a key can do, the shorter it
// should live, since an expiry bounds how long a leaked key is useful.
const (
	ReadKeyDays    = 90 // a key that can only read
	TradeKeyDays   = 30 // a key that can trade
	MoveOutKeyDays = 7  // a key that can move money out
)

// RecommendedExpiryDays is the expiry, in days, recommended for a key whose
// most dangerous permission has risk r. A risk it does not know gets the
// shortest (fail closed).
func RecommendedExpiryDays(r kraken.Risk) int {
	switch r {
	case kraken.RiskRead:
		return ReadKeyDays
	case kraken.RiskTrade:
		return TradeKeyDays
	}
	return MoveOutKeyDays
}

// ExpiryAdvice explains RecommendedExpiryDays(r) in plain words, for the
// person choosing a new key's expiry.
func ExpiryAdvice(r kraken.Risk) string {
	switch RecommendedExpiryDays(r) {
	case ReadKeyDays:
		return "Recommended: 90 days, because this key can only read. Keywarden reminds you before it expires; making a fresh key then takes two minutes."
	case TradeKeyDays:
		return "Recommended: 30 days, because this key can trade. If it leaks, it stops being useful within a month. (Read-only keys: 90 days.)"
	}
	return "Recommended: 7 days, because this key can move money out. Give such a key only as long as the job that needs it. (Trading keys: 30 days; read-only: 90.)"
}
