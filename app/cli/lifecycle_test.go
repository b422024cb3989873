package cli_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func TestReview(t *testing.T) {
	t.Run("review marks the key reviewed now and puts the next review an interval later", func(t *testing.T) {
		f := newFixture(t)
		f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
		now := time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC)
		f.now = func() time.Time { return now }
		res := f.run("", "review", "Koinly-Tax")
		if res.code != 0 || !strings.Contains(res.out, `Marked "koinly-tax" reviewed. Next review: 30 Jul 2030.`) {
			t.Fatalf("review: %v", res)
		}
		r := f.record("koinly-tax")
		if !r.LastReviewed.Equal(now) {
			t.Errorf("last reviewed %v, want %v", r.LastReviewed, now)
		}
		if last := r.History[len(r.History)-1]; last.Kind != vault.EventReviewed || !last.At.Equal(now) {
			t.Errorf("last event %+v", last)
		}
	})

	t.Run("a revoked key has nothing left to review", func(t *testing.T) {
		f := newFixture(t)
		f.update(func(d *vault.Data) error {
			_, err := d.Add(vault.Record{Name: "old-bot", Status: vault.StatusRevoked})
			return err
		})
		before := f.keyFile()
		res := f.run("", "review", "old-bot")
		if res.code != 1 || !strings.Contains(res.err, "nothing left to review") {
			t.Fatalf("review: %v", res)
		}
		if f.keyFile() != before {
			t.Error("the key list changed")
		}
	})
}

func TestRevoke(t *testing.T) {
	t.Run("a key the exchange no longer knows is marked revoked and its secret deleted, after one call", func(t *testing.T) {
		f := newFixture(t)
		rec, k := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		f.ex.DeleteKey(k.APIKey)
		f.ex.ResetCalls()
		res := f.run("", "revoke", "freqtrade-vps")
		if res.code != 0 || !strings.Contains(res.out, "it is marked revoked") || !strings.Contains(res.out, "used by freqtrade") {
			t.Fatalf("revoke: %v", res)
		}
		r := f.record(rec.ID)
		if r.Status != vault.StatusRevoked {
			t.Errorf("status %q", r.Status)
		}
		if f.hasSecret(rec.ID) {
			t.Error("the secret is still in the keyring")
		}
		if last := r.History[len(r.History)-1]; last.Kind != vault.EventRevoked || !strings.Contains(last.Note, "confirmed") {
			t.Errorf("last event %+v", last)
		}
		if r.LastCheck == nil || r.LastCheck.Outcome != vault.OutcomeInvalidKey {
			t.Errorf("last check %+v", r.LastCheck)
		}
		if n := len(f.ex.Calls()); n != 1 {
			t.Errorf("%d calls, want exactly one confirming readback", n)
		}
	})

	// Answers that do not confirm the revocation change nothing.
	unconfirmed := []struct {
		name    string
		setup   func(f *fixture)
		wantErr string
	}{
		{"a key the exchange still accepts", func(*fixture) {}, "Kraken still accepts"},
		{"an exchange that cannot be reached", func(f *fixture) { f.ex.Close() }, "could not confirm"},
		{"a keyring that is locked", func(f *fixture) {
			f.mem.SetError(&vault.KeyringError{Op: "get", Err: errors.New("locked")})
		}, "Unlock it"},
	}
	for _, tc := range unconfirmed {
		t.Run("nothing changes for "+tc.name, func(t *testing.T) {
			f := newFixture(t)
			rec, _ := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
			before := f.keyFile()
			tc.setup(f)
			res := f.run("", "revoke", "freqtrade-vps")
			if res.code != 1 || !strings.Contains(res.err, tc.wantErr) || !strings.Contains(res.err, "Nothing was changed") {
				t.Fatalf("revoke: %v", res)
			}
			f.mem.SetError(nil)
			if f.keyFile() != before {
				t.Error("the key list changed")
			}
			if !f.hasSecret(rec.ID) {
				t.Error("the secret was deleted")
			}
		})
	}

	t.Run("--force marks a key the exchange still accepts revoked, keeps its secret for a later confirmation and says so in the history", func(t *testing.T) {
		f := newFixture(t)
		rec, k := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		res := f.run("", "revoke", "--force", "freqtrade-vps")
		if res.code != 0 || !strings.Contains(res.out, "Kraken still accepts") || !strings.Contains(res.out, "revoked anyway") {
			t.Fatalf("revoke --force: %v", res)
		}
		r := f.record(rec.ID)
		if r.Status != vault.StatusRevoked || !f.hasSecret(rec.ID) {
			t.Errorf("status %q, secret kept %v", r.Status, f.hasSecret(rec.ID))
		}
		if last := r.History[len(r.History)-1]; last.Kind != vault.EventRevoked || !strings.Contains(last.Note, "without Kraken's confirmation") {
			t.Errorf("last event %+v", last)
		}
		// Once deleted on the website, revoke confirms it and drops the secret.
		f.ex.DeleteKey(k.APIKey)
		if res := f.run("", "revoke", "freqtrade-vps"); res.code != 0 || !strings.Contains(res.out, "Kraken no longer knows") || f.hasSecret(rec.ID) {
			t.Fatalf("revoke after --force: %v (secret kept %v)", res, f.hasSecret(rec.ID))
		}
		if res := f.run("", "revoke", "freqtrade-vps"); res.code != 0 || !strings.Contains(res.out, "revoked already, and Kraken confirmed it") {
			t.Fatalf("a third revoke: %v", res)
		}
	})

	t.Run("--force works when the secret is already gone from the keyring", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		_ = f.secrets.Delete(rec.ID)
		res := f.run("", "revoke", "freqtrade-vps", "--force")
		if res.code != 0 || f.record(rec.ID).Status != vault.StatusRevoked {
			t.Fatalf("revoke --force: %v", res)
		}
	})

	t.Run("a key with typed 2FA needs --otp to confirm, and is revoked with it", func(t *testing.T) {
		f := newFixture(t)
		seed := newSeed(t)
		k := f.exchangeKey(krakentest.Key{Permissions: taxPerms, OTPSecret: seed})
		code, _ := totp.GenerateCode(seed, time.Now())
		if res := f.run(stdinFor(k), "add", "--name", "koinly-tax", "--purpose", "tax", "--otp", code); res.code != 0 {
			t.Fatalf("add: %v", res)
		}
		f.ex.DeleteKey(k.APIKey)
		before := f.keyFile()
		res := f.run("", "revoke", "koinly-tax")
		if res.code != 2 || !strings.Contains(res.err, "KEYWARDEN_OTP") || f.keyFile() != before {
			t.Fatalf("revoke without a code: %v", res)
		}
		code, _ = totp.GenerateCode(seed, time.Now())
		if res := f.run("", "revoke", "koinly-tax", "--otp", code); res.code != 0 || f.record("koinly-tax").Status != vault.StatusRevoked {
			t.Fatalf("revoke --otp: %v", res)
		}
	})

	t.Run("a revoked key's name is free for its replacement", func(t *testing.T) {
		f := newFixture(t)
		old, k := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		f.ex.DeleteKey(k.APIKey)
		f.run("", "revoke", "freqtrade-vps")
		repl, _ := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		if repl.ID == old.ID || repl.Status != vault.StatusActive {
			t.Fatalf("replacement %+v", repl)
		}
		if res := f.run("", "show", "freqtrade-vps"); res.code != 0 || !strings.Contains(res.out, repl.ID) {
			t.Errorf("the name does not find the replacement: %v", res)
		}
	})
}

