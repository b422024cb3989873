package kraken_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// probeReading is what an answer means to the permission probes.
type probeReading int

const (
	readsGranted probeReading = iota // the call passed the permission check
	readsNotGranted
	readsUnknown // says nothing; probing goes on
	readsStop    // probing stops with the error
)

// realWorldErrors are error strings the exchange documents or other clients
// (ccxt's table of Kraken errors) see, with what each must match and mean.
var realWorldErrors = []struct {
	msg   string
	kind  error // nil: a string Keywarden does not know
	probe probeReading
}{
	{"EAPI:Invalid key", kraken.ErrInvalidKey, readsStop},
	{"EAPI:Invalid signature", kraken.ErrInvalidSignature, readsStop},
	{"EAPI:Invalid nonce", kraken.ErrInvalidNonce, readsStop},
	{"EGeneral:Permission denied", kraken.ErrPermissionDenied, readsNotGranted},
	{"EGeneral:Temporary lockout", kraken.ErrLockout, readsStop},
	{"EAPI:Rate limit exceeded", kraken.ErrRateLimited, readsStop},
	{"EOrder:Rate limit exceeded", kraken.ErrRateLimited, readsStop},
	{"EGeneral:Too many requests", kraken.ErrThrottled, readsStop},
	{"EService:Throttled:1772627100", kraken.ErrThrottled, readsStop},
	{"EService: Throttled: 1772627100", kraken.ErrThrottled, readsStop},
	{"EGeneral:Unknown method", kraken.ErrUnknownMethod, readsUnknown},
	{"EService:Unavailable", kraken.ErrExchangeDown, readsStop},
	{"EService:Busy", kraken.ErrExchangeDown, readsStop},
	{"EGeneral:Internal error", kraken.ErrExchangeDown, readsStop},
	{"EDatabase:Internal error", kraken.ErrExchangeDown, readsStop},
	{"EService:Market in cancel_only mode", kraken.ErrMarketRestricted, readsUnknown},
	{"EService:Market in post_only mode", kraken.ErrMarketRestricted, readsUnknown},
	{"EService:Market in limit_only mode", kraken.ErrMarketRestricted, readsUnknown},
	{"ESession:Invalid session", kraken.ErrSession, readsStop},
	{"ETrade:User Locked", kraken.ErrAccountLocked, readsStop},
	{"ETrade:Locked", kraken.ErrAccountLocked, readsStop},
	{"EAPI:Feature disabled", kraken.ErrFeatureDisabled, readsStop},
	{"EAPI:Bad request", kraken.ErrBadRequest, readsStop},
	{"EGeneral:Invalid arguments", kraken.ErrInvalidArguments, readsGranted},
	{"EGeneral:Invalid arguments:price", kraken.ErrInvalidArguments, readsGranted},
	{"EGeneral:Invalid arguments:volume", kraken.ErrInvalidArguments, readsGranted},
	{"EGeneral:Invalid arguments:viqc", kraken.ErrInvalidArguments, readsGranted},
	{"EGeneral:Invalid arguments:Index unavailable", kraken.ErrInvalidArguments, readsGranted},
	{"EQuery:Unknown asset pair", kraken.ErrUnknownAsset, readsUnknown},
	{"EQuery:Invalid asset pair", kraken.ErrUnknownAsset, readsUnknown},
	{"EQuery:Unknown asset", kraken.ErrUnknownAsset, readsUnknown},
	{"EOrder:Unknown order", kraken.ErrOrderRefused, readsGranted},
	{"EOrder:Insufficient funds", kraken.ErrOrderRefused, readsGranted},
	{"EOrder:Order minimum not met", kraken.ErrOrderRefused, readsGranted},
	{"EOrder:Invalid price:Invalid price argument", kraken.ErrOrderRefused, readsGranted},
	{"EOrder:Invalid order", kraken.ErrOrderRefused, readsGranted},
	{"EOrder:Cancel pending", kraken.ErrOrderRefused, readsGranted},
	{"EFunding:Unknown withdraw key", kraken.ErrFundingRefused, readsGranted},
	{"EFunding:Invalid amount", kraken.ErrFundingRefused, readsGranted},
	{"EFunding:No funding method", kraken.ErrFundingRefused, readsGranted},
	{"EFunding:Unknown asset", kraken.ErrFundingRefused, readsGranted},
	{"EFoo:Something new", nil, readsUnknown},
	{"an HTML page, not an error string", nil, readsUnknown},
}

