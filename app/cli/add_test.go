package cli_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func TestAdd(t *testing.T) {
	t.Run("a key that matches its purpose is verified and saved, its secrets in the keyring, a service typed twice kept once", func(t *testing.T) {
		f := newFixture(t)
		k := f.exchangeKey(krakentest.Key{Name: "koinly", Permissions: taxPerms})
		res := f.run(stdinFor(k), "add", "--name", "koinly-tax", "--purpose", "tax-import", "--used-by", "Koinly, CoinTracker, koinly", "--account", "main", "--review-days", "60")
		if res.code != 0 {
			t.Fatalf("add failed: %v", res)
		}
		for _, want := range []string{"Kraken accepted the key", "They match what you intended", `Saved "koinly-tax"`, `On the website it is named "koinly"`} {
			if !strings.Contains(res.out, want) {
				t.Errorf("output lacks %q:\n%v", want, res)
			}
		}
		r := f.record("koinly-tax")
		if r.Purpose != vault.PurposeTaxImport || r.Account != "main" || r.ReviewDays != 60 || r.Status != vault.StatusActive {
			t.Errorf("record %+v", r)
		}
		if !slices.Equal(r.UsedBy, []string{"Koinly", "CoinTracker"}) {
			t.Errorf("used by %q", r.UsedBy)
		}
		if !slices.Equal(r.Intended, taxPerms) {
			t.Errorf("intended %v, want %v", r.Intended, taxPerms)
		}
		if r.KeyHint != k.APIKey[len(k.APIKey)-4:] {
			t.Errorf("key hint %q", r.KeyHint)
		}
		if r.LastCheck == nil || r.LastCheck.Outcome != vault.OutcomeOK {
			t.Errorf("last check %+v", r.LastCheck)
		}
		// The verify step's check comes first, as in the window's wizard.
		if kinds := eventKinds(r); !slices.Equal(kinds, []vault.EventKind{vault.EventChecked, vault.EventAdded}) {
			t.Errorf("history %v", kinds)
		}
		s, err := f.secrets.Get(r.ID)
		if err != nil || s.APIKey != k.APIKey || s.PrivateKey != k.PrivateKey {
			t.Errorf("keyring holds the wrong secret (err %v)", err)
		}
		if n := len(f.ex.Calls()); n != 1 {
			t.Errorf("%d calls to the exchange, want 1 GetApiKeyInfo", n)
		}
	})

	t.Run("differences between --perms and the exchange are shown and recorded", func(t *testing.T) {
		f := newFixture(t)
		k := f.exchangeKey(krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds, kraken.WithdrawFunds}})
		res := f.run(stdinFor(k), "add", "--name", "tracker", "--perms", "query-funds,query-ledger")
		if res.code != 0 {
			t.Fatalf("add failed: %v", res)
		}
		for _, want := range []string{
			"+ granted but not intended: Funds – Withdraw (withdraw-funds)  [can move money out]",
			"- intended but missing:     Data – Query ledger entries (query-ledger)",
			"Worth fixing:",
		} {
			if !strings.Contains(res.out, want) {
				t.Errorf("output lacks %q:\n%v", want, res)
			}
		}
		r := f.record("tracker")
		if !slices.Contains(eventKinds(r), vault.EventDrift) {
			t.Errorf("no drift event in %v", eventKinds(r))
		}
		if !slices.Equal(r.Intended, []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}) {
			t.Errorf("intended %v", r.Intended)
		}
	})

	t.Run("without --perms or a purpose the exchange's permissions are taken as intended", func(t *testing.T) {
		f := newFixture(t)
		k := f.exchangeKey(krakentest.Key{Permissions: []kraken.Permission{kraken.QueryLedger, kraken.QueryFunds}})
		res := f.run(stdinFor(k), "add", "ledger-export") // the name may be the argument too
		if res.code != 0 {
			t.Fatalf("add failed: %v", res)
		}
		r := f.record("ledger-export")
		if !slices.Equal(r.Intended, []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}) || r.Purpose != vault.PurposeCustom {
			t.Errorf("intended %v purpose %q", r.Intended, r.Purpose)
		}
	})

	// Cases where nothing may be saved, and nothing may reach the keyring.
	nothingSaved := []struct {
		name     string
		stdin    func(k krakentest.Key) string
		args     []string
		setup    func(f *fixture, k krakentest.Key)
		wantCode int
		wantErr  string
		calls    int // calls the exchange should see
	}{
		{
			name:     "an API key of the wrong shape",
			stdin:    func(k krakentest.Key) string { return k.APIKey[:50] + "\n" + k.PrivateKey + "\n" },
			wantCode: 1, wantErr: "the API key has 50 characters, not 56",
		},
		{
			name: "a private key with a line break inside",
			stdin: func(k krakentest.Key) string {
				return k.APIKey + "\n" + k.PrivateKey[:40] + "\n" + k.PrivateKey[40:] + "\n"
			},
			wantCode: 1, wantErr: "That does not look like a Kraken key",
		},
		{
			name:     "standard input that ends after the API key",
			stdin:    func(k krakentest.Key) string { return k.APIKey + "\n" },
			wantCode: 1, wantErr: "Standard input ended before the private key",
		},
		{
			name:     "a key the exchange does not know",
			stdin:    func(krakentest.Key) string { a, p := krakentest.NewKeyPair(); return a + "\n" + p + "\n" },
			wantCode: 1, wantErr: "Kraken does not know this API key", calls: 1,
		},
		{
			name:     "a private key that does not belong to the API key",
			stdin:    func(k krakentest.Key) string { _, p := krakentest.NewKeyPair(); return k.APIKey + "\n" + p + "\n" },
			wantCode: 1, wantErr: "Kraken rejected the signature", calls: 1,
		},
		{
			name:     "an unknown permission code",
			args:     []string{"--perms", "query-funds,withdraw-everything"},
			wantCode: 2, wantErr: `"withdraw-everything" is not a Kraken permission`,
		},
		{
			name:     "--otp with an authenticator seed",
			args:     []string{"--2fa", "seed", "--otp", "123456"},
			wantCode: 2, wantErr: "--otp is for --2fa typed only",
		},
		{
			name:     "a key with typed 2FA and no code, off a terminal",
			args:     []string{"--2fa", "typed"},
			wantCode: 2, wantErr: "No 2FA code was given",
		},
		{
			name:     "an authenticator seed that is not base32",
			args:     []string{"--2fa", "seed"},
			stdin:    func(k krakentest.Key) string { return stdinFor(k, "not a seed!") },
			wantCode: 1, wantErr: "does not look like an authenticator seed",
		},
		{
			name: "a name another key in use already has, in other case",
			args: []string{"--name", "KOINLY-tax"},
			setup: func(f *fixture, _ krakentest.Key) {
				f.update(func(d *vault.Data) error {
					_, err := d.Add(vault.Record{Name: "koinly-tax", Status: vault.StatusActive, Purpose: vault.PurposeTaxImport})
					return err
				})
			},
			wantCode: 1, wantErr: `Another key in use is already named "koinly-tax"`,
		},
		{
			name: "a keyring that cannot store the secret",
			setup: func(f *fixture, _ krakentest.Key) {
				f.mem.SetError(&vault.KeyringError{Op: "set", Err: errors.New("locked")})
			},
			wantCode: 1, wantErr: "Unlock it", calls: 1,
		},
	}
	for _, tc := range nothingSaved {
		t.Run("nothing is saved for "+tc.name, func(t *testing.T) {
			f := newFixture(t)
			k := f.exchangeKey(krakentest.Key{Permissions: taxPerms})
			if tc.setup != nil {
				tc.setup(f, k)
			}
			before := f.data().Records
			stdin := stdinFor(k)
			if tc.stdin != nil {
				stdin = tc.stdin(k)
			}
			args := tc.args
			if !slices.Contains(args, "--name") {
				args = append([]string{"--name", "koinly-tax"}, args...)
			}
			res := f.run(stdin, append([]string{"add"}, args...)...)
			if res.code != tc.wantCode || !strings.Contains(res.err, tc.wantErr) {
				t.Fatalf("want exit %d and %q, got %v", tc.wantCode, tc.wantErr, res)
			}
			if after := f.data().Records; len(after)+len(before) > 0 && !reflect.DeepEqual(after, before) {
				t.Errorf("the key list changed: %+v", after)
			}
			f.mem.SetError(nil)
			if ids := f.mem.IDs(); len(ids) != 0 {
				t.Errorf("the keyring holds %d secrets, want none", len(ids))
			}
			if n := len(f.ex.Calls()); n != tc.calls {
				t.Errorf("%d calls to the exchange, want %d", n, tc.calls)
			}
			if leaks := f.leaks(res.out + res.err); len(leaks) > 0 {
				t.Errorf("output shows %v", leaks)
			}
		})
	}

	t.Run("when another Keywarden repairs the unfinished record away meanwhile, the secret is taken out of the keyring again", func(t *testing.T) {
		f := newFixture(t)
		k := f.exchangeKey(krakentest.Key{Permissions: taxPerms})
		// The record is written first, marked pending; another Keywarden
		// takes it for a dead add while this one stores the secret.
		f.secrets = &racingSecrets{Memory: f.mem, onSet: func() {
			f.update(func(d *vault.Data) error {
				r, err := d.ByName("koinly-tax")
				if err != nil {
					return err
				}
				if r.Pending == nil || r.Pending.Op != vault.PendingAdd {
					t.Errorf("the record is not marked pending while the secret is stored: %+v", r.Pending)
				}
				return d.Remove(r.ID)
			})
		}}
		res := f.run(stdinFor(k), "add", "--name", "koinly-tax")
		if res.code != 1 || !strings.Contains(res.err, "Nothing was saved") {
			t.Fatalf("want a failure that saved nothing, got %v", res)
		}
		if ids := f.mem.IDs(); len(ids) != 0 {
			t.Errorf("the keyring still holds %v", ids)
		}
		if n := len(f.data().Records); n != 0 {
			t.Errorf("%d records, want none", n)
		}
	})

	t.Run("a second add of the same API key, under another name, is refused naming the record that holds it", func(t *testing.T) {
		f := newFixture(t)
		rec, k := f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
		res := f.run(stdinFor(k), "add", "--name", "cointracker-tax", "--purpose", "tax")
		if res.code != 1 || !strings.Contains(res.err, "This API key is kept already, as “koinly-tax” (ID "+rec.ID) || !strings.Contains(res.err, "Nothing was saved") {
			t.Fatalf("second add: %v", res)
		}
		if n := len(f.data().Records); n != 1 {
			t.Errorf("%d records, want 1", n)
		}
		if ids := f.mem.IDs(); len(ids) != 1 || ids[0] != rec.ID {
			t.Errorf("the keyring holds %v, want only %s", ids, rec.ID)
		}
		if leaks := f.leaks(res.out + res.err); len(leaks) > 0 {
			t.Errorf("output shows %v", leaks)
		}
	})

	t.Run("the same API key is refused even when the record holding it is retired", func(t *testing.T) {
		f := newFixture(t)
		rec, k := f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
		if res := f.run("", "revoke", "koinly-tax", "--force"); res.code != 0 {
			t.Fatalf("revoke --force: %v", res)
		}
		res := f.run(stdinFor(k), "add", "--name", "koinly-tax", "--purpose", "tax")
		if res.code != 1 || !strings.Contains(res.err, "(ID "+rec.ID+", revoked)") {
			t.Fatalf("add of a revoked key's API key: %v", res)
		}
	})

	t.Run("--review-days takes the window's range", func(t *testing.T) {
		f := newFixture(t)
		k := f.exchangeKey(krakentest.Key{Permissions: taxPerms})
		res := f.run(stdinFor(k), "add", "--name", "koinly-tax", "--review-days", "366")
		if res.code != 2 || !strings.Contains(res.err, "from 1 to 365") {
			t.Fatalf("add --review-days 366: %v", res)
		}
	})

	t.Run("typed 2FA: the code given with --otp verifies the key", func(t *testing.T) {
		f := newFixture(t)
		seed := newSeed(t)
		k := f.exchangeKey(krakentest.Key{Permissions: taxPerms, OTPSecret: seed})
		code, err := totp.GenerateCode(seed, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		res := f.run(stdinFor(k), "add", "--name", "koinly-tax", "--purpose", "tax", "--otp", code)
		if res.code != 0 {
			t.Fatalf("add failed: %v", res)
		}
		r := f.record("koinly-tax")
		if r.TwoFA != vault.TwoFATyped {
			t.Errorf("2FA %q, want typed", r.TwoFA)
		}
		if s, _ := f.secrets.Get(r.ID); s.OTPSeed != "" || s.OTPPassword != "" {
			t.Error("a typed code was kept in the keyring")
		}
	})

	t.Run("seed 2FA: the seed on the third line is kept in the keyring and makes the code", func(t *testing.T) {
		f := newFixture(t)
		seed := newSeed(t)
		k := f.exchangeKey(krakentest.Key{Permissions: taxPerms, OTPSecret: seed})
		spaced := strings.ToLower(seed[:4] + " " + seed[4:8] + " " + seed[8:])
		res := f.run(stdinFor(k, spaced), "add", "--name", "koinly-tax", "--purpose", "tax", "--2fa", "seed")
		if res.code != 0 {
			t.Fatalf("add failed: %v", res)
		}
		r := f.record("koinly-tax")
		if s, _ := f.secrets.Get(r.ID); r.TwoFA != vault.TwoFASeed || s.OTPSeed != seed {
			t.Errorf("2FA %q, seed kept %v", r.TwoFA, s.OTPSeed == seed)
		}
	})

	t.Run("password 2FA: the password on the third line is kept in the keyring", func(t *testing.T) {
		f := newFixture(t)
		k := f.exchangeKey(krakentest.Key{Permissions: taxPerms, OTPPassword: "correct horse"})
		res := f.run(stdinFor(k, "correct horse"), "add", "--name", "koinly-tax", "--purpose", "tax", "--2fa", "password")
		if res.code != 0 {
			t.Fatalf("add failed: %v", res)
		}
		if s, _ := f.secrets.Get(f.record("koinly-tax").ID); s.OTPPassword != "correct horse" {
			t.Error("the 2FA password was not kept")
		}
	})
}

// racingSecrets runs onSet after each successful Set.
type racingSecrets struct {
	*vault.Memory
	onSet func()
}

func (r *racingSecrets) Set(id string, s vault.Secret) error {
	if err := r.Memory.Set(id, s); err != nil {
		return err
	}
	r.onSet()
	return nil
}

func newSeed(t testing.TB) string {
	t.Helper()
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Kraken", AccountName: fmt.Sprint("test-", time.Now().UnixNano())})
	if err != nil {
		t.Fatal(err)
	}
	return key.Secret()
}

func eventKinds(r vault.Record) []vault.EventKind {
	var kinds []vault.EventKind
	for _, e := range r.History {
		kinds = append(kinds, e.Kind)
	}
	return kinds
}
