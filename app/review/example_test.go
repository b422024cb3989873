package review_test

import (
	"fmt"
	"time"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

func ExampleFindings() {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	r := vault.Record{
		ID:       "k1",
		Name:     "api-key-1605316109249",
		Purpose:  vault.PurposeTaxImport,
		UsedBy:   []string{"Koinly"},
		Intended: vault.PurposeTaxImport.LeastPermissions(),
		Created:  now.AddDate(0, 0, -10),
		Status:   vault.StatusActive,
	}
	// The check finds Withdraw ticked on the website by mistake.
	info := &kraken.KeyInfo{Name: r.Name, Permissions: append(r.Intended, kraken.WithdrawFunds), LastUsed: now.Add(-time.Hour)}
	rb := vault.ReadbackFromInfo(info, now)
	r.LastCheck = &rb

	for _, f := range review.Findings(r, nil, now) {
		fmt.Printf("%-8s %s\n", f.Severity, f.Title)
	}
	fmt.Println(review.State(r, now))
	// Output:
	// critical The key can move money out, which you did not mean
	// critical The key can withdraw from any IP address
	// warning  No expiry date
	// info     The name does not say what the key is for
	// problem
}

func ExampleEvents() {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	r := vault.Record{
		ID:           "k2",
		Name:         "freqtrade-vps",
		Purpose:      vault.PurposeTradingBot,
		Intended:     vault.PurposeTradingBot.LeastPermissions(),
		Restrictions: vault.Restrictions{Expires: now.AddDate(0, 0, 5)},
		Created:      now.AddDate(0, 0, -10),
		Status:       vault.StatusActive,
	}
	for _, e := range review.Events(r, now) {
		fmt.Println(e.ID, e.At.Format(time.DateOnly), e.Title)
	}
	next, _ := review.NextEvent([]vault.Record{r}, now)
	fmt.Println("wake up at", next.Format(time.DateOnly))
	// Its 30-day review would fall after its expiry: it moves to the expiry,
	// whose reminders take its place.
	fmt.Println("next review", review.NextReview(r, now).Format(time.DateOnly))
	// Output:
	// k2/expiry-7d/2026-03-15 2026-03-08 Key “freqtrade-vps” expires in 5 days
	// k2/expiry-1d/2026-03-15 2026-03-14 Key “freqtrade-vps” expires in 1 day
	// k2/expired/2026-03-15 2026-03-15 Key “freqtrade-vps” has expired
	// wake up at 2026-03-14
	// next review 2026-03-15
}