func TestKnownErrors_areAllInTheTable(t *testing.T) {
	for _, k := range kraken.KnownErrors {
		found := slices.ContainsFunc(realWorldErrors, func(e struct {
			msg   string
			kind  error
			probe probeReading
		}) bool {
			return strings.HasPrefix(e.msg, k.Prefix) && e.kind == k.Kind
		})
		if !found {
			t.Errorf("KnownErrors entry %q has no test in realWorldErrors", k.Prefix)
		}
	}
}

func TestClient_APIKeyInfo_realWorldErrors(t *testing.T) {
	generic := kraken.UserMessage(errors.New("x"))
	for _, tt := range realWorldErrors {
		t.Run(tt.msg+" reads as its typed error, in plain words", func(t *testing.T) {
			ex, clock := newSimulation(t)
			k := ex.AddKey(krakentest.Key{Permissions: allPermissions})
			ex.FailWith("GetApiKeyInfo", tt.msg)
			_, err := simulatedClient(t, ex, clock, k).APIKeyInfo(t.Context(), "")
			var apiErr *kraken.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v is not an APIError", err)
			}
			if apiErr.Unwrap() != tt.kind {
				t.Errorf("kind = %v, want %v", apiErr.Unwrap(), tt.kind)
			}
			msg := kraken.UserMessage(err)
			if msg == "" || msg == generic {
				t.Errorf("UserMessage = %q, want plain words for it", msg)
			}
			if tt.kind == nil && !strings.Contains(msg, tt.msg) {
				t.Errorf("UserMessage = %q, want the new answer quoted", msg)
			}
			if n := len(ex.Calls()); n != 1 {
				t.Errorf("%d calls, want 1: no error is retried", n)
			}
		})
	}
}

func TestClient_Probe_realWorldErrors(t *testing.T) {
	for _, tt := range realWorldErrors {
		t.Run(tt.msg+" on every probe reads as "+tt.probe.String(), func(t *testing.T) {
			ex, clock := newSimulation(t, krakentest.WithoutKeyInfo())
			k := ex.AddKey(krakentest.Key{Permissions: allPermissions})
			ex.FailWith(krakentest.AnyMethod, tt.msg)
			got, err := simulatedClient(t, ex, clock, k).Probe(t.Context(), nil)
			if tt.probe == readsStop {
				if err == nil || got != nil || (tt.kind != nil && !errors.Is(err, tt.kind)) {
					t.Fatalf("Probe = %+v, %v; want nil and %v", got, err, tt.kind)
				}
				if n := len(ex.Calls()); n != 1 {
					t.Errorf("%d calls, want probing to stop at the first", n)
				}
				return
			}
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			want := map[probeReading]kraken.ProbeStatus{readsGranted: kraken.ProbeGranted,
				readsNotGranted: kraken.ProbeNotGranted, readsUnknown: kraken.ProbeUnknown}[tt.probe]
			for _, p := range []kraken.Permission{kraken.QueryFunds, kraken.QueryOpenTrades, kraken.ModifyTrades, kraken.CloseTrades} {
				if got.Status[p] != want {
					t.Errorf("%s = %v, want %v", p, got.Status[p], want)
				}
			}
			if tt.probe == readsUnknown {
				if g := got.Granted(); len(g) != 0 {
					t.Errorf("Granted = %v, want none from an answer that says nothing", g)
				}
				if a := got.Answers[kraken.QueryFunds]; !strings.Contains(a, tt.msg) {
					t.Errorf("Answers[query-funds] = %q, want the exchange's words", a)
				}
			}
		})
	}
}

func (r probeReading) String() string {
	return [...]string{"granted", "not granted", "unknown", "a stop"}[r]
}

func TestPassedPermissionCheck(t *testing.T) {
	for _, tt := range realWorldErrors {
		err := error(&kraken.APIError{Method: "AddOrder", Messages: []string{tt.msg}})
		if tt.kind != nil {
			err = errors.Join(err, tt.kind)
		}
		if got, want := kraken.PassedPermissionCheck(err), tt.probe == readsGranted; got != want {
			t.Errorf("PassedPermissionCheck(%s) = %v, want %v", tt.msg, got, want)
		}
	}
	if !kraken.PassedPermissionCheck(nil) {
		t.Error("PassedPermissionCheck(nil) = false, want true: a result passed")
	}
}

