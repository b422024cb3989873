package review

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

func TestFindings_HealthyKeysHaveNone(t *testing.T) {
	for _, r := range []vault.Record{taxKey(), botKey()} {
		if got := Findings(r, []vault.Record{taxKey(), botKey()}, now); len(got) != 0 {
			t.Errorf("%s: findings %v, want none", r.Name, codes(got))
		}
	}
}

func TestFindings_SortedBySeverity(t *testing.T) {
	r := taxKey(func(r *vault.Record) {
		r.Name = "api-key-1605316109249"                                   // info
		r.LastCheck.Permissions = append(r.Intended, kraken.WithdrawFunds) // critical drift, critical no IP list
		r.Created = now.Add(-200 * day)                                    // review due: warning
	})
	got := Findings(r, nil, now)
	if len(got) < 4 {
		t.Fatalf("findings %v, want at least 4", codes(got))
	}
	if !slices.IsSortedFunc(got, func(a, b Finding) int { return int(b.Severity - a.Severity) }) {
		t.Errorf("not sorted by severity: %v", got)
	}
	if got[0].Severity != Critical || got[len(got)-1].Severity != Info {
		t.Errorf("first %v, last %v; want critical first and info last", got[0].Severity, got[len(got)-1].Severity)
	}
}

func TestFindings_ExtraPermissions(t *testing.T) {
	testRule(t, CodeExtraPermissions, []findingCase{
		{name: "an extra permission that can move money out is critical",
			r:    taxKey(func(r *vault.Record) { r.LastCheck.Permissions = append(r.Intended, kraken.WithdrawFunds) }),
			want: Critical},
		{name: "an extra permission of unknown code counts as moving money out",
			r:    taxKey(func(r *vault.Record) { r.LastCheck.Permissions = append(r.Intended, "teleport-funds") }),
			want: Critical},
		{name: "an extra trading permission is a warning",
			r:    taxKey(func(r *vault.Record) { r.LastCheck.Permissions = append(r.Intended, kraken.ModifyTrades) }),
			want: Warning},
		{name: "an extra read permission is a warning",
			r:    taxKey(func(r *vault.Record) { r.LastCheck.Permissions = append(r.Intended, kraken.CreateWSToken) }),
			want: Warning},
		{name: "the same permissions in another order are no drift",
			r: taxKey(func(r *vault.Record) {
				r.LastCheck.Permissions = perms(kraken.ExportData, kraken.QueryLedger, kraken.QueryClosedTrades, kraken.QueryFunds)
			}),
			want: none},
		{name: "an extra permission the probes could not tell is ignored",
			r: taxKey(func(r *vault.Record) {
				r.LastCheck.Probed = true
				r.LastCheck.Unknown = perms(kraken.EarnFunds)
				r.LastCheck.Permissions = append(r.Intended, kraken.EarnFunds)
			}),
			want: none},
		{name: "a probed extra permission that probes can tell counts",
			r: taxKey(func(r *vault.Record) {
				r.LastCheck.Probed = true
				r.LastCheck.Unknown = perms(kraken.EarnFunds)
				r.LastCheck.Permissions = append(r.Intended, kraken.WithdrawFunds)
			}),
			want: Critical},
		{name: "no readback, no drift", r: taxKey(noCheck), want: none},
		{name: "an invalid-key readback has no permissions to compare",
			r: taxKey(func(r *vault.Record) {
				r.LastCheck = &vault.Readback{At: now, Outcome: vault.OutcomeInvalidKey}
			}),
			want: none},
	})
}

func TestFindings_MissingPermissions(t *testing.T) {
	testRule(t, CodeMissingPermissions, []findingCase{
		{name: "a permission missing on the exchange is a warning",
			r:    taxKey(func(r *vault.Record) { r.LastCheck.Permissions = perms(kraken.QueryFunds, kraken.QueryLedger) }),
			want: Warning},
		{name: "a permission the probes could not tell is not missing",
			r: taxKey(func(r *vault.Record) {
				r.Intended = append(r.Intended, kraken.EarnFunds)
				r.Purpose = vault.PurposeCustom
				r.LastCheck.Probed = true
				r.LastCheck.Unknown = perms(kraken.EarnFunds)
			}),
			want: none},
		{name: "a readback that matches has nothing missing", r: taxKey(), want: none},
		{name: "a failed check is not taken as missing everything",
			r: taxKey(func(r *vault.Record) {
				r.LastCheck = &vault.Readback{At: now, Outcome: vault.OutcomeError, Problem: "timeout"}
			}),
			want: none},
	})
}

