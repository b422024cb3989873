package check_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// echoBody answers like a verbose or hostile server: the request body, the
// headers and the key's own private key sent back as an error.
func echoBody(prefix, privateKey string) krakentest.Fault {
	return func(r krakentest.FaultRequest) []string {
		return []string{prefix + string(r.Body) + " key=" + r.Header.Get("API-Key") + " " + privateKey}
	}
}

// secretsOf returns every form in which a key's secrets must never be seen.
func secretsOf(k krakentest.Key) []string {
	var out []string
	for _, s := range []string{k.APIKey, k.PrivateKey, strings.TrimRight(k.PrivateKey, "="), k.OTPPassword} {
		if s != "" {
			out = append(out, s, url.QueryEscape(s))
		}
	}
	return out
}

// storeAndRead applies rb to rec twice in a fresh store (so the backup holds
// it too) and returns keys.json and keys.json.bak.
func storeAndRead(t *testing.T, rec vault.Record, rb vault.Readback) (string, string) {
	t.Helper()
	store, err := vault.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		err := store.Update(func(d *vault.Data) error {
			if i == 0 {
				if _, err := d.Add(rec); err != nil {
					return err
				}
			}
			r, err := d.ByID(rec.ID)
			if err != nil {
				return err
			}
			check.Apply(r, rb)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	file, err := os.ReadFile(store.Path())
	if err != nil {
		t.Fatal(err)
	}
	backup, err := os.ReadFile(store.BackupPath())
	if err != nil {
		t.Fatal(err)
	}
	return string(file), string(backup)
}

func TestRunner_Check_echoingExchange(t *testing.T) {
	tests := []struct {
		name   string
		opts   []krakentest.Option
		method string
		prefix string
	}{
		{"an argument error echoing the body", nil, "GetApiKeyInfo", "EGeneral:Invalid arguments:"},
		{"an unknown error echoing the body", nil, "GetApiKeyInfo", "EFoo:"},
		{"an auth error echoing the body", nil, "GetApiKeyInfo", "EAPI:Invalid signature:"},
		{"probe answers echoing the body", []krakentest.Option{krakentest.WithoutKeyInfo()}, krakentest.AnyMethod, "EFoo:"},
		{"a stopped probe echoing the body", []krakentest.Option{krakentest.WithoutKeyInfo()}, "OpenOrders", "EGeneral:Too many requests:"},
	}
	for _, tt := range tests {
		for _, twoFA := range []vault.TwoFA{vault.TwoFAPassword, vault.TwoFATyped} {
			t.Run(tt.name+" leaves no secret in the readback or keys.json ("+string(twoFA)+" 2FA)", func(t *testing.T) {
				f := newFixture(t, tt.opts...)
				rec, k := f.add(t, krakentest.Key{OTPPassword: `static pw/+"=&ü`, Permissions: []kraken.Permission{kraken.QueryFunds}}, twoFA)
				rec.Name = "echo"
				f.ex.InjectFault(tt.method, echoBody(tt.prefix, k.PrivateKey))
				opt := check.Options{}
				if twoFA == vault.TwoFATyped {
					opt.OTP = k.OTPPassword
				}
				rb := f.runner.Check(context.Background(), rec, opt, time.Now())
				if rb.Problem == "" && len(rb.ProbeAnswers) == 0 {
					t.Fatalf("readback %+v says nothing of the answer", rb)
				}
				file, backup := storeAndRead(t, rec, rb)
				texts := append([]string{rb.Problem, file, backup}, rb.ProbeAnswers...)
				for _, text := range texts {
					for _, secret := range secretsOf(k) {
						if strings.Contains(text, secret) {
							t.Errorf("%.300q holds the secret %q", text, secret)
						}
					}
				}
			})
		}
	}
}

func TestRunner_Check_hugeError(t *testing.T) {
	f := newFixture(t)
	rec, _ := f.add(t, krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFANone)
	rec.Name = "huge"
	f.ex.FailWith("GetApiKeyInfo", "EFoo:"+strings.Repeat("A", 3<<20))
	rb := f.runner.Check(context.Background(), rec, check.Options{}, time.Now())
	if rb.Outcome != vault.OutcomeError {
		t.Fatalf("outcome %q, want error", rb.Outcome)
	}
	if n := len([]rune(rb.Problem)); n > check.MaxProblem+1 {
		t.Errorf("problem of %d characters, want at most %d", n, check.MaxProblem)
	}
	// The run of 3 million As could encode anything: it is not kept.
	if !strings.Contains(rb.Problem, "EFoo:[long code removed]") {
		t.Errorf("problem %.100q does not quote the start of the answer without the long run", rb.Problem)
	}
	file, backup := storeAndRead(t, rec, rb)
	for name, text := range map[string]string{"keys.json": file, "keys.json.bak": backup} {
		if len(text) > 10<<10 {
			t.Errorf("%s is %d bytes after a 3 MB error, want it small", name, len(text))
		}
	}
}

func TestRunner_Check_probeReadings(t *testing.T) {
	t.Run("throttling stops the probes: nothing is called granted and the check may be tried again", func(t *testing.T) {
		f := newFixture(t, krakentest.WithoutKeyInfo())
		rec, _ := f.add(t, krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds, kraken.WithdrawFunds}}, vault.TwoFANone)
		f.ex.FailWith("OpenOrders", "EGeneral:Too many requests")
		rb := f.runner.Check(context.Background(), rec, check.Options{}, time.Now())
		if rb.Outcome != vault.OutcomeError || !rb.Unreached || len(rb.Permissions) != 0 {
			t.Fatalf("readback %+v, want an unreached error with no permissions", rb)
		}
		if !strings.Contains(rb.Problem, "probes stopped") || !strings.Contains(rb.Problem, "busy") {
			t.Errorf("problem %q does not say the probes stopped and why", rb.Problem)
		}
		if last := f.ex.Calls()[len(f.ex.Calls())-1]; last.Method != "OpenOrders" {
			t.Errorf("probing went on to %s", last.Method)
		}
	})
	t.Run("an answer that says nothing leaves the permission unknown and quotes it", func(t *testing.T) {
		f := newFixture(t, krakentest.WithoutKeyInfo())
		rec, _ := f.add(t, krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds, kraken.WithdrawFunds}}, vault.TwoFANone)
		f.ex.FailWith("WithdrawMethods", "EFoo:Something new")
		rb := f.runner.Check(context.Background(), rec, check.Options{}, time.Now())
		if rb.Outcome != vault.OutcomeOK {
			t.Fatalf("outcome %q (%s), want ok", rb.Outcome, rb.Problem)
		}
		if !equal(rb.Permissions, []kraken.Permission{kraken.QueryFunds}) {
			t.Errorf("granted %v, want only query-funds", rb.Permissions)
		}
		if !contains(rb.Unknown, kraken.WithdrawFunds) {
			t.Errorf("unknown %v, want withdraw-funds among them", rb.Unknown)
		}
		if len(rb.ProbeAnswers) != 1 || !strings.Contains(rb.ProbeAnswers[0], "withdraw-funds: ") || !strings.Contains(rb.ProbeAnswers[0], "EFoo:Something new") {
			t.Errorf("probe answers %q, want what the exchange said for withdraw-funds", rb.ProbeAnswers)
		}
	})
}

