package kraken_test

import (
	"strings"
	"testing"

	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// echoSources are the parts of a request a verbose exchange or proxy may
// send back, for a key whose private key the fault knows (it never travels
// in a request, but a server that has it may echo it too).
func echoSources(privateKey string) []struct {
	name string
	text func(r krakentest.FaultRequest) string
} {
	return []struct {
		name string
		text func(r krakentest.FaultRequest) string
	}{
		{"the API key", func(r krakentest.FaultRequest) string { return r.Header.Get("API-Key") }},
		{"the 2FA password", krakentest.FaultRequest.OTP},
		{"the private key", func(krakentest.FaultRequest) string { return privateKey }},
		{"the whole request", krakentest.FaultRequest.Dump},
	}
}

func TestClient_encodedEchoLeaksNoSecret(t *testing.T) {
	const password = `Sup3r secret/pw+"&=ü`
	for _, enc := range krakentest.Encodings {
		for _, prefix := range []string{"EGeneral:Invalid arguments:", "EFoo:"} {
			ex, clock := newSimulation(t, krakentest.WithoutKeyInfo())
			k := ex.AddKey(krakentest.Key{OTPPassword: password})
			for _, src := range echoSources(k.PrivateKey) {
				t.Run(src.name+" echoed "+enc.Name+" after "+prefix+" reaches no error text", func(t *testing.T) {
					ex.InjectFault(krakentest.AnyMethod, func(r krakentest.FaultRequest) []string {
						return []string{prefix + " " + enc.Encode(src.text(r)) + " (echo)"}
					})
					c := simulatedClient(t, ex, clock, k)
					_, err := c.APIKeyInfo(t.Context(), password)
					if err == nil {
						t.Fatal("APIKeyInfo succeeded against a failing exchange")
					}
					res, perr := c.Probe(t.Context(), func() string { return password })
					texts := []string{err.Error(), kraken.UserMessage(err)}
					if perr != nil {
						texts = append(texts, perr.Error(), kraken.UserMessage(perr))
					}
					if res != nil {
						for _, a := range res.Answers {
							texts = append(texts, a)
						}
					}
					for _, text := range texts {
						for name, secret := range map[string]string{"API key": k.APIKey, "private key": k.PrivateKey, "2FA password": password} {
							if how := krakentest.Leak(text, secret); how != "" {
								t.Errorf("%q holds the %s (%s)", text, name, how)
							}
						}
					}
				})
			}
		}
	}
}

func TestClient_secretCutByTheScrubLimit(t *testing.T) {
	const password = "correct horse battery staple"
	ex, clock := newSimulation(t)
	k := ex.AddKey(krakentest.Key{OTPPassword: password})
	c := simulatedClient(t, ex, clock, k)
	// A long run (removed whole as a possible code) brings what follows
	// it into view; the password starts just before the limit.
	for _, before := range []int{1, 5, len(password) - 1} {
		run := strings.Repeat("Q", kraken.MaxScrubbed-len("EFoo: ")-1-len(password)+before)
		ex.FailWith("GetApiKeyInfo", "EFoo: "+run+" "+password+" and more")
		_, err := c.APIKeyInfo(t.Context(), password)
		if err == nil {
			t.Fatal("APIKeyInfo succeeded against a failing exchange")
		}
		for _, text := range []string{err.Error(), kraken.UserMessage(err)} {
			for n := 5; n <= len(password); n++ {
				if strings.Contains(text, password[:n]) {
					t.Errorf("%q holds the first %d characters of the password cut by the limit", text, n)
					break
				}
			}
		}
	}
}
