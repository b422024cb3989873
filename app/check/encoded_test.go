package check_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// jsonStrings returns every string in a JSON document, keys and values,
// as a program reading the file would see them.
func jsonStrings(t *testing.T, doc string) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatalf("the records file is not JSON: %v", err)
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				out = append(out, k)
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// assertNoLeak fails for every text that holds one of k's secrets in any
// form krakentest.Leak knows. Each group of texts is searched at once,
// and one by one only when it holds a secret, to say where.
func assertNoLeak(t *testing.T, k krakentest.Key, texts map[string][]string) {
	t.Helper()
	secrets := map[string]string{"API key": k.APIKey, "private key": k.PrivateKey, "2FA password": k.OTPPassword}
	for where, list := range texts {
		for name, secret := range secrets {
			if krakentest.Leak(strings.Join(list, "\n"), secret) == "" {
				continue
			}
			for _, text := range list {
				if how := krakentest.Leak(text, secret); how != "" {
					t.Errorf("%s: %.300q holds the %s (%s)", where, text, name, how)
				}
			}
		}
	}
}

func TestRunner_Check_encodedEcho(t *testing.T) {
	paths := []struct {
		name   string
		opts   []krakentest.Option
		method string
		prefix string
	}{
		{"an argument error", nil, "GetApiKeyInfo", "EGeneral:Invalid arguments:"},
		{"an unknown error", nil, "GetApiKeyInfo", "EFoo:"},
		{"probe answers", []krakentest.Option{krakentest.WithoutKeyInfo()}, krakentest.AnyMethod, "EFoo:"},
	}
	for _, pw := range []string{`Sup3r secret/pw+"&=ü`, "hunter22"} {
		for _, path := range paths {
			for _, enc := range krakentest.Encodings {
				t.Run(path.name+" echoing the request "+enc.Name+" leaves no secret in keys.json (2FA password "+pw+")", func(t *testing.T) {
					f := newFixture(t, path.opts...)
					rec, k := f.add(t, krakentest.Key{OTPPassword: pw, Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFAPassword)
					rec.Name = "echo"
					f.ex.InjectFault(path.method, func(r krakentest.FaultRequest) []string {
						return []string{
							path.prefix + enc.Encode(r.Header.Get("API-Key")),
							path.prefix + enc.Encode(r.OTP()),
							path.prefix + enc.Encode(k.PrivateKey),
							path.prefix + enc.Encode(r.Dump()),
						}
					})
					rb := f.runner.Check(context.Background(), rec, check.Options{}, time.Now())
					if rb.Problem == "" && len(rb.ProbeAnswers) == 0 {
						t.Fatalf("readback %+v says nothing of the answer", rb)
					}
					file, backup := storeAndRead(t, rec, rb)
					assertNoLeak(t, k, map[string][]string{
						"readback":                 append([]string{rb.Problem}, rb.ProbeAnswers...),
						"keys.json":                append([]string{file}, jsonStrings(t, file)...),
						"keys.json.bak":            append([]string{backup}, jsonStrings(t, backup)...),
						"the readback's key shape": {rb.Name, rb.IBAN},
					})
				})
			}
		}
	}
	// Each message on its own, so that no message is cut short by the
	// others: the whole request, base64-encoded, is the longest.
	for _, enc := range krakentest.Encodings {
		t.Run("the whole request echoed alone "+enc.Name+" leaves no secret in keys.json", func(t *testing.T) {
			f := newFixture(t)
			rec, k := f.add(t, krakentest.Key{OTPPassword: "correct horse battery", Permissions: []kraken.Permission{kraken.QueryFunds}}, vault.TwoFAPassword)
			f.ex.InjectFault("GetApiKeyInfo", func(r krakentest.FaultRequest) []string {
				return []string{"EFoo:" + enc.Encode(r.Dump())}
			})
			rb := f.runner.Check(context.Background(), rec, check.Options{}, time.Now())
			file, backup := storeAndRead(t, rec, rb)
			assertNoLeak(t, k, map[string][]string{
				"readback":      {rb.Problem},
				"keys.json":     append([]string{file}, jsonStrings(t, file)...),
				"keys.json.bak": append([]string{backup}, jsonStrings(t, backup)...),
			})
		})
	}
}

func TestRunner_Check_keyInfoEchoingSecrets(t *testing.T) {
	for _, enc := range krakentest.Encodings {
		t.Run("GetApiKeyInfo's fields holding the secrets "+enc.Name+" leave none in keys.json", func(t *testing.T) {
			f := newFixture(t)
			apiKey, privateKey := krakentest.NewKeyPair()
			const pw = "open sesame 42"
			rec, k := f.add(t, krakentest.Key{APIKey: apiKey, PrivateKey: privateKey, OTPPassword: pw,
				Name:        "bot " + enc.Encode(apiKey),
				IBAN:        enc.Encode(privateKey),
				IPAllowlist: []string{enc.Encode(pw)},
				Permissions: []kraken.Permission{kraken.QueryFunds, kraken.Permission(enc.Encode(apiKey))}}, vault.TwoFAPassword)
			rec.Name = "bot" // the fixture names the record as the exchange does
			rb := f.runner.Check(context.Background(), rec, check.Options{}, time.Now())
			if rb.Outcome != vault.OutcomeOK {
				t.Fatalf("outcome %q (%s), want ok", rb.Outcome, rb.Problem)
			}
			file, backup := storeAndRead(t, rec, rb)
			texts := map[string][]string{
				"keys.json":     append([]string{file}, jsonStrings(t, file)...),
				"keys.json.bak": append([]string{backup}, jsonStrings(t, backup)...),
				"readback":      append([]string{rb.Name, rb.IBAN}, rb.IPAllowlist...),
			}
			for _, p := range rb.Permissions {
				texts["readback"] = append(texts["readback"], string(p))
			}
			assertNoLeak(t, k, texts)
		})
	}
}

func TestRunner_Check_shortPasswordKeepsKnownPermissions(t *testing.T) {
	f := newFixture(t)
	granted := []kraken.Permission{kraken.QueryFunds, kraken.WithdrawFunds}
	rec, _ := f.add(t, krakentest.Key{OTPPassword: "funds", Permissions: granted}, vault.TwoFAPassword)
	rb := f.runner.Check(context.Background(), rec, check.Options{}, time.Now())
	if rb.Outcome != vault.OutcomeOK {
		t.Fatalf("outcome %q (%s), want ok", rb.Outcome, rb.Problem)
	}
	if !equal(rb.Permissions, granted) {
		t.Errorf("permissions %q, want %q: scrubbing the password %q must not hide a permission", rb.Permissions, granted, "funds")
	}
}