func TestFindings_WithdrawWithoutIPAllowlist(t *testing.T) {
	withdrawing := func(p kraken.Permission) func(r *vault.Record) {
		return func(r *vault.Record) {
			r.Purpose = vault.PurposeCustom
			r.Intended = append(r.Intended, p)
			r.LastCheck.Permissions = r.Intended
		}
	}
	testRule(t, CodeWithdrawWithoutIPAllowlist, []findingCase{
		{name: "withdraw without an allow-list is critical", r: taxKey(withdrawing(kraken.WithdrawFunds)), want: Critical},
		{name: "adding withdrawal addresses without an allow-list is critical", r: taxKey(withdrawing(kraken.AddWithdrawAddress)), want: Critical},
		{name: "updating withdrawal addresses without an allow-list is critical", r: taxKey(withdrawing(kraken.UpdateWithdrawAddress)), want: Critical},
		{name: "withdraw with the exchange's allow-list is fine",
			r:    taxKey(withdrawing(kraken.WithdrawFunds), func(r *vault.Record) { r.LastCheck.IPAllowlist = []string{"198.51.100.0/24"} }),
			want: none},
		{name: "an intended allow-list the exchange does not have does not count",
			r:    taxKey(withdrawing(kraken.WithdrawFunds), func(r *vault.Record) { r.Restrictions.IPAllowlist = []string{"198.51.100.0/24"} }),
			want: Critical},
		{name: "without a readback the intended allow-list counts",
			r:    taxKey(withdrawing(kraken.WithdrawFunds), noCheck, func(r *vault.Record) { r.Restrictions.IPAllowlist = []string{"198.51.100.7"} }),
			want: none},
		{name: "without a readback the intended permissions count", r: taxKey(withdrawing(kraken.WithdrawFunds), noCheck), want: Critical},
		{name: "an unintended withdraw found on the exchange counts",
			r:    taxKey(func(r *vault.Record) { r.LastCheck.Permissions = append(r.Intended, kraken.WithdrawFunds) }),
			want: Critical},
		{name: "a trading key without an allow-list is not this rule",
			r:    botKey(func(r *vault.Record) { r.LastCheck.IPAllowlist = nil; r.Restrictions.IPAllowlist = nil }),
			want: none},
	})
}

func TestFindings_NoExpiry(t *testing.T) {
	testRule(t, CodeNoExpiry, []findingCase{
		{name: "a trading key that never expires is a warning",
			r:    botKey(func(r *vault.Record) { r.LastCheck.ValidUntil = time.Time{}; r.Restrictions.Expires = time.Time{} }),
			want: Warning},
		{name: "a trading key with an expiry date is fine", r: botKey(), want: none},
		{name: "a read-only key may live without expiry", r: taxKey(), want: none},
		{name: "the exchange's missing expiry wins over the intended one",
			r:    botKey(func(r *vault.Record) { r.LastCheck.ValidUntil = time.Time{} }),
			want: Warning},
		{name: "the exchange's expiry wins over none intended",
			r:    botKey(func(r *vault.Record) { r.Restrictions.Expires = time.Time{} }),
			want: none},
		{name: "a probed readback does not know the expiry, so the intended one counts",
			r:    botKey(func(r *vault.Record) { r.LastCheck.Probed = true; r.LastCheck.ValidUntil = time.Time{} }),
			want: none},
		{name: "a read-only key that the exchange says can withdraw needs one",
			r:    taxKey(func(r *vault.Record) { r.LastCheck.Permissions = append(r.Intended, kraken.WithdrawFunds) }),
			want: Warning},
	})
}

