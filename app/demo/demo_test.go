package demo_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/demo"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

func newDemo(t *testing.T) (*demo.Demo, map[string]vault.Record) {
	t.Helper()
	d, err := demo.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	data, err := d.Store.Load()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]vault.Record{}
	for _, r := range data.Records {
		byName[r.Name] = r
	}
	return d, byName
}

func TestNew(t *testing.T) {
	d, recs := newDemo(t)
	now := time.Now()

	t.Run("every state of the keys list has a sample", func(t *testing.T) {
		got := map[review.DisplayState]bool{}
		for _, r := range recs {
			got[review.State(r, now)] = true
		}
		for _, s := range []review.DisplayState{review.StateProblem, review.StateExpiring, review.StateReviewDue,
			review.StateActive, review.StateParked, review.StateRevoked} {
			if !got[s] {
				t.Errorf("no sample is %q", s)
			}
		}
	})

	t.Run("each sample shows what it stands for", func(t *testing.T) {
		all := make([]vault.Record, 0, len(recs))
		for _, r := range recs {
			all = append(all, r)
		}
		want := map[string]string{
			"freqtrade-bot-vps":       review.CodeExtraPermissions,
			"old-portfolio-script":    review.CodeUnused,
			"accointing-tax-2024":     review.CodeNotOnExchange,
			"hummingbot-market-maker": review.CodeExpiringSoon,
			"cointracker-portfolio":   review.CodeReviewDue,
		}
		for name, code := range want {
			r, ok := recs[name]
			if !ok {
				t.Errorf("no sample %q", name)
				continue
			}
			var codes []string
			for _, f := range review.Findings(r, all, now) {
				codes = append(codes, f.Code)
			}
			if !slices.Contains(codes, code) {
				t.Errorf("%s: findings %v lack %s", name, codes, code)
			}
		}
		if got := review.State(recs["koinly-tax-import"], now); got != review.StateActive {
			t.Errorf("koinly-tax-import is %q, want active", got)
		}
	})

	t.Run("checks against the simulated exchange answer as the records say", func(t *testing.T) {
		ctx := context.Background()
		rb := d.Runner.Check(ctx, recs["freqtrade-bot-vps"], check.Options{}, now)
		if extra, _ := review.Drift(recs["freqtrade-bot-vps"].Intended, rb.Permissions); !slices.Equal(extra, []kraken.Permission{kraken.WithdrawFunds}) {
			t.Errorf("drifted key: outcome %q %s, extra %v, want withdraw-funds", rb.Outcome, rb.Problem, extra)
		}
		if rb := d.Runner.Check(ctx, recs["grafana-dashboard-2fa"], check.Options{}, now); rb.Outcome != vault.OutcomeOK {
			t.Errorf("2FA key: outcome %q (%s), want ok from its stored seed", rb.Outcome, rb.Problem)
		}
		if recs["grafana-dashboard-2fa"].TwoFA != vault.TwoFASeed {
			t.Errorf("the 2FA sample has 2FA %q", recs["grafana-dashboard-2fa"].TwoFA)
		}
		if rb := d.Runner.Check(ctx, recs["accointing-tax-2024"], check.Options{}, now); rb.Outcome != vault.OutcomeInvalidKey {
			t.Errorf("deleted key: outcome %q, want invalid-key", rb.Outcome)
		}
	})

	t.Run("a rotation in each state, kept by a check in the demo", func(t *testing.T) {
		want := map[string]review.RotationState{
			"gridbot-2026-06":           review.RotationNotSwitched,
			"freqtrade-eth-2026-06":     review.RotationBothInUse,
			"cointracking-sync-2026-06": review.RotationSwitched,
		}
		verdicts := func(recs map[string]vault.Record) map[string]review.RotationState {
			all := make([]vault.Record, 0, len(recs))
			for _, r := range recs {
				all = append(all, r)
			}
			x := review.NewIndex(all)
			got := map[string]review.RotationState{}
			for name := range want {
				if rot, ok := x.Rotation(recs[name], now); ok {
					got[name] = rot.State
				}
			}
			return got
		}
		if got := verdicts(recs); !maps.Equal(got, want) {
			t.Fatalf("verdicts %v, want %v", got, want)
		}
		all := slices.Collect(maps.Values(recs))
		for name, r := range recs {
			for _, f := range review.Findings(r, all, now) {
				if f.Code == review.CodeManyKeys {
					t.Errorf("%s: %s: the rotations crowd the demo's account", name, f.Title)
				}
			}
		}
		// Check every rotated key in the demo, as Check now would.
		after := maps.Clone(recs)
		for name, r := range recs {
			if r.Replaces == "" && r.ReplacedBy == "" {
				continue
			}
			rb := d.Runner.Check(context.Background(), r, check.Options{}, now.Add(time.Minute))
			if rb.Outcome != vault.OutcomeOK {
				t.Fatalf("%s: %s %s", name, rb.Outcome, rb.Problem)
			}
			check.Apply(&r, rb)
			after[name] = r
		}
		if got := verdicts(after); !maps.Equal(got, want) {
			t.Errorf("after a check in the demo: verdicts %v, want %v", got, want)
		}
	})

	t.Run("every record has history, and retired keys no secret", func(t *testing.T) {
		for name, r := range recs {
			if len(r.History) == 0 {
				t.Errorf("%s has no history", name)
			}
			_, err := d.Secrets.Get(r.ID)
			if r.Retired() != (err != nil) {
				t.Errorf("%s: retired %v, secret error %v", name, r.Retired(), err)
			}
		}
	})
}

func TestNew_refusesAFolderWithKeys(t *testing.T) {
	dir := t.TempDir()
	d, err := demo.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if d, err := demo.New(dir); err == nil {
		d.Close()
		t.Fatal("a second demo in the same folder was accepted")
	}
}

func TestNew_watchAsksAboutTheWithdrawal(t *testing.T) {
	d, recs := newDemo(t)
	if demo.WithdrawalAfter != time.Minute {
		t.Errorf("the withdrawal comes %s in, want a minute", demo.WithdrawalAfter)
	}
	svc := keys.New(keys.Params{Store: d.Store, Secrets: d.Secrets, Runner: d.Runner})
	st, err := svc.Activity()
	if err != nil || len(st.Watches) != 1 || st.Watches[0].KeyID != recs[demo.WatchKeyName].ID {
		t.Fatalf("the demo's watch = %+v, %v; want its watch key", st.Watches, err)
	}
	if why := keys.WatchKeyProblem(recs[demo.WatchKeyName]); why != "" {
		t.Errorf("the demo's watch key would be refused: %s", why)
	}
	d.AddWithdrawal()
	polls, err := svc.PollActivity(context.Background())
	if err != nil || len(polls) != 1 || polls[0].Err != nil || len(polls[0].New) != 1 {
		t.Fatalf("PollActivity = %+v, %v; want one question", polls, err)
	}
	q := polls[0].New[0]
	if !strings.HasPrefix(keys.EntryWords(q.Entry(), time.Now(), time.Local), "0.5 BTC withdrawn at ") {
		t.Errorf("the question is about %q", keys.EntryWords(q.Entry(), time.Now(), time.Local))
	}
	// The bot key that drifted to Withdraw is the one that could have.
	if len(q.Verdict.Could) != 1 || q.Verdict.Could[0] != recs["freqtrade-bot-vps"].ID {
		t.Errorf("keys that could have = %v, want the drifted freqtrade key", q.Verdict.Could)
	}
}