func TestUserMessage_capsTheExchangesWords(t *testing.T) {
	ex, clock := newSimulation(t)
	k := ex.AddKey(krakentest.Key{})
	ex.FailWith("GetApiKeyInfo", "EFoo:"+strings.Repeat("ü", 3<<20/2), "EBar:\x1b[31mred\nline", "a", "b", "c", "d")
	_, err := simulatedClient(t, ex, clock, k).APIKeyInfo(t.Context(), "")
	var apiErr *kraken.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v is not an APIError", err)
	}
	for _, text := range []string{err.Error(), kraken.UserMessage(err)} {
		if n := len([]rune(text)); n > 2000 {
			t.Errorf("text of %d characters, want it capped", n)
		}
		if strings.ContainsAny(text, "\x1b\n") {
			t.Errorf("text %q holds control characters", text)
		}
	}
	if len(apiErr.Messages) != 5 || apiErr.Messages[4] != "and 2 more" {
		t.Errorf("Messages = %q, want four and a count of the rest", apiErr.Messages)
	}
	if n := len([]rune(kraken.UserMessage(err))); n > 500 {
		t.Errorf("UserMessage has %d characters, want the quote capped to about %d", n, kraken.MaxQuoted)
	}
}

func TestClient_echoingExchangeLeaksNoSecret(t *testing.T) {
	secrets := []struct {
		name string
		otp  string
	}{
		{"a static 2FA password", `Sup3r secret/pw+"&=ü`},
		{"a time-based code", "492039"},
	}
	echoes := []struct {
		name string
		echo func(body string) string
	}{
		{"the body as sent", func(b string) string { return b }},
		{"the body read back", func(b string) string { v, _ := url.ParseQuery(b); return v.Encode() + " " + v.Get("otp") }},
		{"the body as JSON", func(b string) string {
			v, _ := url.ParseQuery(b)
			j, _ := json.Marshal(map[string]string{"otp": v.Get("otp")})
			return string(j)
		}},
	}
	for _, s := range secrets {
		for _, e := range echoes {
			t.Run(s.name+" echoed as "+e.name+" is scrubbed", func(t *testing.T) {
				ex, clock := newSimulation(t, krakentest.WithoutKeyInfo())
				k := ex.AddKey(krakentest.Key{OTPPassword: s.otp})
				ex.InjectFault(krakentest.AnyMethod, func(r krakentest.FaultRequest) []string {
					return []string{"EGeneral:Invalid arguments:" + e.echo(string(r.Body)) + " " + k.PrivateKey + " " + k.APIKey}
				})
				c := simulatedClient(t, ex, clock, k)
				_, err := c.APIKeyInfo(t.Context(), s.otp)
				res, perr := c.Probe(t.Context(), func() string { return s.otp })
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
					for _, secret := range []string{s.otp, url.QueryEscape(s.otp), k.PrivateKey, strings.TrimRight(k.PrivateKey, "="), k.APIKey} {
						if strings.Contains(text, secret) {
							t.Errorf("%q holds a secret", text)
						}
					}
				}
				if !strings.Contains(kraken.UserMessage(err), "[2FA code]") {
					t.Errorf("UserMessage = %q, want the code marked as removed", kraken.UserMessage(err))
				}
			})
		}
	}
}

func TestScrub(t *testing.T) {
	const pw = `a b/c+d"e&f=`
	for _, in := range []string{pw, url.QueryEscape(pw), url.PathEscape(pw), string(jsonQuoted(pw)), strings.ReplaceAll(pw, "/", `\/`)} {
		if got := kraken.Scrub("x "+in+" y", pw); strings.Contains(got, in) || !strings.Contains(got, "[redacted]") {
			t.Errorf("Scrub(%q) = %q", in, got)
		}
	}
	if got := kraken.Scrub("nothing here", "", "secret"); got != "nothing here" {
		t.Errorf("Scrub changed text without a secret: %q", got)
	}
}

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"short", "short"},
		{"line\nbreak\x1b[0m", "line break [0m"},
		{strings.Repeat("é", kraken.MaxQuoted+1), strings.Repeat("é", kraken.MaxQuoted) + "…"},
		{strings.Repeat("é", kraken.MaxQuoted), strings.Repeat("é", kraken.MaxQuoted)},
		{"bad \xff utf-8", "bad \uFFFD utf-8"},
	}
	for _, tt := range tests {
		if got := kraken.Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%.20q) = %.40q, want %.40q", tt.in, got, tt.want)
		}
	}
}

func jsonQuoted(s string) []byte {
	b, _ := json.Marshal(s)
	return b[1 : len(b)-1]
}