func TestFindings_Unused(t *testing.T) {
	lastUsed := func(ago time.Duration) func(r *vault.Record) {
		return func(r *vault.Record) { r.LastCheck.LastUsed = now.Add(-ago) }
	}
	neverUsed := func(createdAgo time.Duration) func(r *vault.Record) {
		return func(r *vault.Record) {
			r.LastCheck.LastUsed = time.Time{}
			r.LastCheck.Created = now.Add(-createdAgo)
		}
	}
	testRule(t, CodeUnused, []findingCase{
		{name: "a read-only key unused for exactly 90 days is info", r: taxKey(lastUsed(90 * day)), want: Info},
		{name: "a read-only key unused for a second less than 90 days is fine", r: taxKey(lastUsed(90*day - time.Second)), want: none},
		{name: "a trading key unused for 120 days is a warning", r: botKey(lastUsed(120 * day)), want: Warning},
		{name: "a key never used since it was created on the exchange 90 days ago", r: taxKey(neverUsed(90 * day)), want: Info},
		{name: "a key never used but created on the exchange 89 days ago is fine", r: taxKey(neverUsed(89 * day)), want: none},
		{name: "a key never used falls back to when it was added",
			r:    taxKey(neverUsed(0), func(r *vault.Record) { r.LastCheck.Created = time.Time{}; r.Created = now.Add(-100 * day) }),
			want: Info},
		{name: "a last use that is Keywarden's own check tells nothing",
			r: taxKey(func(r *vault.Record) {
				r.LastCheck.At = now.Add(-100 * day)
				r.LastCheck.LastUsed = now.Add(-100*day + 2*time.Second)
			}),
			want: none},
		{name: "a last use that is an earlier check of Keywarden's tells nothing",
			r: taxKey(func(r *vault.Record) {
				r.AddEvent(now.Add(-95*day), vault.EventChecked, "")
				r.LastCheck.LastUsed = now.Add(-95*day - 3*time.Second)
			}),
			want: none},
		{name: "no readback, no lastUsed", r: taxKey(noCheck, func(r *vault.Record) { r.Created = now.Add(-400 * day) }), want: none},
		{name: "a probed readback has no lastUsed",
			r:    taxKey(lastUsed(200*day), func(r *vault.Record) { r.LastCheck.Probed = true }),
			want: none},
	})
}

