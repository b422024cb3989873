package demo

import (
	"slices"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// samples returns the demo keys as of now: one for every state the keys
// list shows, each with a realistic service and history.
func samples(now time.Time) []sample {
	ago := func(days int) time.Time { return now.Add(-time.Duration(days) * day) }
	later := func(days int) time.Time { return now.Add(time.Duration(days) * day) }
	vpsIP := []string{"203.0.113.24"}

	tax := vault.PurposeTaxImport.LeastPermissions()
	dash := vault.PurposeDashboard.LeastPermissions()
	bot := vault.PurposeTradingBot.LeastPermissions()
	botDrifted := append(slices.Clone(bot), kraken.WithdrawFunds)
	watch := []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}

	healthy := vault.Restrictions{Expires: later(200)}
	expiring := vault.Restrictions{Expires: later(5), IPAllowlist: []string{"198.51.100.7"}}
	vps := vault.Restrictions{IPAllowlist: vpsIP, Expires: later(300), NonceWindow: 5}
	grafana := vault.Restrictions{IPAllowlist: []string{"192.0.2.0/28"}, Expires: later(250)}

	return append([]sample{
		{
			rec: vault.Record{Name: "koinly-tax-import", Purpose: vault.PurposeTaxImport, UsedBy: []string{"Koinly"},
				Notes: "Connected under Koinly → Wallets → Kraken (API).", Intended: tax, Restrictions: healthy,
				Created: ago(40), LastReviewed: ago(10)},
			key:     exchangeKey(tax, healthy, ago(1)),
			check:   okCheck(ago(1).Add(3*time.Hour), tax, healthy, ago(1)),
			history: []vault.Event{{At: ago(10), Kind: vault.EventReviewed}},
		},
		{
			rec: vault.Record{Name: WatchKeyName, Purpose: vault.PurposeCustom, UsedBy: []string{"Keywarden's account watch"},
				Notes:    "Reads the ledger, nothing else: Keywarden asks about what none of the other keys was meant to do.",
				Intended: watch, Restrictions: healthy, Created: ago(3), LastReviewed: ago(3)},
			key:   exchangeKey(watch, healthy, ago(0)),
			check: okCheck(ago(0).Add(-time.Hour), watch, healthy, ago(0).Add(-time.Hour)),
		},
		{
			rec: vault.Record{Name: "cointracker-portfolio", Purpose: vault.PurposeDashboard, UsedBy: []string{"CoinTracker"},
				Intended: dash, Restrictions: vault.Restrictions{Expires: later(90)},
				Created: ago(160), LastReviewed: ago(100)},
			key:     exchangeKey(dash, vault.Restrictions{Expires: later(90)}, ago(2)),
			check:   okCheck(ago(2).Add(time.Hour), dash, vault.Restrictions{Expires: later(90)}, ago(2)),
			history: []vault.Event{{At: ago(100), Kind: vault.EventReviewed, Note: "still used for the monthly report"}},
		},
		{
			rec: vault.Record{Name: "hummingbot-market-maker", Purpose: vault.PurposeTradingBot, UsedBy: []string{"Hummingbot (home server)"},
				Intended: bot, Restrictions: expiring, Created: ago(85), LastReviewed: ago(12)},
			key:     exchangeKey(bot, expiring, ago(1)),
			check:   okCheck(ago(1).Add(2*time.Hour), bot, expiring, ago(1)),
			history: []vault.Event{{At: ago(12), Kind: vault.EventReviewed}},
		},
		{
			rec: vault.Record{Name: "freqtrade-bot-vps", Purpose: vault.PurposeTradingBot, UsedBy: []string{"freqtrade (VPS)"},
				Notes:    "Runs on the Hetzner VPS; started with `keywarden exec freqtrade-bot-vps -- freqtrade trade`.",
				Intended: bot, Restrictions: vps, Created: ago(50), LastReviewed: ago(20)},
			key:     exchangeKey(botDrifted, vps, ago(0).Add(-2*time.Hour)),
			check:   okCheck(ago(0).Add(-time.Hour), botDrifted, vps, ago(0).Add(-2*time.Hour)),
			history: []vault.Event{{At: ago(20), Kind: vault.EventReviewed}},
		},
		{
			rec: vault.Record{Name: "old-portfolio-script", Purpose: vault.PurposeDashboard, UsedBy: []string{"my balance script"},
				Notes: "Python script from 2024; probably not running any more.", Intended: dash,
				Restrictions: vault.Restrictions{Expires: later(120)}, Created: ago(300), LastReviewed: ago(30)},
			key:     exchangeKey(dash, vault.Restrictions{Expires: later(120)}, ago(150)),
			check:   okCheck(ago(3), dash, vault.Restrictions{Expires: later(120)}, ago(150)),
			history: []vault.Event{{At: ago(30), Kind: vault.EventReviewed}},
		},
		{
			rec: vault.Record{Name: "accointing-tax-2024", Purpose: vault.PurposeTaxImport, UsedBy: []string{"Accointing"},
				Intended: tax, Restrictions: healthy, Created: ago(200), LastReviewed: ago(25)},
			key:     exchangeKey(tax, healthy, ago(60)),
			deleted: true,
			check:   &vault.Readback{At: ago(1), Outcome: vault.OutcomeInvalidKey, Problem: kraken.UserMessage(kraken.ErrInvalidKey)},
			history: []vault.Event{{At: ago(25), Kind: vault.EventReviewed}},
		},
		{
			rec: vault.Record{Name: "grafana-dashboard-2fa", Purpose: vault.PurposeDashboard, UsedBy: []string{"Grafana (home lab)"},
				Notes:    "This key has its own 2FA; the authenticator seed is in the keyring so checks run unattended.",
				Intended: dash, Restrictions: grafana, TwoFA: vault.TwoFASeed, Created: ago(35), LastReviewed: ago(5)},
			key:     exchangeKey(dash, grafana, ago(0).Add(-5*time.Hour)),
			check:   okCheck(ago(0).Add(-4*time.Hour), dash, grafana, ago(0).Add(-5*time.Hour)),
			history: []vault.Event{{At: ago(5), Kind: vault.EventReviewed}},
		},
		{
			rec: vault.Record{Name: "spare-readonly-key", Purpose: vault.PurposeDashboard, UsedBy: []string{"(nothing yet)"},
				Notes: "Kept for checking account activity after a leak.", Intended: dash,
				Restrictions: vault.Restrictions{Expires: later(180)}, Status: vault.StatusParked, Created: ago(45), LastReviewed: ago(15)},
			key:     exchangeKey(dash, vault.Restrictions{Expires: later(180)}, time.Time{}),
			history: []vault.Event{{At: ago(15), Kind: vault.EventParked, Note: "kept for emergencies"}},
		},
		{
			rec: vault.Record{Name: "3commas-bot-2023", Purpose: vault.PurposeTradingBot, UsedBy: []string{"3Commas"},
				Notes: "Revoked after 3Commas reported leaked API keys.", Intended: bot,
				Status: vault.StatusRevoked, Created: ago(700), LastReviewed: ago(400)},
			key:     exchangeKey(bot, vault.Restrictions{}, ago(420)),
			deleted: true,
			check:   &vault.Readback{At: ago(399), Outcome: vault.OutcomeInvalidKey, Problem: kraken.UserMessage(kraken.ErrInvalidKey)},
			history: []vault.Event{
				{At: ago(400), Kind: vault.EventCompromised, Note: "3Commas breach announced"},
				{At: ago(399), Kind: vault.EventRevoked, Note: "deleted on the website; the exchange answered “invalid key”"},
			},
		},
	}, rotations(now)...)
}

