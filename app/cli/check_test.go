package cli_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func TestCheck_ExitCodes(t *testing.T) {
	cases := []struct {
		name string
		// setup adds keys and returns the arguments after "check".
		setup    func(f *fixture) []string
		wantCode int
		wantOut  []string
	}{
		{
			name: "exit 0 when every key is as intended",
			setup: func(f *fixture) []string {
				f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
				f.add("cointracker-tax", taxPerms, "--purpose", "tax", "--used-by", "CoinTracker")
				return nil
			},
			wantCode: 0, wantOut: []string{"koinly-tax: ok", "cointracker-tax: ok", "Checked 2 keys: 0 need attention, 0 could not be checked."},
		},
		{
			name: "exit 3 when a permission was ticked on the website since",
			setup: func(f *fixture) []string {
				_, k := f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
				f.ex.UpdateKey(k.APIKey, func(k *krakentest.Key) { k.Permissions = append(k.Permissions, kraken.WithdrawFunds) })
				return []string{"--all"}
			},
			wantCode: 3, wantOut: []string{"+ granted but not intended: Funds – Withdraw", "[critical]", "1 needs attention"},
		},
		{
			name: "exit 3 when the exchange no longer knows a key",
			setup: func(f *fixture) []string {
				f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
				_, k := f.add("cointracker-tax", taxPerms, "--purpose", "tax", "--used-by", "CoinTracker")
				f.ex.DeleteKey(k.APIKey)
				return []string{"KOINLY-TAX", "cointracker-tax"}
			},
			wantCode: 3, wantOut: []string{"cointracker-tax: invalid key", "The exchange no longer knows this key"},
		},
		{
			name: "exit 1 when the exchange cannot be reached",
			setup: func(f *fixture) []string {
				f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
				f.ex.Close()
				return []string{"koinly-tax"}
			},
			wantCode: 1, wantOut: []string{"koinly-tax: failed", "Kraken could not be reached", "1 could not be checked"},
		},
		{
			name: "exit 1 for a name no key has",
			setup: func(f *fixture) []string {
				f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
				return []string{"koinly"}
			},
			wantCode: 1,
		},
		{
			name: "exit 2 for --all with names",
			setup: func(f *fixture) []string {
				return []string{"--all", "koinly-tax"}
			},
			wantCode: 2,
		},
		{
			name: "exit 1 for a revoked key named on purpose",
			setup: func(f *fixture) []string {
				_, k := f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
				f.ex.DeleteKey(k.APIKey)
				if res := f.run("", "revoke", "koinly-tax"); res.code != 0 {
					f.t.Fatalf("revoke: %v", res)
				}
				return []string{"koinly-tax"}
			},
			wantCode: 1, wantOut: []string{"not checked: it is revoked"},
		},
		{
			name: "a key with typed 2FA is skipped without a code, and --all still exits 0",
			setup: func(f *fixture) []string {
				f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
				seed := newSeed(f.t)
				k := f.exchangeKey(krakentest.Key{Permissions: taxPerms, OTPSecret: seed})
				code, _ := totp.GenerateCode(seed, time.Now())
				if res := f.run(stdinFor(k), "add", "--name", "cointracker-tax", "--purpose", "tax", "--used-by", "CoinTracker", "--otp", code); res.code != 0 {
					f.t.Fatalf("add: %v", res)
				}
				return nil
			},
			wantCode: 0, wantOut: []string{"cointracker-tax: not checked: it has 2FA: give its current code in KEYWARDEN_OTP, or with --otp - on standard input."},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			args := tc.setup(f)
			res := f.run("", append([]string{"check"}, args...)...)
			if res.code != tc.wantCode {
				t.Fatalf("exit %d, want %d: %v", res.code, tc.wantCode, res)
			}
			for _, want := range tc.wantOut {
				if !strings.Contains(res.out, want) {
					t.Errorf("output lacks %q:\n%v", want, res)
				}
			}
			if tc.wantCode == 1 && res.err == "" && !strings.Contains(res.out, "could not") {
				t.Errorf("exit 1 without saying why: %v", res)
			}
		})
	}
}

