package wizard

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// plan is what the person means the key to be: steps 1 to 3 of the wizard.
type plan struct {
	Name        string
	Perms       []kraken.Permission
	IPs         []string
	Expires     time.Time // zero = never
	NonceWindow int
}

// rowState says how one line of the verify step compares.
type rowState int

const (
	rowSame    rowState = iota // the exchange agrees
	rowDiffers                 // a difference to fix or accept
	rowUnknown                 // the exchange did not say (permissions from probes)
)

// compareRow is one line of the side-by-side comparison.
type compareRow struct {
	What     string // "Name", "Funds – Withdraw", ...
	Perm     kraken.Permission
	Intended string
	Real     string
	State    rowState
	// Danger marks a difference that lets the key do more than intended.
	Danger bool
	// Short names the difference in a few words, for the save confirmation.
	Short string
	// Explain says what the difference means and what to do about it.
	Explain string
}

// permTitle returns a permission as the website shows it: group and label.
func permTitle(p kraken.Permission) string {
	if info, ok := p.Info(); ok {
		return info.Group + " – " + info.Label
	}
	return "Unknown permission " + strconv.Quote(string(p))
}

const (
	yes        = "yes"
	no         = "no"
	notShown   = "not known"
	probedNote = "Your account does not offer the call that reads a key's settings, so Keywarden tested the permissions one by one; it cannot see this setting. Check it on the website."
)

// compare lines up what was intended with what the exchange reported.
// Dates are compared as calendar days in loc.
func compare(p plan, rb vault.Readback, loc *time.Location) []compareRow {
	var rows []compareRow
	if rb.Probed {
		rows = append(rows, compareRow{What: "Name", Intended: p.Name, Real: notShown, State: rowUnknown, Explain: probedNote})
	} else {
		rows = append(rows, nameRow(p.Name, rb.Name))
	}
	rows = append(rows, permissionRows(p.Perms, rb)...)
	if rb.Probed {
		rows = append(rows,
			compareRow{What: "IP allow-list", Intended: ipText(p.IPs), Real: notShown, State: rowUnknown, Explain: probedNote},
			compareRow{What: "Expiry", Intended: dateText(p.Expires, loc), Real: notShown, State: rowUnknown, Explain: probedNote},
			compareRow{What: "Nonce window", Intended: strconv.Itoa(p.NonceWindow), Real: notShown, State: rowUnknown, Explain: probedNote})
		return rows
	}
	return append(rows, ipRow(p.IPs, rb.IPAllowlist), expiryRow(p.Expires, rb.ValidUntil, loc), nonceRow(p.NonceWindow, rb.NonceWindow))
}

// differences returns the rows that differ.
func differences(rows []compareRow) []compareRow {
	var out []compareRow
	for _, r := range rows {
		if r.State == rowDiffers {
			out = append(out, r)
		}
	}
	return out
}

func nameRow(intended, real string) compareRow {
	r := compareRow{What: "Name", Intended: intended, Real: real}
	if strings.TrimSpace(intended) == strings.TrimSpace(real) {
		return r
	}
	r.State = rowDiffers
	r.Short = "the name on Kraken is different"
	r.Explain = fmt.Sprintf("On Kraken the key is called %q. Use the same name in both places, so you find the key on the website at once when you need to revoke it: rename it there, or go back to step 1 and change it here.", real)
	return r
}

func permissionRows(intended []kraken.Permission, rb vault.Readback) []compareRow {
	all := kraken.SortPermissions(slices.Concat(intended, rb.Permissions))
	rows := make([]compareRow, 0, len(all))
	for _, perm := range all {
		meant, granted := slices.Contains(intended, perm), slices.Contains(rb.Permissions, perm)
		r := compareRow{What: permTitle(perm), Perm: perm, Intended: yesNo(meant), Real: yesNo(granted)}
		info, known := perm.Info()
		switch {
		case meant && granted:
		case meant && rb.Probed && slices.Contains(rb.Unknown, perm):
			r.State, r.Real = rowUnknown, notShown
			r.Explain = "Kraken offers no safe way to test this permission; check on the website that it is ticked."
		case granted:
			r.State, r.Danger = rowDiffers, perm.Risk() > kraken.RiskRead
			r.Short = "granted but not intended (" + perm.RiskWords() + ")"
			if known {
				r.Explain = fmt.Sprintf("Granted but not intended. Risk: %s. With it, whoever holds the key can: %s Untick it on the website (edit the key), then verify again; or go back to step 2 and tick it if you really meant it.",
					perm.RiskWords(), lowerFirst(info.Meaning))
			} else {
				r.Explain = "Kraken reports a permission Keywarden does not know, so it counts as dangerous. Find it on the website and untick it, then verify again."
			}
		default:
			r.State = rowDiffers
			r.Short = "intended but not granted"
			r.Explain = fmt.Sprintf("Intended but not granted: whatever uses this key will fail when it tries to %s Tick it on the website (edit the key), then verify again.",
				lowerFirst(info.Meaning))
		}
		rows = append(rows, r)
	}
	return rows
}

