package keys

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/internal/safetext"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// Verdict is what the account watch makes of one ledger entry: whether it
// needs the person's answer, why, and which of their keys could have done it.
type Verdict struct {
	// Ask is true when the entry needs an answer ("was this you?").
	Ask bool `json:"ask"`
	// Why says in plain words why it asks, or why it does not.
	Why string `json:"why"`
	// Permission is the key permission that could make such an entry; ""
	// when no key could (only the website or the app).
	Permission kraken.Permission `json:"permission,omitempty"`
	// Could lists the IDs of the account's keys, not revoked, that hold
	// Permission: the keys whose compromise runbook "Not me" opens.
	Could []string `json:"could,omitempty"`
}

// entryPermission returns the permission a key needs to make an entry of
// this kind, and the verb for "no active key of yours may …". info is true
// for entries nobody's key makes and that move nothing out (rewards,
// adjustments, credits): they never ask.
func entryPermission(e kraken.LedgerEntry) (perm kraken.Permission, verb string, info bool) {
	out := strings.HasPrefix(strings.TrimSpace(e.Amount), "-")
	kind, sub := strings.ToLower(e.Type), strings.ToLower(e.Subtype)
	switch kind {
	case "withdrawal":
		return kraken.WithdrawFunds, "withdraw", false
	case "deposit":
		return kraken.AddFunds, "deposit", false
	case "trade", "margin", "rollover", "settled", "sale", "spend", "receive", "conversion":
		return kraken.ModifyTrades, "trade", false
	case "transfer":
		if strings.Contains(sub, "staking") {
			return kraken.EarnFunds, "stake", false
		}
		return kraken.WithdrawFunds, "transfer funds", false
	case "staking", "earn":
		if !out && (kind == "staking" || sub == "reward" || sub == "") {
			return "", "", true // a reward: nothing left the account
		}
		return kraken.EarnFunds, "stake", false
	case "adjustment", "credit", "dividend", "nft_rebate", "reward", "invite bonus":
		return "", "", true
	}
	// A kind Keywarden does not know: money out asks (fail closed), money
	// in is shown but does not ask.
	return "", "", !out
}

// JudgeEntry holds one ledger entry against what the account's keys are
// for (recs: the keys of the watched account) and the watch's choices:
//   - a withdrawal always asks, unless withdrawals from this account are
//     expected, and then still when it is above the amount set for its
//     asset (an amount Keywarden cannot read asks);
//   - a trade asks when no active key may trade (every trading key parked,
//     leaked or revoked counts as none);
//   - transfers, staking moves and deposits ask by the same rule, with the
//     permission that makes them;
//   - rewards, adjustments and credits never ask; a kind Keywarden does not
//     know asks when money left the account.
//
// It is a pure function of its arguments.
func JudgeEntry(e kraken.LedgerEntry, recs []vault.Record, w AccountWatch) Verdict {
	perm, verb, info := entryPermission(e)
	if info {
		return Verdict{Why: "nothing left the account"}
	}
	v := Verdict{Permission: perm}
	if perm == "" {
		v.Ask, v.Why = true, "money left the account in a way Keywarden does not know"
		return v
	}
	active := false
	for _, r := range recs {
		if r.Status == vault.StatusRevoked || !slices.Contains(review.EffectivePermissions(r), perm) {
			continue
		}
		v.Could = append(v.Could, r.ID)
		if r.Status == vault.StatusActive && !r.Retired() {
			active = true
		}
	}
	if perm == kraken.WithdrawFunds && strings.EqualFold(e.Type, "withdrawal") {
		return judgeWithdrawal(e, w, v)
	}
	switch {
	case active:
		v.Why = "a key of yours may " + verb
	case len(v.Could) > 0:
		v.Ask, v.Why = true, "every key of yours that may "+verb+" is parked, leaked or revoked"
	default:
		v.Ask, v.Why = true, "no key of yours may "+verb
	}
	return v
}

