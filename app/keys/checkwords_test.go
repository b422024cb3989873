package keys_test

import (
	"context"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

// Issue 25: "Checked 4 keys" with "4 keys could not be checked" said
// neither what happened nor why.
func TestCheckReport_Words_exchangeUnreachable(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"koinly", "cointracker", "freqtrade", "script"} {
		f.add(t, name)
	}
	f.ex.Close() // Kraken cannot be reached
	rep, err := f.svc.CheckAll(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	title, body := rep.Words(0)
	if title != "Could not check the 4 keys" {
		t.Errorf("title = %q, want %q", title, "Could not check the 4 keys")
	}
	for _, want := range []string{"No key could be checked: Kraken could not be reached. Check your internet connection and try again.", "they keep the answers of their last check"} {
		if !strings.Contains(body, want) {
			t.Errorf("body = %q; want it to say %q", body, want)
		}
	}
	if strings.Contains(body, "All look fine") {
		t.Errorf("body = %q: says all is fine when nothing was checked", body)
	}
	lines := rep.LogLines()
	if len(lines) != 1 {
		t.Fatalf("log lines = %q, want one for the one reason", lines)
	}
	for _, want := range []string{"“koinly”", "“cointracker”", "“freqtrade”", "“script”", "Kraken could not be reached"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("log line %q does not name %s", lines[0], want)
		}
	}
}

func TestCheckReport_Words(t *testing.T) {
	ok := func(name string) check.Result {
		return check.Result{Record: vault.Record{ID: name, Name: name}, Readback: vault.Readback{Outcome: vault.OutcomeOK}}
	}
	bad := func(name, problem string, unreached bool) check.Result {
		return check.Result{Record: vault.Record{ID: name, Name: name}, Readback: vault.Readback{Outcome: vault.OutcomeError, Problem: problem, Unreached: unreached}}
	}
	typed := keys.Skipped{Record: vault.Record{ID: "t", Name: "t", TwoFA: vault.TwoFATyped}}
	for _, tt := range []struct {
		name        string
		rep         keys.CheckReport
		attention   int
		title, body string
	}{
		{"all fine", keys.CheckReport{Results: []check.Result{ok("a"), ok("b")}}, 0,
			"Checked 2 keys", "All look fine."},
		{"one needs attention, one needs its code typed", keys.CheckReport{Results: []check.Result{ok("a")}, Skipped: []keys.Skipped{typed}}, 1,
			"Checked 1 key", "Not checked: “t” (its 2FA code must be typed for each check: open Keywarden, select it and press Check now). 1 key needs attention: open Keywarden to see what to do."},
		{"some failed for one reason", keys.CheckReport{Results: []check.Result{ok("a"), bad("b", "Kraken is busy; try again in a minute.", true), bad("c", "Kraken is busy; try again in a minute.", true)}}, 0,
			"Checked 1 of 3 keys", "2 keys could not be checked: Kraken is busy; try again in a minute. That says nothing about the keys themselves: they keep the answers of their last check."},
		{"a key refused: its answer is the news", keys.CheckReport{Results: []check.Result{bad("bot", "Kraken refused the 2FA code", false)}}, 1,
			"Could not check “bot”", "It could not be checked: Kraken refused the 2FA code. 1 key needs attention: open Keywarden to see what to do."},
		{"several reasons: the first, and the log for the rest", keys.CheckReport{Results: []check.Result{bad("a", "No network.", true), bad("b", "Permission denied.", false)}}, -1,
			"Could not check the 2 keys", "No key could be checked, for 2 reasons (the log lists each key). The first, for “a”: No network."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			title, body := tt.rep.Words(tt.attention)
			if title != tt.title || body != tt.body {
				t.Errorf("Words = %q, %q\nwant      %q, %q", title, body, tt.title, tt.body)
			}
		})
	}
}