func TestApply_capsTheProblem(t *testing.T) {
	rec := vault.Record{}
	check.Apply(&rec, vault.Readback{At: time.Now(), Outcome: vault.OutcomeError, Problem: strings.Repeat("x", 1<<20)})
	if n := len(rec.LastCheck.Problem); n > check.MaxProblem+len("…") {
		t.Errorf("stored problem of %d bytes", n)
	}
	if n := len(rec.History[0].Note); n > check.MaxProblem+100 {
		t.Errorf("history note of %d bytes", n)
	}
}

func TestRunner_Check_loopbackName(t *testing.T) {
	f := newFixture(t)
	rec, _ := f.add(t, krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFANone)
	u, _ := url.Parse(f.ex.URL())
	u.Host = "localhost:" + u.Port()
	base, err := check.BaseURLFromEnv(func(string) string { return u.String() })
	if err != nil {
		t.Fatal(err)
	}
	f.runner.BaseURL = base
	rb := f.runner.Check(context.Background(), rec, check.Options{}, time.Now())
	if rb.Outcome != vault.OutcomeOK {
		t.Fatalf("outcome %q (%s), want ok through localhost", rb.Outcome, rb.Problem)
	}
}

func contains(perms []kraken.Permission, p kraken.Permission) bool {
	for _, q := range perms {
		if q == p {
			return true
		}
	}
	return false
}
