package keys_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func TestService_Check_encodedEcho(t *testing.T) {
	const password = `Sup3r secret/pw+"&=ü`
	for _, enc := range krakentest.Encodings {
		t.Run("an exchange echoing the request "+enc.Name+" leaves no secret in keys.json or the error", func(t *testing.T) {
			f := newFixture(t)
			k, sec := f.exchangeKey(krakentest.Key{OTPPassword: password})
			nk := newKey("echo", sec)
			nk.Record.TwoFA = vault.TwoFAPassword
			rec, err := f.svc.Add(context.Background(), nk)
			if err != nil {
				t.Fatal(err)
			}
			f.ex.InjectFault("GetApiKeyInfo", func(r krakentest.FaultRequest) []string {
				return []string{
					"EGeneral:Invalid arguments:" + enc.Encode(r.Header.Get("API-Key")),
					"EFoo:" + enc.Encode(r.OTP()),
					"EFoo:" + enc.Encode(k.PrivateKey),
					"EFoo:" + enc.Encode(r.Dump()),
				}
			})
			_, rb, err := f.svc.Check(context.Background(), rec.ID, "")
			texts := []string{rb.Problem}
			if err != nil {
				texts = append(texts, err.Error())
			}
			for _, path := range []string{f.store.Path(), f.store.BackupPath()} {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				texts = append(texts, string(data), unquoteJSON(string(data)))
			}
			if stored := f.record(t, rec.ID); stored.LastCheck == nil || stored.LastCheck.Problem == "" {
				t.Fatalf("the check's answer was not saved: %+v", stored.LastCheck)
			}
			for _, text := range texts {
				for name, secret := range map[string]string{"API key": k.APIKey, "private key": k.PrivateKey, "2FA password": password} {
					if how := krakentest.Leak(text, secret); how != "" {
						t.Errorf("%.300q holds the %s (%s)", text, name, how)
					}
				}
			}
		})
	}
}

// unquoteJSON undoes the escapes the records file's JSON adds to its
// strings, as a person or program reading them would.
func unquoteJSON(doc string) string {
	return strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\u0026`, "&", `\u003c`, "<", `\u003e`, ">").Replace(doc)
}
