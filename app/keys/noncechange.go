package keys

import (
	"strings"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/internal/safetext"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// NonceChange is what a face asks before changing a key's nonce scale
// (SetNonceScale): a larger scale can lock the programs that use the key
// out of it for good, a smaller one can fail Keywarden's own checks for
// good, so the person confirms knowing which.
type NonceChange struct {
	// Title and Intro say what changes; Programs has one line per program
	// the key is used by (or one line for "no program recorded"), saying
	// what happens to it.
	Title, Intro string
	Programs     []string
	// Danger is set when the change can lock something out for good.
	Danger bool
}

// NonceScaleChange words the change of r's nonce scale to to. The key's
// largest known scale (r.NonceSeen, or what its last check showed) decides:
// a program that already sends it loses nothing.
func NonceScaleChange(r vault.Record, to kraken.NonceScale) NonceChange {
	from, to := r.NonceScale.OrDefault(), to.OrDefault()
	seen := r.NonceSeen.OrDefault()
	if s, ok := check.SuggestedNonceScale(r); ok && s.Rank() > seen.Rank() {
		seen = s
	}
	c := NonceChange{Title: "Send " + to.String() + " nonces with “" + safetext.Line(r.Name) + "”?"}
	var programs []string
	for _, u := range r.UsedBy {
		if u = strings.TrimSpace(safetext.Line(u)); u != "" {
			programs = append(programs, u)
		}
	}
	switch {
	case to.Rank() > from.Rank() && to.Rank() > seen.Rank():
		c.Danger = true
		c.Intro = "Kraken accepts only nonces larger than the key's last one, from any program, and a key never goes back. " +
			"After Keywarden's next check with " + to.String() + " nonces, every program that sends smaller ones is locked out of this key for good."
		most := ""
		if seen == kraken.NonceMilliseconds {
			most = ", as most programs do"
		}
		for _, p := range programs {
			c.Programs = append(c.Programs, p+": if it counts in "+seen.String()+most+", its calls fail with “Invalid nonce” for good. Change it to "+to.String()+" first, or keep this setting.")
		}
		if len(programs) == 0 {
			c.Programs = []string{"No program is recorded for this key (Used by). Any program that uses it with smaller nonces is locked out for good."}
		}
	case to.Rank() > from.Rank():
		c.Intro = "Kraken has already seen " + seen.String() + " nonces on this key, so whatever uses it sends them already; Keywarden's checks will match."
		for _, p := range programs {
			c.Programs = append(c.Programs, p+": nothing changes for it.")
		}
	case seen.Rank() > to.Rank():
		c.Danger = true
		c.Intro = "Kraken has already seen " + seen.String() + " nonces on this key and never goes back to smaller ones: " +
			"Keywarden's checks with " + to.String() + " nonces will fail with “Invalid nonce” for good, until you set it back."
		for _, p := range programs {
			c.Programs = append(c.Programs, p+": nothing changes for it.")
		}
	default:
		c.Intro = "Keywarden's checks will send smaller nonces. If a program that uses the key sends larger ones, the checks fail with “Invalid nonce” until you set it back; the programs are not affected."
		for _, p := range programs {
			c.Programs = append(c.Programs, p+": nothing changes for it.")
		}
	}
	return c
}
