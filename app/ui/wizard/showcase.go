package wizard

import (
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/app/vault"
)

// Showcase fills the wizard as a person would have who is adding the key
// rec with the pasted keys secret — used-by, purpose, name, the intended
// permissions, the restrictions and the key pair — and shows step n
// (1-based, as the heading counts), without checking the steps before it.
// Showing the last step verifies the key, as arriving there does.
//
// It exists for screenshots and docs only ("keywarden demo --show", which
// drives it with a demo key): the app itself never calls it.
func (w *Wizard) Showcase(rec vault.Record, secret vault.Secret, n int) {
	w.names.usedBy.SetText(strings.Join(rec.UsedBy, ", "))
	w.names.setPurpose(rec.Purpose)
	w.perms.set(rec.Intended)
	w.perms.edited = true
	w.limits.ips.SetText(strings.Join(rec.Restrictions.IPAllowlist, "\n"))
	w.limits.nonce.SetText(strconv.Itoa(rec.Restrictions.NonceWindow))
	if rec.Restrictions.Expires.IsZero() {
		w.limits.noExpiry.SetChecked(true)
	} else {
		w.limits.expiry.SetText(rec.Restrictions.Expires.In(w.loc()).Format(dateLayout))
	}
	w.limits.expiryDirty = true
	if rec.TwoFA != "" {
		w.twofa.setMode(rec.TwoFA)
	}
	w.twofa.seed.SetText(secret.OTPSeed)
	w.twofa.password.SetText(secret.OTPPassword)
	w.names.name.SetText(rec.Name)
	w.keys.apiKey.SetText(secret.APIKey)
	w.keys.privateKey.SetText(secret.PrivateKey)
	w.show(n - 1)
}
