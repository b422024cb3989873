package keys

import (
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/kraken"
)

// RecommendedExpiryDays is the expiry, in days, Keywarden recommends for a
// new key whose most dangerous permission has risk r: 90 days for a key
// that can only read, 30 for one that can trade, 7 for one that can move
// money out (review.RecommendedExpiryDays).
func RecommendedExpiryDays(r kraken.Risk) int { return review.RecommendedExpiryDays(r) }

// ExpiryAdvice says in plain words why RecommendedExpiryDays(r) is
// recommended (review.ExpiryAdvice).
func ExpiryAdvice(r kraken.Risk) string { return review.ExpiryAdvice(r) }