func TestFindings_ParkedKeyUsed(t *testing.T) {
	checkedAt := now.Add(-2 * day) // Keywarden's previous check
	parkedAt := now.Add(-10 * day)
	parked := func(lastUsed time.Time, change ...func(r *vault.Record)) vault.Record {
		return taxKey(func(r *vault.Record) {
			r.Status = vault.StatusParked
			r.History = nil
			r.AddEvent(r.Created, vault.EventAdded, "")
			r.AddEvent(parkedAt, vault.EventParked, "")
			r.AddEvent(checkedAt, vault.EventChecked, "")
			r.LastCheck.At = now
			r.AddEvent(now, vault.EventChecked, "")
			r.LastCheck.LastUsed = lastUsed
			for _, c := range change {
				c(r)
			}
		})
	}
	testRule(t, CodeParkedKeyUsed, []findingCase{
		{name: "a use between Keywarden's checks is critical", r: parked(now.Add(-day)), want: Critical},
		{name: "a last use at the previous check is Keywarden's own", r: parked(checkedAt.Add(2 * time.Second)), want: none},
		{name: "a last use a little before the previous check is Keywarden's own, by the clocks' skew",
			r: parked(checkedAt.Add(-5 * time.Second)), want: none},
		{name: "a last use exactly the tolerance after the previous check is still Keywarden's own",
			r: parked(checkedAt.Add(OwnUseTolerance)), want: none},
		{name: "a last use a second beyond the tolerance is someone else's",
			r: parked(checkedAt.Add(OwnUseTolerance + time.Second)), want: Critical},
		{name: "a last use at the current check is Keywarden's own", r: parked(now.Add(time.Second)), want: none},
		{name: "a last use the tolerance before the current check is Keywarden's own",
			r: parked(now.Add(-OwnUseTolerance)), want: none},
		{name: "a last use a second beyond the tolerance before the current check is someone else's",
			r: parked(now.Add(-OwnUseTolerance - time.Second)), want: Critical},
		{name: "a last use minutes after the current check is Keywarden's own, by an exchange clock running ahead",
			r: parked(now.Add(5 * time.Minute)), want: none},
		{name: "a last use before the previous check is old news", r: parked(checkedAt.Add(-time.Hour)), want: none},
		{name: "never used is fine", r: parked(time.Time{}), want: none},
		{name: "without an earlier check, a use after parking is critical",
			r:    parked(now.Add(-5*day), func(r *vault.Record) { r.History = slices.DeleteFunc(r.History, isEarlierCheck) }),
			want: Critical},
		{name: "without an earlier check, a use before parking is fine",
			r:    parked(now.Add(-11*day), func(r *vault.Record) { r.History = slices.DeleteFunc(r.History, isEarlierCheck) }),
			want: none},
		{name: "a use while still active, before it was parked, is fine",
			r: parked(now.Add(-4*day), func(r *vault.Record) {
				r.History = slices.DeleteFunc(r.History, func(e vault.Event) bool { return e.Kind == vault.EventParked })
				r.AddEvent(now.Add(-3*day), vault.EventParked, "")
			}),
			want: none},
		{name: "the event written for the current check is not the previous check",
			r: parked(now.Add(-time.Minute), func(r *vault.Record) {
				r.History = slices.DeleteFunc(r.History, func(e vault.Event) bool { return e.At.Equal(now) })
				r.AddEvent(now.Add(3*time.Second), vault.EventChecked, "")
			}),
			want: Critical},
		{name: "with no previous check and no parked date a use cannot be placed",
			r: parked(now.Add(-day), func(r *vault.Record) {
				r.History = []vault.Event{{At: now, Kind: vault.EventChecked}}
			}),
			want: none},
		{name: "an active key may be used", r: parked(now.Add(-day), func(r *vault.Record) { r.Status = vault.StatusActive }), want: none},
		{name: "a probed readback has no lastUsed", r: parked(now.Add(-day), func(r *vault.Record) { r.LastCheck.Probed = true }), want: none},
		{name: "no readback, nothing to tell", r: parked(now.Add(-day), noCheck), want: none},
	})
}

// isEarlierCheck picks the "checked" events before the current check.
func isEarlierCheck(e vault.Event) bool { return e.Kind == vault.EventChecked && e.At.Before(now) }

func TestFindings_NotOnExchange(t *testing.T) {
	invalid := func(r *vault.Record) { r.LastCheck = &vault.Readback{At: now, Outcome: vault.OutcomeInvalidKey} }
	testRule(t, CodeNotOnExchange, []findingCase{
		{name: "an active key the exchange does not know is critical", r: taxKey(invalid), want: Critical},
		{name: "a parked key the exchange does not know is critical", r: taxKey(invalid, func(r *vault.Record) { r.Status = vault.StatusParked }), want: Critical},
		{name: "a revoked key the exchange does not know is as it should be", r: taxKey(invalid, func(r *vault.Record) { r.Status = vault.StatusRevoked }), want: none},
		{name: "a key the exchange knows is fine", r: taxKey(), want: none},
	})
}

func TestFindings_CheckFailed(t *testing.T) {
	failed := func(r *vault.Record) {
		r.LastCheck = &vault.Readback{At: now, Outcome: vault.OutcomeError, Problem: "The key's 2FA code was wrong."}
	}
	testRule(t, CodeCheckFailed, []findingCase{
		{name: "a failed check is a warning", r: taxKey(failed), want: Warning},
		{name: "a failed check without a message is a warning", r: taxKey(failed, func(r *vault.Record) { r.LastCheck.Problem = "" }), want: Warning},
		{name: "an invalid-key answer is its own finding", r: taxKey(func(r *vault.Record) { r.LastCheck.Outcome = vault.OutcomeInvalidKey }), want: none},
		{name: "a good check is fine", r: taxKey(), want: none},
	})
	t.Run("the detail carries the stored problem", func(t *testing.T) {
		f, _ := findCode(Findings(taxKey(failed), nil, now), CodeCheckFailed)
		if !strings.Contains(f.Detail, "The key's 2FA code was wrong.") {
			t.Errorf("detail %q lacks the problem text", f.Detail)
		}
	})
}

