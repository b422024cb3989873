package check_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// fixture is a simulated exchange and a vault of secrets wired to a Runner.
type fixture struct {
	ex      *krakentest.Exchange
	secrets *vault.Memory
	runner  *check.Runner
}

func newFixture(t *testing.T, opts ...krakentest.Option) *fixture {
	t.Helper()
	ex := krakentest.New(opts...)
	t.Cleanup(ex.Close)
	secrets := vault.NewMemory()
	return &fixture{ex: ex, secrets: secrets, runner: &check.Runner{Secrets: secrets, BaseURL: ex.URL()}}
}

// add puts k on the exchange and a matching record and secret in the vault.
func (f *fixture) add(t *testing.T, k krakentest.Key, twoFA vault.TwoFA, intended ...kraken.Permission) (vault.Record, krakentest.Key) {
	t.Helper()
	k = f.ex.AddKey(k)
	rec := vault.Record{ID: vault.NewID(), Name: k.Name, Purpose: vault.PurposeCustom, Intended: intended,
		TwoFA: twoFA, Status: vault.StatusActive, KeyHint: vault.KeyHintOf(k.APIKey)}
	s := vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey, OTPSeed: k.OTPSecret, OTPPassword: k.OTPPassword}
	if err := f.secrets.Set(rec.ID, s); err != nil {
		t.Fatal(err)
	}
	return rec, k
}

func TestRunner_Check(t *testing.T) {
	now := time.Now()
	t.Run("a healthy key reads back its permissions and restrictions", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, krakentest.Key{Name: "koinly-tax", Permissions: []kraken.Permission{kraken.QueryLedger, kraken.QueryFunds},
			IPAllowlist: []string{"203.0.113.0/24"}, NonceWindow: 5}, vault.TwoFANone, kraken.QueryFunds, kraken.QueryLedger)
		rb := f.runner.Check(context.Background(), rec, check.Options{}, now)
		if rb.Outcome != vault.OutcomeOK {
			t.Fatalf("outcome %q (%s), want ok", rb.Outcome, rb.Problem)
		}
		if got, want := rb.Permissions, []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}; !equal(got, want) {
			t.Errorf("permissions %v, want %v", got, want)
		}
		if rb.Name != "koinly-tax" || rb.NonceWindow != 5 || len(rb.IPAllowlist) != 1 {
			t.Errorf("readback %+v lacks the key's details", rb)
		}
	})
	t.Run("a key deleted on the website reads back as invalid", func(t *testing.T) {
		f := newFixture(t)
		rec, k := f.add(t, krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFANone)
		f.ex.DeleteKey(k.APIKey)
		rb := f.runner.Check(context.Background(), rec, check.Options{}, now)
		if rb.Outcome != vault.OutcomeInvalidKey {
			t.Fatalf("outcome %q, want invalid-key", rb.Outcome)
		}
		if n := len(f.ex.Calls()); n != 1 {
			t.Errorf("%d calls, want exactly 1 (no retry of an authentication error)", n)
		}
	})
	t.Run("an authenticator seed in the keyring makes a fresh code", func(t *testing.T) {
		f := newFixture(t)
		key, err := totp.Generate(totp.GenerateOpts{Issuer: "Kraken", AccountName: "test"})
		if err != nil {
			t.Fatal(err)
		}
		rec, _ := f.add(t, krakentest.Key{OTPSecret: key.Secret(), Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFASeed)
		if rb := f.runner.Check(context.Background(), rec, check.Options{}, now); rb.Outcome != vault.OutcomeOK {
			t.Fatalf("outcome %q (%s), want ok", rb.Outcome, rb.Problem)
		}
	})
	t.Run("a typed-code key without a code is not sent at all", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, krakentest.Key{OTPPassword: "hunter2-static", Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFATyped)
		rb := f.runner.Check(context.Background(), rec, check.Options{}, now)
		if rb.Outcome != vault.OutcomeError || !strings.Contains(rb.Problem, "code") {
			t.Fatalf("readback %+v, want an error asking for a code", rb)
		}
		if n := len(f.ex.Calls()); n != 0 {
			t.Errorf("%d calls, want none", n)
		}
	})
	t.Run("a wrong typed code explains itself and is not retried", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, krakentest.Key{OTPPassword: "right-password", Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFATyped)
		rb := f.runner.Check(context.Background(), rec, check.Options{OTP: "wrong"}, now)
		if rb.Outcome != vault.OutcomeError || !strings.Contains(rb.Problem, "code") {
			t.Fatalf("readback %+v, want an error about the code", rb)
		}
		if n := len(f.ex.Calls()); n != 1 {
			t.Errorf("%d calls, want 1", n)
		}
	})
	t.Run("without GetApiKeyInfo the permissions come from safe probes", func(t *testing.T) {
		f := newFixture(t, krakentest.WithoutKeyInfo())
		rec, _ := f.add(t, krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds, kraken.ModifyTrades}, Tier: kraken.Pro}, vault.TwoFANone,
			kraken.QueryFunds, kraken.ModifyTrades)
		f.runner.Tier = kraken.Pro
		rb := f.runner.Check(context.Background(), rec, check.Options{}, now)
		if rb.Outcome != vault.OutcomeOK || !rb.Probed {
			t.Fatalf("readback %+v, want a probed ok", rb)
		}
		if got, want := rb.Permissions, []kraken.Permission{kraken.QueryFunds, kraken.ModifyTrades}; !equal(got, want) {
			t.Errorf("permissions %v, want %v", got, want)
		}
		for _, c := range f.ex.Calls() {
			if c.Unsafe {
				t.Errorf("unsafe call %s %v", c.Method, c.Params)
			}
		}
	})
	t.Run("NoProbes makes exactly one call", func(t *testing.T) {
		f := newFixture(t, krakentest.WithoutKeyInfo())
		rec, _ := f.add(t, krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFANone)
		f.runner.Check(context.Background(), rec, check.Options{NoProbes: true}, now)
		if n := len(f.ex.Calls()); n != 1 {
			t.Errorf("%d calls, want 1", n)
		}
	})
	t.Run("no network is an unreached check, which says nothing about the key", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFANone)
		f.ex.Close()
		rb := f.runner.Check(context.Background(), rec, check.Options{}, now)
		if rb.Outcome != vault.OutcomeError || !rb.Unreached {
			t.Fatalf("readback %+v, want an unreached error", rb)
		}
	})
	t.Run("a locked keyring is an unreached check", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFANone)
		f.runner.Secrets = lockedKeyring{}
		rb := f.runner.Check(context.Background(), rec, check.Options{}, now)
		if rb.Outcome != vault.OutcomeError || !rb.Unreached || rb.Problem == "" {
			t.Fatalf("readback %+v, want an unreached error in plain words", rb)
		}
	})
	t.Run("a wrong code or a deleted key is an answer about the key", func(t *testing.T) {
		f := newFixture(t)
		typed, _ := f.add(t, krakentest.Key{OTPPassword: "right-password", Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFATyped)
		deleted, k := f.add(t, krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFANone)
		f.ex.DeleteKey(k.APIKey)
		for _, rb := range []vault.Readback{
			f.runner.Check(context.Background(), typed, check.Options{OTP: "wrong"}, now),
			f.runner.Check(context.Background(), deleted, check.Options{}, now),
		} {
			if rb.Unreached {
				t.Errorf("readback %+v is marked unreached", rb)
			}
		}
	})
	t.Run("a missing secret is a plain-words problem, not a call", func(t *testing.T) {
		f := newFixture(t)
		rec := vault.Record{ID: vault.NewID(), Name: "ghost"}
		rb := f.runner.Check(context.Background(), rec, check.Options{}, now)
		if rb.Outcome != vault.OutcomeError || rb.Problem == "" {
			t.Fatalf("readback %+v, want an error", rb)
		}
		if n := len(f.ex.Calls()); n != 0 {
			t.Errorf("%d calls, want none", n)
		}
	})
}