func TestRemove(t *testing.T) {
	t.Run("--yes deletes the record and the secret", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
		f.add("cointracker-tax", taxPerms, "--purpose", "tax", "--used-by", "CoinTracker")
		res := f.run("", "remove", "koinly-tax", "--yes")
		if res.code != 0 || !strings.Contains(res.out, "keeps working on Kraken") {
			t.Fatalf("remove: %v", res)
		}
		if _, err := f.data().ByID(rec.ID); err == nil {
			t.Error("the record is still there")
		}
		if f.hasSecret(rec.ID) {
			t.Error("the secret is still there")
		}
		if n := len(f.data().Records); n != 1 {
			t.Errorf("%d records left, want 1", n)
		}
	})

	t.Run("without --yes and off a terminal nothing is removed", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
		res := f.run("yes\n", "remove", "koinly-tax")
		if res.code != 2 || !strings.Contains(res.err, "Add --yes") {
			t.Fatalf("remove: %v", res)
		}
		if !f.hasSecret(rec.ID) || len(f.data().Records) != 1 {
			t.Error("something was removed")
		}
	})

	t.Run("a locked keyring removes nothing", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
		f.mem.SetError(&vault.KeyringError{Op: "delete", Err: errors.New("locked")})
		res := f.run("", "remove", "koinly-tax", "--yes")
		f.mem.SetError(nil)
		// The app 2FA check asks the keyring first now; either refusal is right.
		if res.code != 1 || !(strings.Contains(res.err, "nothing was removed") || strings.Contains(res.err, "Nothing was changed")) {
			t.Fatalf("remove: %v", res)
		}
		if !f.hasSecret(rec.ID) || len(f.data().Records) != 1 {
			t.Error("something was removed")
		}
	})
}