func TestFindings_NonceWindow(t *testing.T) {
	window := func(n int) func(r *vault.Record) { return func(r *vault.Record) { r.LastCheck.NonceWindow = n } }
	testRule(t, CodeNonceWindow, []findingCase{
		{name: "a nonce window on a trading key is info", r: botKey(window(10)), want: Info},
		{name: "a nonce window on a key that can withdraw is a warning",
			r: botKey(window(10), func(r *vault.Record) {
				r.Intended = append(r.Intended, kraken.WithdrawFunds)
				r.LastCheck.Permissions = r.Intended
			}),
			want: Warning},
		{name: "a nonce window on a read-only key is harmless", r: taxKey(window(10)), want: none},
		{name: "no nonce window is fine", r: botKey(), want: none},
		{name: "without a readback the intended window counts",
			r: botKey(noCheck, func(r *vault.Record) { r.Restrictions.NonceWindow = 5 }), want: Info},
		{name: "the exchange's zero window wins over the intended one",
			r: botKey(func(r *vault.Record) { r.Restrictions.NonceWindow = 5 }), want: none},
	})
}

func TestFindings_BeyondPurpose(t *testing.T) {
	testRule(t, CodeBeyondPurpose, []findingCase{
		{name: "a tax key meant to trade is a warning",
			r: taxKey(func(r *vault.Record) {
				r.Intended = append(r.Intended, kraken.ModifyTrades)
				r.LastCheck.Permissions = r.Intended
			}),
			want: Warning},
		{name: "without a readback the intended permissions count",
			r:    taxKey(noCheck, func(r *vault.Record) { r.Intended = append(r.Intended, kraken.ModifyTrades) }),
			want: Warning},
		{name: "an unintended extra is reported as drift, not twice",
			r:    taxKey(func(r *vault.Record) { r.LastCheck.Permissions = append(r.Intended, kraken.ModifyTrades) }),
			want: none},
		{name: "a custom key may hold anything",
			r: taxKey(func(r *vault.Record) {
				r.Purpose = vault.PurposeCustom
				r.Intended = append(r.Intended, kraken.ModifyTrades)
				r.LastCheck.Permissions = r.Intended
			}),
			want: none},
		{name: "a trading bot may use the WebSocket interface",
			r: botKey(func(r *vault.Record) {
				r.Intended = append(r.Intended, kraken.CreateWSToken)
				r.LastCheck.Permissions = r.Intended
			}),
			want: none},
		{name: "a dashboard with fewer permissions than its set is fine",
			r: taxKey(func(r *vault.Record) {
				r.Purpose = vault.PurposeDashboard
				r.Intended = perms(kraken.QueryFunds)
				r.LastCheck.Permissions = r.Intended
			}),
			want: none},
	})
}