func TestRunner_CheckAll_runsKeysInParallel(t *testing.T) {
	const keys, latency = 20, 300 * time.Millisecond
	f := newFixture(t, krakentest.WithLatency(latency))
	var recs []vault.Record
	for range keys {
		rec, _ := f.add(t, krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFANone, kraken.QueryFunds)
		recs = append(recs, rec)
	}
	start := time.Now()
	results := f.runner.CheckAll(context.Background(), recs, nil, start)
	elapsed := time.Since(start)
	for i, r := range results {
		if r.Record.ID != recs[i].ID || r.Readback.Outcome != vault.OutcomeOK {
			t.Errorf("result %d: %s %q %s", i, r.Record.ID, r.Readback.Outcome, r.Readback.Problem)
		}
	}
	// Sequential would take keys × latency = 6 s; parallel about one round trip.
	if elapsed > keys*latency/3 {
		t.Errorf("checking %d keys took %v, want about one round trip (%v)", keys, elapsed, latency)
	}
}

func TestApply(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	rec := vault.Record{Intended: []kraken.Permission{kraken.QueryFunds}}
	check.Apply(&rec, vault.Readback{At: now, Outcome: vault.OutcomeOK, Permissions: []kraken.Permission{kraken.QueryFunds, kraken.WithdrawFunds}})
	if rec.LastCheck == nil || !rec.LastCheck.At.Equal(now) {
		t.Fatalf("LastCheck not stored: %+v", rec.LastCheck)
	}
	var kinds []vault.EventKind
	for _, e := range rec.History {
		kinds = append(kinds, e.Kind)
	}
	if len(kinds) != 2 || kinds[0] != vault.EventChecked || kinds[1] != vault.EventDrift {
		t.Fatalf("history %v, want checked then drift", kinds)
	}
	if !strings.Contains(rec.History[1].Note, "withdraw-funds") {
		t.Errorf("drift note %q does not name the extra permission", rec.History[1].Note)
	}

	t.Run("a probed readback does not call undecidable permissions missing", func(t *testing.T) {
		rec := vault.Record{Intended: []kraken.Permission{kraken.QueryFunds, kraken.EarnFunds}}
		check.Apply(&rec, vault.Readback{At: now, Outcome: vault.OutcomeOK, Probed: true,
			Permissions: []kraken.Permission{kraken.QueryFunds}, Unknown: []kraken.Permission{kraken.EarnFunds}})
		if len(rec.History) != 1 {
			t.Errorf("history %+v, want only the check", rec.History)
		}
	})
}

func equal(a, b []kraken.Permission) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// lockedKeyring answers like a keyring that is locked: the one failure of
// the OS keyring a unit test cannot bring about for real.
type lockedKeyring struct{}

func (lockedKeyring) Get(string) (vault.Secret, error) {
	return vault.Secret{}, vault.ErrKeyringUnavailable
}
func (lockedKeyring) Set(string, vault.Secret) error { return vault.ErrKeyringUnavailable }
func (lockedKeyring) Delete(string) error            { return vault.ErrKeyringUnavailable }