// judgeWithdrawal applies the withdrawal rule.
func judgeWithdrawal(e kraken.LedgerEntry, w AccountWatch, v Verdict) Verdict {
	if !w.WithdrawalsExpected {
		v.Ask, v.Why = true, "withdrawals from this account always ask"
		return v
	}
	limit, ok := w.AskAbove[strings.ToUpper(e.Asset)]
	if !ok {
		limit, ok = w.AskAbove[DisplayAsset(e.Asset)]
	}
	if !ok {
		v.Why = "withdrawals from this account are expected"
		return v
	}
	amount, okAmount := parseAmount(e.Amount)
	max, okLimit := parseAmount(limit)
	if !okAmount || !okLimit {
		v.Ask, v.Why = true, "Keywarden cannot read the amount, so it asks"
		return v
	}
	if amount.Abs(amount).Cmp(max.Abs(max)) > 0 {
		v.Ask, v.Why = true, "above the "+formatAmount(limit)+" "+DisplayAsset(e.Asset)+" you set"
		return v
	}
	v.Why = "an expected withdrawal, within the amount you set"
	return v
}

// parseAmount reads a decimal amount exactly ("-0.5000000000").
func parseAmount(s string) (*big.Rat, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "/eE") {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// formatAmount writes an amount without its sign and trailing zeros
// ("-0.5000000000" gives "0.5"). Text that is no amount is escaped.
func formatAmount(s string) string {
	r, ok := parseAmount(s)
	if !ok {
		return safetext.Line(s)
	}
	out := r.Abs(r).FloatString(10)
	if strings.Contains(out, ".") {
		out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	}
	return out
}

// assetNames are the exchange's codes for common assets and the names
// people know them by.
var assetNames = map[string]string{
	"XXBT": "BTC", "XBT": "BTC", "XXBT.M": "BTC", "XBT.M": "BTC", "XETH": "ETH", "XXRP": "XRP",
	"XLTC": "LTC", "XXLM": "XLM", "XXMR": "XMR", "XZEC": "ZEC", "XXDG": "DOGE", "XDG": "DOGE",
	"ZUSD": "USD", "ZEUR": "EUR", "ZGBP": "GBP", "ZCAD": "CAD", "ZJPY": "JPY", "ZCHF": "CHF", "ZAUD": "AUD",
}

// DisplayAsset returns the name people know an asset by (BTC for XXBT),
// escaped for one line.
func DisplayAsset(code string) string {
	if name, ok := assetNames[strings.ToUpper(code)]; ok {
		return name
	}
	return safetext.Line(code)
}

// EntryWords says what an entry did in a few plain words, for a
// notification or a list: "0.5 BTC withdrawn at 14:02". Times are in loc;
// the date is added when the entry is not from now's day. Every text from
// the exchange is escaped.
func EntryWords(e kraken.LedgerEntry, now time.Time, loc *time.Location) string {
	amount, asset := formatAmount(e.Amount), DisplayAsset(e.Asset)
	out := strings.HasPrefix(strings.TrimSpace(e.Amount), "-")
	var what string
	switch strings.ToLower(e.Type) {
	case "withdrawal":
		what = "withdrawn"
	case "deposit":
		what = "deposited"
	case "trade", "margin", "spend", "receive", "sale", "conversion":
		what = pick(out, "sold", "bought")
	case "transfer":
		what = pick(out, "transferred out", "transferred in")
	case "staking", "earn":
		what = pick(out, "moved to staking", "from staking")
	default:
		what = pick(out, "out", "in") + " (" + safetext.Line(e.Type) + ")"
	}
	at := e.Time.In(loc)
	when := at.Format("15:04")
	if y, m, d := now.In(loc).Date(); at.Year() != y || at.Month() != m || at.Day() != d {
		when = at.Format("2 Jan 15:04")
	}
	return fmt.Sprintf("%s %s %s at %s", amount, asset, what, when)
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}