func TestNames(t *testing.T) {
	f := newFixture(t)
	f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
	var ids []string
	f.update(func(d *vault.Data) error {
		for range 2 {
			r, err := d.Add(vault.Record{Name: "old-bot", Status: vault.StatusRevoked})
			if err != nil {
				return err
			}
			ids = append(ids, r.ID)
		}
		return nil
	})
	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"a name matches whatever its case", []string{"show", "KOINLY-Tax"}, 0, "koinly-tax  (ID", ""},
		{"an ID matches too", []string{"show", ids[0]}, 0, ids[0], ""},
		{"an unknown name says so and suggests a near one", []string{"show", "koinly-tx"}, 1, "", `There is no key named "koinly-tx". Did you mean "koinly-tax"?`},
		{"an unknown name with nothing near points at list", []string{"review", "binance"}, 1, "", `Run "keywarden list"`},
		{"a name two retired keys share asks for the ID", []string{"show", "old-bot"}, 1, "", "Several keys are named \"old-bot\". Use the ID of the one you mean: "},
		{"the same goes for exec", []string{"exec", "old-bot", "--", "true"}, 1, "", "Several keys are named"},
		{"and for remove", []string{"remove", "--yes", "old-bot"}, 1, "", "Several keys are named"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := f.run("", tc.args...)
			if res.code != tc.wantCode || !strings.Contains(res.out, tc.wantOut) || !strings.Contains(res.err, tc.wantErr) {
				t.Fatalf("want exit %d, %q, %q; got %v", tc.wantCode, tc.wantOut, tc.wantErr, res)
			}
			if strings.Contains(res.err, "Several keys") && (!strings.Contains(res.err, ids[0]) || !strings.Contains(res.err, ids[1])) {
				t.Errorf("the IDs to choose from are not all given: %v", res)
			}
		})
	}
	if n := len(f.data().Records); n != 3 {
		t.Errorf("%d records, want 3: an ambiguous name changed something", n)
	}
}

func TestListAndShow(t *testing.T) {
	t.Run("an empty vault says how to add a key", func(t *testing.T) {
		f := newFixture(t)
		res := f.run("", "list")
		if res.code != 0 || !strings.Contains(res.out, "No keys yet") {
			t.Fatalf("list: %v", res)
		}
		res = f.run("", "list", "--json")
		if res.code != 0 || strings.TrimSpace(res.out) != "[]" {
			t.Fatalf("list --json: %v", res)
		}
	})

	f := newFixture(t)
	f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
	_, k := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
	f.ex.UpdateKey(k.APIKey, func(k *krakentest.Key) { k.Permissions = append(k.Permissions, kraken.WithdrawFunds) })
	f.run("", "check")

	t.Run("list puts the key that needs attention first", func(t *testing.T) {
		res := f.run("", "list")
		ls := lines(res.out)
		if res.code != 0 || len(ls) != 3 || !strings.HasPrefix(ls[1], "freqtrade-vps") || !strings.Contains(ls[1], "problem") || !strings.HasPrefix(ls[2], "koinly-tax") {
			t.Fatalf("list: %v", res)
		}
	})

	t.Run("list --json gives each key's state and permissions", func(t *testing.T) {
		res := f.run("", "list", "--json")
		var got []struct {
			ID, Name, State, Risk string
			NeedsAttention        bool
			Permissions           []kraken.Permission
			NextReview            *time.Time
		}
		if err := json.Unmarshal([]byte(res.out), &got); err != nil || len(got) != 2 {
			t.Fatalf("list --json: %v\n%v", err, res)
		}
		if got[0].Name != "freqtrade-vps" || !got[0].NeedsAttention || got[0].State != "problem" || got[0].Risk != "can move money out" {
			t.Errorf("first %+v", got[0])
		}
		if got[1].Name != "koinly-tax" || got[1].NeedsAttention || !slices.Equal(got[1].Permissions, taxPerms) || got[1].NextReview == nil {
			t.Errorf("second %+v", got[1])
		}
	})

	t.Run("show gives the record, the last readback and the findings with next steps", func(t *testing.T) {
		res := f.run("", "show", "freqtrade-vps")
		for _, want := range []string{"Purpose:       Trading bot", "Used by:       freqtrade", "Last check:", "+ granted but not intended: Funds – Withdraw",
			"[critical] The key can move money out, which you did not mean", "Next: ", "History:"} {
			if !strings.Contains(res.out, want) {
				t.Errorf("show lacks %q:\n%v", want, res)
			}
		}
	})

	t.Run("show --json gives the record and its findings", func(t *testing.T) {
		res := f.run("", "show", "--json", "freqtrade-vps")
		var got struct {
			Record   vault.Record
			State    string
			Drift    struct{ Extra []kraken.Permission }
			Findings []struct{ Code, Severity, NextStep string }
		}
		if err := json.Unmarshal([]byte(res.out), &got); err != nil {
			t.Fatalf("show --json: %v\n%v", err, res)
		}
		if got.Record.Name != "freqtrade-vps" || got.State != "problem" || !slices.Equal(got.Drift.Extra, []kraken.Permission{kraken.WithdrawFunds}) || len(got.Findings) == 0 {
			t.Errorf("show --json %+v", got)
		}
	})
}