func TestFindings_Expiry(t *testing.T) {
	expiresIn := func(d time.Duration) func(r *vault.Record) {
		return func(r *vault.Record) { longLived(r); r.LastCheck.ValidUntil = now.Add(d) }
	}
	// lifetime makes a key added this morning that lives d from today.
	lifetime := func(d time.Duration) func(r *vault.Record) {
		return func(r *vault.Record) { madeToday(r); r.LastCheck.ValidUntil = now.Add(d - 12*time.Hour) }
	}
	parked := func(r *vault.Record) { r.Status = vault.StatusParked }
	testRule(t, CodeExpiringSoon, []findingCase{
		{name: "a 30-day key is not expiring at birth", r: botKey(lifetime(30 * day)), want: none},
		{name: "a 7-day key is not expiring at birth", r: botKey(lifetime(7 * day)), want: none},
		{name: "a 90-day key is not expiring at birth", r: botKey(lifetime(90 * day)), want: none},
		{name: "a 1-day key is not expiring at birth", r: botKey(lifetime(day)), want: none},
		{name: "a 30-day key with 7 days left warns",
			r: botKey(func(r *vault.Record) { r.Created = now.Add(-23 * day); r.LastCheck.ValidUntil = now.Add(7 * day) }), want: Warning},
		{name: "a 30-day key with 8 days left does not yet",
			r: botKey(func(r *vault.Record) { r.Created = now.Add(-22 * day); r.LastCheck.ValidUntil = now.Add(8 * day) }), want: none},
		{name: "31 days ahead is not yet worth a word", r: botKey(expiresIn(31 * day)), want: none},
		{name: "a second beyond 30 days is not yet worth a word", r: botKey(expiresIn(30*day + time.Second)), want: none},
		{name: "exactly 30 days ahead is info", r: botKey(expiresIn(30 * day)), want: Info},
		{name: "a second beyond 7 days is info", r: botKey(expiresIn(7*day + time.Second)), want: Info},
		{name: "exactly 7 days ahead is a warning", r: botKey(expiresIn(7 * day)), want: Warning},
		{name: "a second beyond 1 day is a warning", r: botKey(expiresIn(day + time.Second)), want: Warning},
		{name: "exactly 1 day ahead is critical", r: botKey(expiresIn(day)), want: Critical},
		{name: "an hour ahead is critical", r: botKey(expiresIn(time.Hour)), want: Critical},
		{name: "an expired key is not expiring", r: botKey(expiresIn(0)), want: none},
		{name: "a parked key about to expire is only info", r: botKey(expiresIn(time.Hour), parked), want: Info},
		{name: "the exchange's date wins over the intended one",
			r: botKey(expiresIn(100*day), func(r *vault.Record) { r.Restrictions.Expires = now.Add(3 * day) }), want: none},
		{name: "without a readback the intended date counts",
			r: botKey(noCheck, func(r *vault.Record) { r.Restrictions.Expires = now.Add(3 * day) }), want: Warning},
	})
	testRule(t, CodeExpired, []findingCase{
		{name: "a key that expires right now has expired", r: botKey(expiresIn(0)), want: Warning},
		{name: "a key that expired last week has expired", r: botKey(expiresIn(-7 * day)), want: Warning},
		{name: "a parked key that expired is only info", r: botKey(expiresIn(-7*day), parked), want: Info},
		{name: "a key a second before expiry has not expired", r: botKey(expiresIn(time.Second)), want: none},
	})
}

func TestFindings_ReviewDue(t *testing.T) {
	created := func(ago time.Duration) func(r *vault.Record) {
		return func(r *vault.Record) { r.Created = now.Add(-ago) }
	}
	testRule(t, CodeReviewDue, []findingCase{
		{name: "a read-only key added exactly 90 days ago is due", r: taxKey(created(90 * day)), want: Warning},
		{name: "a read-only key added a second less than 90 days ago is not", r: taxKey(created(90*day - time.Second)), want: none},
		{name: "a trading key added exactly 30 days ago is due", r: botKey(created(30 * day)), want: Warning},
		{name: "a trading key added 29 days ago is not", r: botKey(created(29 * day)), want: none},
		{name: "the last review counts, not when it was added",
			r: taxKey(created(400*day), func(r *vault.Record) { r.LastReviewed = now.Add(-10 * day) }), want: none},
		{name: "a review 90 days ago is due again",
			r: taxKey(created(400*day), func(r *vault.Record) { r.LastReviewed = now.Add(-90 * day) }), want: Warning},
		{name: "the record's own interval wins",
			r: taxKey(created(7*day), func(r *vault.Record) { r.ReviewDays = 7 }), want: Warning},
		{name: "a read-only key that the exchange says can withdraw is due after 30 days",
			r:    taxKey(created(30*day), func(r *vault.Record) { r.LastCheck.Permissions = append(r.Intended, kraken.WithdrawFunds) }),
			want: Warning},
		{name: "a parked key still gets reviewed",
			r: taxKey(created(90*day), func(r *vault.Record) { r.Status = vault.StatusParked }), want: Warning},
		{name: "a record without any date is due now",
			r: taxKey(created(0), func(r *vault.Record) { r.Created = time.Time{} }), want: Warning},
	})
}

