package review

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// extraPermissions: the exchange reports permissions that were not meant.
// Critical when one of them can move money out.
func extraPermissions(r vault.Record, _ *Index, _ time.Time) []Finding {
	extra, _, ok := readbackDrift(r.Intended, okCheck(r))
	if !ok || len(extra) == 0 {
		return nil
	}
	f := Finding{
		Code:     CodeExtraPermissions,
		Severity: Warning,
		Title:    "The key can do more than you meant",
		Detail:   fmt.Sprintf("On the exchange it also has: %s.", permList(extra)),
		NextStep: fmt.Sprintf("Edit the key on the Kraken website (Settings → API) and untick %[1]s, then check it again. If you meant to give %[1]s, add %[1]s to the key here.", them(extra)),
	}
	if kraken.MaxRisk(extra) == kraken.RiskMoveOut {
		f.Severity = Critical
		f.Title = "The key can move money out, which you did not mean"
		f.NextStep = fmt.Sprintf("Untick %s on the Kraken website now (Settings → API → edit the key), then check it again.", them(extra))
	}
	return []Finding{f}
}

// missingPermissions: the exchange lacks permissions that were meant, so
// whatever uses the key fails when it needs them.
func missingPermissions(r vault.Record, _ *Index, _ time.Time) []Finding {
	_, missing, ok := readbackDrift(r.Intended, okCheck(r))
	if !ok || len(missing) == 0 {
		return nil
	}
	return []Finding{{
		Code:     CodeMissingPermissions,
		Severity: Warning,
		Title:    "The key lacks permissions you meant it to have",
		Detail:   fmt.Sprintf("Missing on the exchange: %s. Whatever uses the key fails when it needs %s; Kraken answers “Permission denied”.", permList(missing), them(missing)),
		NextStep: fmt.Sprintf("Tick %[1]s on the Kraken website (Settings → API → edit the key), or remove %[1]s here if nothing needs %[1]s.", them(missing)),
	}}
}

// withdrawalPermissions are the ones that let a thief take the money out.
var withdrawalPermissions = []kraken.Permission{kraken.WithdrawFunds, kraken.AddWithdrawAddress, kraken.UpdateWithdrawAddress}

// withdrawWithoutIPAllowlist: a key that can withdraw, or add or change
// withdrawal addresses, works from any IP address.
func withdrawWithoutIPAllowlist(r vault.Record, _ *Index, _ time.Time) []Finding {
	var risky []kraken.Permission
	for _, p := range EffectivePermissions(r) {
		if slices.Contains(withdrawalPermissions, p) {
			risky = append(risky, p)
		}
	}
	if len(risky) == 0 || len(ipAllowlist(r)) > 0 {
		return nil
	}
	detail := fmt.Sprintf("It holds %s but has no IP allow-list: whoever gets hold of it can take money out from anywhere.", permList(risky))
	if exactCheck(r) != nil && len(r.Restrictions.IPAllowlist) > 0 {
		detail += fmt.Sprintf(" You meant to limit it to %s, but the exchange has no allow-list for it.", strings.Join(r.Restrictions.IPAllowlist, ", "))
	}
	return []Finding{{
		Code:     CodeWithdrawWithoutIPAllowlist,
		Severity: Critical,
		Title:    "The key can withdraw from any IP address",
		Detail:   detail,
		NextStep: "On the Kraken website, add an IP allow-list with the addresses of the machine that uses the key, or untick the withdrawal permissions if it does not need them.",
	}}
}

// beyondPurpose: the key holds permissions its purpose does not need.
// Permissions already reported as unintended drift are left out here.
func beyondPurpose(r vault.Record, _ *Index, _ time.Time) []Finding {
	extra, _, _ := readbackDrift(r.Intended, okCheck(r))
	beyond := difference(without(EffectivePermissions(r), extra), r.Purpose.AllowedPermissions())
	if len(beyond) == 0 {
		return nil
	}
	return []Finding{{
		Code:     CodeBeyondPurpose,
		Severity: Warning,
		Title:    "More permissions than the purpose needs",
		Detail: fmt.Sprintf("A key for %s needs no %s. Each extra permission is one more thing a thief could do with it.",
			strings.ToLower(r.Purpose.Label()), permList(beyond)),
		NextStep: fmt.Sprintf("Untick %s on the Kraken website (Settings → API → edit the key), or change the key's purpose here if it really does more.", them(beyond)),
	}}
}

// noExpiry: a key that can trade or move money never expires.
func noExpiry(r vault.Record, _ *Index, _ time.Time) []Finding {
	perms := EffectivePermissions(r)
	risk := kraken.MaxRisk(perms)
	if risk == kraken.RiskRead || !ExpiresAt(r).IsZero() {
		return nil
	}
	can := risk.String()
	if kraken.RiskWords(perms) == kraken.AddFunds.RiskWords() { // not trading: money only comes in
		can = "can create deposit addresses"
	}
	detail := fmt.Sprintf("This key %s and never expires. An expiry date limits how long a leaked key is of use to anyone.", can)
	if exactCheck(r) != nil && !r.Restrictions.Expires.IsZero() {
		detail += fmt.Sprintf(" You meant it to expire on %s, but the exchange has no expiry date for it.", date(r.Restrictions.Expires))
	}
	return []Finding{{
		Code:     CodeNoExpiry,
		Severity: Warning,
		Title:    "No expiry date",
		Detail:   detail,
		NextStep: "Set an expiry date on the Kraken website (Settings → API → edit the key), or rotate it to a new key that has one.",
	}}
}

// nonceWindowRule: a nonce window on a key that can trade loosens the
// exchange's protection against replayed requests.
func nonceWindowRule(r vault.Record, _ *Index, _ time.Time) []Finding {
	w := nonceWindow(r)
	risk := kraken.MaxRisk(EffectivePermissions(r))
	if w <= 0 || risk == kraken.RiskRead {
		return nil
	}
	sev := Info
	if risk == kraken.RiskMoveOut {
		sev = Warning
	}
	return []Finding{{
		Code:     CodeNonceWindow,
		Severity: sev,
		Title:    "Nonce window on a key that " + risk.String(),
		Detail: fmt.Sprintf("The key has a nonce window of %d: the exchange also accepts requests that arrive slightly out of order. "+
			"That helps a program that sends requests in parallel, but it loosens the protection against an old, captured request being sent again.", w),
		NextStep: "If nothing using the key sends requests in parallel, set the nonce window to 0 on the Kraken website.",
	}}
}

// them is the pronoun for a list of permissions: "it" for one.
func them(perms []kraken.Permission) string {
	if len(perms) == 1 {
		return "it"
	}
	return "them"
}