// rotations returns three rotations, one in each state the exchange's
// evidence can show (review.RotationOf): a program not switched yet, both
// keys in use, and switched. Each old key is listed before its
// replacement, which names it in replaces. The exchange's lastUsed is a
// program's last use; the last check saw it, so a check made in the demo
// (whose exchange answers with the key as it was before the asking call)
// keeps the verdict.
func rotations(now time.Time) []sample {
	bot := vault.PurposeTradingBot.LeastPermissions()
	tax := vault.PurposeTaxImport.LeastPermissions()
	limits := vault.Restrictions{IPAllowlist: []string{"203.0.113.40"}, Expires: now.Add(200 * day)}
	taxLimits := vault.Restrictions{Expires: now.Add(300 * day)}
	checked := now.Add(-3 * time.Minute)
	pair := func(name, usedBy string, purpose vault.Purpose, perms []kraken.Permission, r vault.Restrictions, saved, oldUsed, newUsed time.Time) []sample {
		old := sample{
			rec: vault.Record{Name: name + "-2026-06", Account: TradingAccount, Purpose: purpose, UsedBy: []string{usedBy}, Intended: perms, Restrictions: r,
				Created: now.Add(-180 * day), LastReviewed: saved},
			key: exchangeKey(perms, r, oldUsed), check: okCheck(checked, perms, r, oldUsed),
		}
		repl := sample{
			rec: vault.Record{Name: name + "-2026-12", Account: TradingAccount, Purpose: purpose, UsedBy: []string{usedBy}, Intended: perms, Restrictions: r,
				Created: saved, LastReviewed: saved},
			key: exchangeKey(perms, r, newUsed), check: okCheck(checked, perms, r, newUsed), replaces: old.rec.Name,
		}
		return []sample{old, repl}
	}
	out := pair("gridbot", "grid bot (Raspberry Pi)", vault.PurposeTradingBot, bot, limits,
		now.Add(-2*time.Hour), now.Add(-7*time.Minute), time.Time{})
	out = append(out, pair("freqtrade-eth", "freqtrade ETH strategy (VPS)", vault.PurposeTradingBot, bot, limits,
		now.Add(-26*time.Hour), now.Add(-5*time.Minute), now.Add(-9*time.Minute))...)
	return append(out, pair("cointracking-sync", "CoinTracking", vault.PurposeTaxImport, tax, taxLimits,
		now.Add(-50*time.Hour), now.Add(-49*time.Hour), now.Add(-20*time.Hour))...)
}