func TestFindings_SharedKey(t *testing.T) {
	usedBy := func(s ...string) func(r *vault.Record) { return func(r *vault.Record) { r.UsedBy = s } }
	testRule(t, CodeSharedKey, []findingCase{
		{name: "a read-only key used by two services is info", r: taxKey(usedBy("Koinly", "CoinTracker")), want: Info},
		{name: "a trading key used by two services is a warning", r: botKey(usedBy("freqtrade", "Hummingbot")), want: Warning},
		{name: "one service written twice is one service", r: taxKey(usedBy("Koinly", " koinly ")), want: none},
		{name: "blank entries do not count", r: taxKey(usedBy("Koinly", "", "  ")), want: none},
		{name: "no service recorded is fine", r: taxKey(usedBy()), want: none},
	})
}

func TestFindings_ManyKeys(t *testing.T) {
	keys := func(n int, change ...func(i int, r *vault.Record)) []vault.Record {
		var all []vault.Record
		for i := range n {
			r := taxKey(func(r *vault.Record) { r.ID = string(rune('a' + i)) })
			for _, c := range change {
				c(i, &r)
			}
			all = append(all, r)
		}
		return all
	}
	eleven := keys(11)
	ten := keys(10)
	testRule(t, CodeManyKeys, []findingCase{
		{name: "eleven keys on one account is info", r: eleven[0], all: eleven, want: Info},
		{name: "ten keys on one account is fine", r: ten[0], all: ten, want: none},
		{name: "the record counts itself when the list lacks it", r: taxKey(), all: ten, want: Info},
		{name: "retired keys do not count",
			r: eleven[0], all: keys(11, func(i int, r *vault.Record) {
				if i == 5 {
					r.Status = vault.StatusRevoked
				}
			}), want: none},
		{name: "parked keys count: they still work",
			r: eleven[0], all: keys(11, func(i int, r *vault.Record) {
				if i == 5 {
					r.Status = vault.StatusParked
				}
			}), want: Info},
		{name: "keys on other accounts do not count",
			r: eleven[0], all: keys(11, func(i int, r *vault.Record) {
				if i == 5 {
					r.Account = "business"
				}
			}), want: none},
		{name: "account labels match without case",
			r: eleven[0], all: keys(11, func(i int, r *vault.Record) {
				if i == 5 {
					r.Account = " MAIN"
				}
			}), want: Info},
		{name: "without the other records the rule is skipped", r: eleven[0], all: nil, want: none},
	})
}

func TestFindings_DefaultName(t *testing.T) {
	testRule(t, CodeDefaultName, []findingCase{
		{name: "the website's default name is info",
			r: taxKey(func(r *vault.Record) { r.Name = "api-key-1605316109249"; r.LastCheck.Name = r.Name }), want: Info},
		{name: "a default name on the exchange behind a good local name is info",
			r: taxKey(func(r *vault.Record) { r.LastCheck.Name = "api-key-1605316109249" }), want: Info},
		{name: "a generic local name is info", r: taxKey(func(r *vault.Record) { r.Name = "API key 1" }), want: Info},
		{name: "no name at all is info", r: taxKey(func(r *vault.Record) { r.Name = " " }), want: Info},
		{name: "a descriptive name is fine", r: taxKey(), want: none},
	})
	t.Run("the next step suggests a name from the service and purpose", func(t *testing.T) {
		r := taxKey(func(r *vault.Record) { r.Name = "key" })
		f, _ := findCode(Findings(r, nil, now), CodeDefaultName)
		if want := "koinly-tax-import-2026-02"; !strings.Contains(f.NextStep, want) {
			t.Errorf("next step %q does not suggest %q", f.NextStep, want)
		}
	})
}

