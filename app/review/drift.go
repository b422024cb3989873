package review

import (
	"slices"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// Drift compares the permissions a key was meant to have with those the
// exchange reports: extra are on the exchange but not intended, missing are
// intended but not on the exchange. Both come back in the website's order,
// without duplicates, and nil when empty.
func Drift(intended, real []kraken.Permission) (extra, missing []kraken.Permission) {
	return difference(real, intended), difference(intended, real)
}

// difference returns the permissions in a that are not in b, sorted.
func difference(a, b []kraken.Permission) []kraken.Permission {
	var out []kraken.Permission
	for _, p := range a {
		if !slices.Contains(b, p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return kraken.SortPermissions(out)
}

// without returns perms minus those in drop.
func without(perms, drop []kraken.Permission) []kraken.Permission {
	return difference(perms, drop)
}

// readbackDrift returns the drift between the intended permissions and the
// last successful readback, leaving out what probes could not tell; ok is
// false when there is no successful readback.
func readbackDrift(intended []kraken.Permission, rb *vault.Readback) (extra, missing []kraken.Permission, ok bool) {
	if rb == nil {
		return nil, nil, false
	}
	extra, missing = Drift(intended, rb.Permissions)
	if rb.Probed {
		extra, missing = without(extra, rb.Unknown), without(missing, rb.Unknown)
	}
	return extra, missing, true
}
