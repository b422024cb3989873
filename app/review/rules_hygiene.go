package review

import (
	"fmt"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// services returns the record's distinct services, compared without case
// and surrounding spaces, in the order first given.
func services(r vault.Record) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range r.UsedBy {
		s = strings.TrimSpace(s)
		k := strings.ToLower(s)
		if s == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	return out
}

// sharedKey: one key is held by several services, so a breach at any of
// them means replacing it everywhere. A warning when the key can trade or
// move money, info for a read-only key.
func sharedKey(r vault.Record, _ *Index, _ time.Time) []Finding {
	svc := services(r)
	if len(svc) < 2 {
		return nil
	}
	sev := Info
	if kraken.MaxRisk(EffectivePermissions(r)) > kraken.RiskRead {
		sev = Warning
	}
	return []Finding{{
		Code:     CodeSharedKey,
		Severity: sev,
		Title:    fmt.Sprintf("One key for %d services", len(svc)),
		Detail: fmt.Sprintf("It is used by %s. If one of them is breached, you must revoke the key and set all of them up again, and you cannot tell which one leaked it.",
			andList(svc)),
		NextStep: "Make a separate key for each service (Rotate, once per service), then revoke this one. One breach then means one revocation.",
	}}
}

// ManyKeys is how many keys one account may have before Keywarden suggests
// clearing some out.
const ManyKeys = 10

// manyKeys: more than ManyKeys keys that are not retired (active or parked:
// both still work on the exchange) share the record's account label,
// compared without case. The record itself counts even when the index
// lacks it.
func manyKeys(r vault.Record, x *Index, _ time.Time) []Finding {
	if x == nil {
		return nil
	}
	account := accountKey(r.Account)
	n := x.liveByAccount[account]
	if o, ok := x.byID[r.ID]; !ok || o.Retired() || accountKey(o.Account) != account {
		n++
	}
	if n <= ManyKeys {
		return nil
	}
	where := "without an account label"
	if account != "" {
		where = "on account “" + strings.TrimSpace(r.Account) + "”"
	}
	return []Finding{{
		Code:     CodeManyKeys,
		Severity: Info,
		Title:    fmt.Sprintf("%d keys on one account", n),
		Detail:   fmt.Sprintf("%d keys %s still work on the exchange. Every one of them is something that can leak.", n, where),
		NextStep: "Revoke the keys nothing uses any more; the unused-key findings point at them.",
	}}
}

// defaultName: the key's name here, or on the exchange, is the website's
// default or as generic.
func defaultName(r vault.Record, _ *Index, now time.Time) []Finding {
	var generic []string
	switch {
	case strings.TrimSpace(r.Name) == "":
		generic = append(generic, "nothing here")
	case LooksDefaultName(r.Name):
		generic = append(generic, fmt.Sprintf("“%s” here", r.Name))
	}
	if rb := exactCheck(r); rb != nil && rb.Name != r.Name && LooksDefaultName(rb.Name) {
		generic = append(generic, fmt.Sprintf("“%s” on the exchange", rb.Name))
	}
	if len(generic) == 0 {
		return nil
	}
	service := ""
	if svc := services(r); len(svc) > 0 {
		service = svc[0]
	}
	month := r.Created
	if month.IsZero() {
		month = now
	}
	return []Finding{{
		Code:     CodeDefaultName,
		Severity: Info,
		Title:    "The name does not say what the key is for",
		Detail:   fmt.Sprintf("It is called %s. When a service is breached, a name that says where the key is used lets you find and revoke it in seconds.", andList(generic)),
		NextStep: fmt.Sprintf("Rename it here and on the Kraken website, for example to “%s”.", SuggestName(service, r.Purpose, month)),
	}}
}