func TestFindings_Compromised(t *testing.T) {
	leaked := func(r *vault.Record) {
		r.Status = vault.StatusCompromised
		r.AddEvent(now.Add(-time.Hour), vault.EventCompromised, "")
	}
	testRule(t, CodeCompromised, []findingCase{
		{name: "a leaked key is critical", r: taxKey(leaked), want: Critical},
		{name: "a leaked key that still works is critical", r: taxKey(leaked, func(r *vault.Record) { r.LastCheck.At = now }), want: Critical},
		{name: "a leaked key the exchange no longer accepts is a warning to finish the steps",
			r: taxKey(leaked, func(r *vault.Record) { r.LastCheck = &vault.Readback{At: now, Outcome: vault.OutcomeInvalidKey} }), want: Warning},
		{name: "an invalid-key answer from before the leak does not count",
			r: taxKey(leaked, func(r *vault.Record) {
				r.LastCheck = &vault.Readback{At: now.Add(-2 * time.Hour), Outcome: vault.OutcomeInvalidKey}
			}), want: Critical},
		{name: "an active key is not leaked", r: taxKey(), want: none},
	})
}

func TestFindings_RevokedKeyStillWorks(t *testing.T) {
	revoked := func(r *vault.Record) {
		r.Status = vault.StatusRevoked
		r.AddEvent(now.Add(-time.Hour), vault.EventRevoked, "")
	}
	testRule(t, CodeStillWorks, []findingCase{
		{name: "a successful check after the revocation is critical",
			r: taxKey(revoked, func(r *vault.Record) { r.LastCheck.At = now }), want: Critical},
		{name: "a successful check before the revocation is history",
			r: taxKey(revoked, func(r *vault.Record) { r.LastCheck.At = now.Add(-2 * time.Hour) }), want: none},
		{name: "an invalid-key answer after the revocation confirms it",
			r: taxKey(revoked, func(r *vault.Record) { r.LastCheck = &vault.Readback{At: now, Outcome: vault.OutcomeInvalidKey} }), want: none},
		{name: "without a revocation date a successful check counts",
			r: taxKey(func(r *vault.Record) { r.Status = vault.StatusRevoked }), want: Critical},
		{name: "without a readback there is nothing to tell", r: taxKey(revoked, noCheck), want: none},
		{name: "an active key is not this rule", r: taxKey(), want: none},
	})
}

func TestFindings_RetiredKeysOnlyGetTheirOwnFinding(t *testing.T) {
	// Everything wrong with a live key: withdraw without IP list, no
	// expiry, review long due, default name, shared, unused.
	messy := func(status vault.Status) vault.Record {
		return taxKey(func(r *vault.Record) {
			r.Status = status
			r.Name = "key"
			r.UsedBy = []string{"a", "b"}
			r.Created = now.Add(-400 * day)
			r.Intended = append(r.Intended, kraken.WithdrawFunds)
			r.LastCheck = &vault.Readback{At: now.Add(-300 * day), Outcome: vault.OutcomeInvalidKey}
		})
	}
	tests := []struct {
		name   string
		status vault.Status
		want   []string
	}{
		{"a revoked key gets nothing", vault.StatusRevoked, nil},
		{"a compromised key gets only the leak finding", vault.StatusCompromised, []string{CodeCompromised}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := codes(Findings(messy(tc.status), nil, now)); !slices.Equal(got, tc.want) {
				t.Errorf("findings %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFindings_MissingReadbackUsesIntent(t *testing.T) {
	r := botKey(noCheck, func(r *vault.Record) {
		r.Intended = append(r.Intended, kraken.WithdrawFunds)
		r.Restrictions = vault.Restrictions{}
	})
	got := codes(Findings(r, nil, now))
	want := []string{CodeWithdrawWithoutIPAllowlist, CodeBeyondPurpose, CodeNoExpiry}
	if !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
}

func TestSeverity_String(t *testing.T) {
	tests := []struct {
		s    Severity
		want string
	}{{Info, "info"}, {Warning, "warning"}, {Critical, "critical"}, {Severity(7), "unknown"}}
	for _, tc := range tests {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("Severity(%d).String() = %q, want %q", int(tc.s), got, tc.want)
		}
		if b, _ := tc.s.MarshalText(); string(b) != tc.want {
			t.Errorf("Severity(%d).MarshalText() = %q, want %q", int(tc.s), b, tc.want)
		}
	}
}