func ipRow(intended, real []string) compareRow {
	r := compareRow{What: "IP allow-list", Intended: ipText(intended), Real: ipText(real)}
	if sameIPs(intended, real) {
		return r
	}
	r.State = rowDiffers
	switch extra, missing := onlyIn(real, intended), onlyIn(intended, real); {
	case len(real) == 0:
		r.Danger = true
		r.Short = "Kraken allows any IP address"
		r.Explain = "On Kraken the key works from any IP address. Add the addresses you listed to the key's IP allow-list on the website, then verify again."
	case len(extra) > 0:
		r.Danger = true
		r.Short = "Kraken allows more addresses"
		r.Explain = fmt.Sprintf("Kraken also lets the key be used from %s, which you did not list. Remove it on the website, or add it in step 3 if it is right.", strings.Join(extra, ", "))
		if len(missing) > 0 {
			r.Explain += fmt.Sprintf(" And calls from %s will be refused.", strings.Join(missing, ", "))
		}
	case len(intended) == 0:
		r.Short = "Kraken allows only some addresses"
		r.Explain = "You meant the key to work from any address, but Kraken allows only these. If the program runs elsewhere, its calls will be refused; add the addresses in step 3 if they are right."
	default:
		r.Short = "Kraken allows fewer addresses"
		r.Explain = fmt.Sprintf("Kraken will refuse calls from %s. Add it to the key's allow-list on the website, then verify again.", strings.Join(missing, ", "))
	}
	return r
}

func expiryRow(intended, real time.Time, loc *time.Location) compareRow {
	r := compareRow{What: "Expiry", Intended: dateText(intended, loc), Real: dateText(real, loc)}
	switch {
	case intended.IsZero() && real.IsZero(), !intended.IsZero() && !real.IsZero() && sameDay(intended, real, loc):
		return r
	case real.IsZero():
		r.State, r.Danger = rowDiffers, true
		r.Short = "it never expires on Kraken"
		r.Explain = fmt.Sprintf("On Kraken the key never expires. Set its expiry date to %s on the website, then verify again.", dateText(intended, loc))
	case intended.IsZero():
		r.State = rowDiffers
		r.Short = "it expires on Kraken"
		r.Explain = fmt.Sprintf("You meant the key to have no expiry, but on Kraken it stops working on %s. Fine if you meant it: Keywarden will remind you.", dateText(real, loc))
	default:
		r.State, r.Danger = rowDiffers, real.After(intended)
		r.Short = "it expires on another day"
		r.Explain = fmt.Sprintf("On Kraken the key expires on %s, not on %s. Change the date on the website, or in step 3.", dateText(real, loc), dateText(intended, loc))
	}
	return r
}

func nonceRow(intended, real int) compareRow {
	r := compareRow{What: "Nonce window", Intended: strconv.Itoa(intended), Real: strconv.Itoa(real)}
	if intended != real {
		r.State = rowDiffers
		r.Short = "the nonce window differs"
		r.Explain = fmt.Sprintf("Set the nonce window to %d on the website, or change it in step 3. It matters only when two programs share the key.", intended)
	}
	return r
}

func yesNo(b bool) string {
	if b {
		return yes
	}
	return no
}

func ipText(ips []string) string {
	if len(ips) == 0 {
		return "any IP address"
	}
	return strings.Join(ips, ", ")
}

func dateText(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "never"
	}
	return t.In(loc).Format(dateLayout)
}

// lowerFirst turns a catalogue meaning ("See your balances.") into the end
// of a sentence ("see your balances.").
func lowerFirst(s string) string {
	if s == "" {
		return "do what it needs."
	}
	return strings.ToLower(s[:1]) + s[1:]
}
