// Command seed writes a key list of N made-up keys into a folder, for make
// bench-idle: a mix of purposes and states, every one checked an hour ago
// (so no background check falls due during a run), some due for review or
// expiring so the tray has something to show. No secret is stored: the
// keys exist nowhere but in this list. With "watch", one more key, a
// read-only one Kraken confirmed, watches the account (activity.json), so
// the tray part polls its ledger on its timer.
//
//	go run ./.ci/bench/seed DIR N [watch]
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

func main() {
	if len(os.Args) < 3 || len(os.Args) > 4 || len(os.Args) == 4 && os.Args[3] != "watch" {
		fmt.Fprintln(os.Stderr, "usage: seed DIR N [watch]")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "seed: N must be a positive number")
		os.Exit(2)
	}
	store, err := vault.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
	now := time.Now().Truncate(time.Second)
	const day = 24 * time.Hour
	purposes := []vault.Purpose{vault.PurposeTaxImport, vault.PurposeDashboard, vault.PurposeTradingBot}
	services := []string{"Koinly", "CoinTracker", "freqtrade", "Hummingbot", "my script"}
	err = store.Update(func(d *vault.Data) error {
		for i := range n {
			p := purposes[i%len(purposes)]
			perms := p.LeastPermissions()
			created := now.Add(-time.Duration(10+i*7) * day) // some past their review interval
			r := vault.Record{
				ID: vault.NewID(), Name: fmt.Sprintf("bench-key-%02d", i+1), Account: "bench@example.com",
				Purpose: p, UsedBy: []string{services[i%len(services)]}, Intended: perms,
				TwoFA: vault.TwoFANone, Status: vault.StatusActive, Created: created, KeyHint: fmt.Sprintf("%04d", i),
				Restrictions: vault.Restrictions{Expires: now.Add(time.Duration(20+i*15) * day), IPAllowlist: []string{"203.0.113.7"}},
			}
			r.LastCheck = &vault.Readback{At: now.Add(-time.Hour), Outcome: vault.OutcomeOK, Name: r.Name,
				Permissions: perms, Created: created, LastUsed: now.Add(-2 * time.Hour),
				IPAllowlist: r.Restrictions.IPAllowlist, ValidUntil: r.Restrictions.Expires}
			r.AddEvent(created, vault.EventAdded, "")
			r.AddEvent(r.LastCheck.At, vault.EventChecked, "")
			if _, err := d.Add(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && len(os.Args) == 4 {
		err = seedWatch(store, now)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

// seedWatch adds a watch key, as `keywarden watch` leaves it: read-only,
// confirmed by Kraken an hour ago, the account's watch key since then.
func seedWatch(store *vault.Store, now time.Time) error {
	perms := []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}
	created := now.Add(-time.Hour)
	r := vault.Record{
		ID: vault.NewID(), Name: "bench-watch", Account: "bench@example.com", Purpose: vault.PurposeWatch,
		Intended: perms, TwoFA: vault.TwoFANone, Status: vault.StatusActive, Created: created, KeyHint: "watc",
		Restrictions: vault.Restrictions{IPAllowlist: []string{"203.0.113.7"}},
	}
	r.LastCheck = &vault.Readback{At: created, Outcome: vault.OutcomeOK, Name: r.Name, Permissions: perms,
		Created: created, IPAllowlist: r.Restrictions.IPAllowlist}
	r.AddEvent(created, vault.EventAdded, "")
	if err := store.Update(func(d *vault.Data) error { _, err := d.Add(r); return err }); err != nil {
		return err
	}
	return keys.OpenActivity(store.Dir()).Update(func(st *keys.ActivityState) error {
		st.Watches = append(st.Watches, keys.AccountWatch{Account: r.Account, KeyID: r.ID, Since: created})
		return nil
	})
}
