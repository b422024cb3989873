package check

import (
	"strings"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// InvalidNonceAdvice says in plain words what an "invalid nonce" answer
// most likely means for a key whose nonces Keywarden sends on the given
// scale (empty: milliseconds), and which scale to choose. usedBy names the
// programs that use the key; with none, the advice says "a program".
//
// The exchange refuses a nonce not above the key's last one, from any
// program. Once a program has sent a larger-scale nonce, every smaller-scale
// one is refused for good, so the advice is to match the program's scale,
// never to go above it: Keywarden never changes the scale by itself and
// never retries.
func InvalidNonceAdvice(scale kraken.NonceScale, usedBy []string) string {
	program := "A program that uses this key"
	if names := strings.Join(usedBy, ", "); names != "" {
		program = "A program that uses this key (" + names + ")"
	}
	switch scale.OrDefault() {
	case kraken.NonceMilliseconds:
		return "Kraken refused Keywarden's nonce: the key's last nonce is larger than a millisecond one. " + program +
			" most likely counts in microseconds (16 digits, like the npm package kraken-api) or nanoseconds (19 digits, like many Go clients)." +
			" Set this key's nonce scale to the one that program uses, never a larger one: a larger scale would lock that program out of the key for good." +
			" If no program uses other nonces, check again in a moment."
	case kraken.NonceMicroseconds:
		return "Kraken refused Keywarden's microsecond nonce: the key's last nonce is larger. " + program +
			" may count in nanoseconds (19 digits, like many Go clients): if so, set this key's nonce scale to nanoseconds." +
			" If it counts in microseconds too, both called at the same moment: check again in a moment, or set a nonce window on the key on Kraken's website."
	}
	return "Kraken refused Keywarden's nanosecond nonce: " + strings.ToLower(program[:1]) + program[1:] +
		" called at the same moment. Check again in a moment, or set a nonce window on the key on Kraken's website."
}

// SmallerScaleAdvice explains an "invalid nonce" answer to nonces on
// scale when the key is known to have seen larger ones (seen): most often
// its scale was changed to a larger one and back. The exchange never goes
// back to smaller nonces, so no retry helps; the key now needs nonces on
// seen's scale or larger, from Keywarden and from every program in usedBy.
func SmallerScaleAdvice(scale, seen kraken.NonceScale, usedBy []string) string {
	programs := "every program that uses it"
	if names := strings.Join(usedBy, ", "); names != "" {
		programs = "every program that uses it (" + names + ")"
	}
	return "Kraken refused Keywarden's nonce: this key has already seen " + seen.OrDefault().String() +
		" nonces, and a key never goes back to smaller ones, so " + scale.OrDefault().String() +
		" nonces fail for good. Kraken is not down: the key now needs " + seen.OrDefault().String() + " or larger, from Keywarden and from " +
		programs + ". Set Nonces back to " + seen.OrDefault().String() + " in Edit details (keywarden nonce-scale), or make a new key to start again at milliseconds."
}

// SuggestedNonceScale returns the scale the record's last check saw on the
// key when it is larger than the record's own: a program uses the key with
// larger nonces, and checks on the record's scale will fail. It reports
// false otherwise. It suggests only; the user decides.
func SuggestedNonceScale(rec vault.Record) (kraken.NonceScale, bool) {
	if rec.LastCheck == nil || rec.LastCheck.NonceScale == "" {
		return "", false
	}
	seen := rec.LastCheck.NonceScale
	if seen.Rank() <= rec.NonceScale.Rank() {
		return "", false
	}
	return seen, true
}