func TestCheck_JSON(t *testing.T) {
	f := newFixture(t)
	f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
	_, k := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
	f.ex.UpdateKey(k.APIKey, func(k *krakentest.Key) { k.Permissions = append(k.Permissions, kraken.WithdrawFunds) })

	res := f.run("", "check", "--json")
	if res.code != 3 {
		t.Fatalf("exit %d, want 3: %v", res.code, res)
	}
	var got struct {
		CheckedAt time.Time `json:"checkedAt"`
		Results   []struct {
			ID, Name  string
			Outcome   vault.Outcome
			Attention bool `json:"needsAttention"`
			Readback  vault.Readback
			Drift     *struct{ Extra, Missing []kraken.Permission }
			Findings  []struct{ Code, Severity, Title, NextStep string }
		}
		NeedAttention int
		Failed        int
		Saved         bool
		ExitCode      int
	}
	if err := json.Unmarshal([]byte(res.out), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, res.out)
	}
	if len(got.Results) != 2 || got.NeedAttention != 1 || got.Failed != 0 || !got.Saved || got.ExitCode != 3 {
		t.Fatalf("summary %+v", got)
	}
	for _, r := range got.Results {
		if r.Outcome != vault.OutcomeOK || r.ID == "" {
			t.Errorf("%s: outcome %q", r.Name, r.Outcome)
		}
		switch r.Name {
		case "koinly-tax":
			if r.Attention || len(r.Drift.Extra)+len(r.Drift.Missing) != 0 {
				t.Errorf("koinly-tax: attention %v, drift %+v", r.Attention, r.Drift)
			}
		case "freqtrade-vps":
			if !r.Attention || !slices.Equal(r.Drift.Extra, []kraken.Permission{kraken.WithdrawFunds}) {
				t.Errorf("freqtrade-vps: attention %v, drift %+v", r.Attention, r.Drift)
			}
			i := slices.IndexFunc(r.Findings, func(f struct{ Code, Severity, Title, NextStep string }) bool { return f.Code == "extra-permissions" })
			if i < 0 || r.Findings[i].Severity != "critical" || r.Findings[i].NextStep == "" {
				t.Errorf("freqtrade-vps findings %+v", r.Findings)
			}
		default:
			t.Errorf("unexpected key %q", r.Name)
		}
	}
}

func TestCheck_SavesEveryResult(t *testing.T) {
	t.Run("each readback is stored with a checked event, and drift with a drift event", func(t *testing.T) {
		f := newFixture(t)
		f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
		_, k := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		f.ex.UpdateKey(k.APIKey, func(k *krakentest.Key) { k.Permissions = botPerms[:2] })
		later := time.Now().Add(time.Hour)
		f.now = func() time.Time { return later }
		f.run("", "check")
		for name, want := range map[string][]vault.EventKind{
			"koinly-tax":    {vault.EventChecked, vault.EventAdded, vault.EventChecked},
			"freqtrade-vps": {vault.EventChecked, vault.EventAdded, vault.EventChecked, vault.EventDrift},
		} {
			r := f.record(name)
			if got := eventKinds(r); !slices.Equal(got, want) {
				t.Errorf("%s: history %v, want %v", name, got, want)
			}
			if r.LastCheck == nil || !r.LastCheck.At.Equal(later) {
				t.Errorf("%s: last check %+v, want one at %v", name, r.LastCheck, later)
			}
		}
	})

	t.Run("a change another Keywarden makes while the check runs is kept", func(t *testing.T) {
		f := newFixture(t)
		f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
		f.add("cointracker-tax", taxPerms, "--purpose", "tax", "--used-by", "CoinTracker")
		f.ex.ResetCalls()
		f.ex.SetLatency(300 * time.Millisecond)

		var res result
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			res = f.run("", "check", "koinly-tax")
		}()
		// The exchange records a call before its latency: the check has
		// read the store by then and waits for the answer.
		deadline := time.Now().Add(5 * time.Second)
		for len(f.ex.Calls()) == 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		f.update(func(d *vault.Data) error {
			for _, name := range []string{"cointracker-tax", "koinly-tax"} {
				r, err := d.ByName(name)
				if err != nil {
					return err
				}
				r.Notes = "edited meanwhile"
			}
			return nil
		})
		wg.Wait()
		if res.code != 0 {
			t.Fatalf("check: %v", res)
		}
		for _, name := range []string{"cointracker-tax", "koinly-tax"} {
			if r := f.record(name); r.Notes != "edited meanwhile" {
				t.Errorf("%s: the other change was lost", name)
			}
		}
		if n := len(f.record("koinly-tax").History); n != 3 {
			t.Errorf("koinly-tax has %d events, want 3 (the check was not saved)", n)
		}
	})
}

func TestCheck_Parallel(t *testing.T) {
	const n, latency = 12, 250 * time.Millisecond
	f := newFixture(t)
	for i := range n {
		f.add(fmt.Sprintf("tracker-%02d", i), taxPerms, "--purpose", "tax", "--used-by", fmt.Sprintf("tracker %d", i))
	}
	f.ex.SetLatency(latency)
	start := time.Now()
	res := f.run("", "check", "--all")
	took := time.Since(start)
	if res.code != 0 {
		t.Fatalf("check: %v", res)
	}
	if took > 4*latency {
		t.Errorf("checking %d keys took %v, want about one round trip (%v): they are not checked in parallel", n, took, latency)
	}
}
