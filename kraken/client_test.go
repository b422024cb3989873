package kraken_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

func TestNewClient(t *testing.T) {
	tests := []struct {
		name       string
		apiKey     string
		privateKey string
		baseURL    string // "" = default
		wantErr    error
	}{
		{"the default base URL is accepted", testAPIKey, testPrivateKey, "", nil},
		{"an https URL with a path prefix is accepted", testAPIKey, testPrivateKey, "https://example.com/prefix/", nil},
		{"http to 127.0.0.1 with a prefix is accepted", testAPIKey, testPrivateKey, "http://127.0.0.1:1234/prefix", nil},
		{"http to anywhere in 127.0.0.0/8 is accepted", testAPIKey, testPrivateKey, "http://127.8.9.10:80", nil},
		{"http to ::1 is accepted", testAPIKey, testPrivateKey, "http://[::1]:8080", nil},
		{"http to localhost is accepted", testAPIKey, testPrivateKey, "http://LocalHost:8080", nil},
		{"http to the exchange is refused", testAPIKey, testPrivateKey, "http://api.kraken.com", kraken.ErrBadBaseURL},
		{"http to a LAN address is refused", testAPIKey, testPrivateKey, "http://192.168.1.2:8080", kraken.ErrBadBaseURL},
		{"http to a name that starts like loopback is refused", testAPIKey, testPrivateKey, "http://127.0.0.1.example.com", kraken.ErrBadBaseURL},
		{"http to a name that starts like localhost is refused", testAPIKey, testPrivateKey, "http://localhost.example.com", kraken.ErrBadBaseURL},
		{"http to the unspecified address is refused", testAPIKey, testPrivateKey, "http://0.0.0.0:8080", kraken.ErrBadBaseURL},
		{"another scheme is refused", testAPIKey, testPrivateKey, "ftp://api.kraken.com", kraken.ErrBadBaseURL},
		{"a URL without scheme is refused", testAPIKey, testPrivateKey, "api.kraken.com", kraken.ErrBadBaseURL},
		{"a URL with a password is refused", testAPIKey, testPrivateKey, "https://user:pw@api.kraken.com", kraken.ErrBadBaseURL},
		{"a URL with a query is refused", testAPIKey, testPrivateKey, "https://api.kraken.com/?x=1", kraken.ErrBadBaseURL},
		{"a key of the wrong shape is refused", testAPIKey[:50], testPrivateKey, "", kraken.ErrMalformedKey},
		{"a private key of the wrong shape is refused", testAPIKey, testPrivateKey[:80], "", kraken.ErrMalformedKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []kraken.Option
			if tt.baseURL != "" {
				opts = append(opts, kraken.WithBaseURL(tt.baseURL))
			}
			c, err := kraken.NewClient(tt.apiKey, tt.privateKey, opts...)
			if tt.wantErr == nil {
				if err != nil || c == nil {
					t.Fatalf("NewClient = %v, %v; want a client", c, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("NewClient error = %v, want %v", err, tt.wantErr)
			}
			if c != nil {
				t.Errorf("NewClient returned a client with the error")
			}
			assertNoSecret(t, err.Error())
		})
	}
}

func TestClient_String(t *testing.T) {
	c, err := kraken.NewClient(testAPIKey, testPrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		t.Run("printing with "+verb+" shows no secret", func(t *testing.T) {
			got := fmt.Sprintf(verb, c)
			assertNoSecret(t, got)
			if !strings.Contains(got, testAPIKey[:6]) {
				t.Errorf("%s = %q, want the key's first characters", verb, got)
			}
		})
	}
}

func TestClient_APIKeyInfo(t *testing.T) {
	tests := []struct {
		name    string
		otp     string
		wantOTP any // the otp field the exchange receives; nil = absent
	}{
		{"a key without 2FA sends no otp", "", nil},
		{"a key with 2FA sends the code", "123456", "123456"},
		{"a static 2FA password is sent as is", "pa ss/wörd\"", "pa ss/wörd\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := newFakeExchange(t, func(request) (int, string) { return ok(documentedKeyInfo) })
			c := newTestClient(t, ex)

			got, err := c.APIKeyInfo(t.Context(), tt.otp)
			if err != nil {
				t.Fatalf("APIKeyInfo: %v", err)
			}
			want, _ := kraken.ParseKeyInfo([]byte(documentedKeyInfo))
			if got.SentNonce == 0 || got.SentNonce == got.Nonce {
				t.Errorf("SentNonce = %d: want the nonce sent, not the answer's %d", got.SentNonce, got.Nonce)
			}
			want.SentNonce = got.SentNonce // checked against the request below
			if !equalKeyInfo(got, want) {
				t.Errorf("APIKeyInfo = %+v, want %+v", got, want)
			}

			reqs := ex.Requests()
			if len(reqs) != 1 {
				t.Fatalf("the exchange got %d calls, want 1", len(reqs))
			}
			r := reqs[0]
			if uint64(r.Nonce) != got.SentNonce {
				t.Errorf("SentNonce = %d, the request's nonce %d", got.SentNonce, r.Nonce)
			}
			if want := testPrefix + "/0/private/GetApiKeyInfo"; r.Path != want {
				t.Errorf("path = %q, want %q", r.Path, want)
			}
			if !r.SignatureOK {
				t.Errorf("the exchange could not verify the signature: %v", r.Header)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type = %q, want a form body as the REST reference says", ct)
			}
			if ua := r.Header.Get("User-Agent"); ua != kraken.UserAgent {
				t.Errorf("User-Agent = %q, want %q", ua, kraken.UserAgent)
			}
			if !strings.HasPrefix(r.Body, "nonce=") {
				t.Errorf("body %q, want the nonce first, form-encoded", r.Body)
			}
			otp, present := r.Params["otp"]
			if tt.wantOTP == nil && present {
				t.Errorf("otp = %v sent, want none", otp)
			}
			if tt.wantOTP != nil && otp != tt.wantOTP {
				t.Errorf("otp = %v, want %v", otp, tt.wantOTP)
			}
			if now := time.Now().UnixMilli(); r.Nonce < now-60_000 || r.Nonce > now+60_000 {
				t.Errorf("nonce %d is not milliseconds near %d", r.Nonce, now)
			}
			wantFields := 1 // nonce
			if tt.wantOTP != nil {
				wantFields++
			}
			if len(r.Params) != wantFields {
				t.Errorf("body has fields %v, want %d", r.Params, wantFields)
			}
		})
	}
}

// equalKeyInfo compares two KeyInfo values field by field.
func equalKeyInfo(a, b *kraken.KeyInfo) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func TestClient_APIKeyInfo_errors(t *testing.T) {
	// Every error string in the exchange facts, and the sentinel it must match.
	tests := []struct {
		msg  string
		want error
		auth bool
	}{
		{"EAPI:Invalid key", kraken.ErrInvalidKey, true},
		{"EAPI:Invalid signature", kraken.ErrInvalidSignature, true},
		{"EAPI:Invalid nonce", kraken.ErrInvalidNonce, true},
		{"EGeneral:Permission denied", kraken.ErrPermissionDenied, false},
		{"EGeneral:Temporary lockout", kraken.ErrLockout, true},
		{"EAPI:Rate limit exceeded", kraken.ErrRateLimited, false},
		{"EService: Throttled: 1772627100", kraken.ErrThrottled, false},
		{"EGeneral:Unknown method", kraken.ErrUnknownMethod, false},
		{"EService:Unavailable", kraken.ErrExchangeDown, false},
		{"EService:Busy", kraken.ErrExchangeDown, false},
		{"EGeneral:Internal error", kraken.ErrExchangeDown, false},
	}
	for _, tt := range tests {
		t.Run(tt.msg+" matches its sentinel", func(t *testing.T) {
			ex := newFakeExchange(t, func(request) (int, string) { return fail(tt.msg) })
			c := newTestClient(t, ex)
			info, err := c.APIKeyInfo(t.Context(), "")
			if info != nil {
				t.Errorf("APIKeyInfo returned %+v with the error", info)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("APIKeyInfo error = %v, want %v", err, tt.want)
			}
			if got := kraken.IsAuthError(err); got != tt.auth {
				t.Errorf("IsAuthError = %v, want %v", got, tt.auth)
			}
			var apiErr *kraken.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %T is not an *APIError", err)
			}
			if got := apiErr.Messages; len(got) != 1 || got[0] != tt.msg {
				t.Errorf("Messages = %q, want [%q]", got, tt.msg)
			}
			if apiErr.Method != "GetApiKeyInfo" {
				t.Errorf("Method = %q, want GetApiKeyInfo", apiErr.Method)
			}
			wantRetry := time.Time{}
			if tt.want == kraken.ErrThrottled {
				wantRetry = time.Unix(1772627100, 0)
			}
			if !apiErr.RetryAfter.Equal(wantRetry) {
				t.Errorf("RetryAfter = %v, want %v", apiErr.RetryAfter, wantRetry)
			}
		})
	}
	t.Run("the first recognised message decides", func(t *testing.T) {
		ex := newFakeExchange(t, func(request) (int, string) {
			return fail("EFoo:Something new", "EAPI:Invalid key", "EGeneral:Permission denied")
		})
		_, err := newTestClient(t, ex).APIKeyInfo(t.Context(), "")
		if !errors.Is(err, kraken.ErrInvalidKey) || errors.Is(err, kraken.ErrPermissionDenied) {
			t.Errorf("error = %v, want ErrInvalidKey only", err)
		}
	})
	t.Run("an unknown message is an APIError matching no sentinel", func(t *testing.T) {
		ex := newFakeExchange(t, func(request) (int, string) { return fail("EFoo:Something new") })
		_, err := newTestClient(t, ex).APIKeyInfo(t.Context(), "")
		var apiErr *kraken.APIError
		if !errors.As(err, &apiErr) || apiErr.Unwrap() != nil {
			t.Errorf("error = %v, want an APIError without sentinel", err)
		}
	})
}

func TestClient_APIKeyInfo_badAnswers(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   error
	}{
		{"HTTP 500 means the exchange is down", 500, `oops`, kraken.ErrExchangeDown},
		{"HTTP 502 means the exchange is down", 502, `<html>bad gateway</html>`, kraken.ErrExchangeDown},
		{"HTTP 503 with an envelope still means the exchange is down", 503, `{"error":["EService:Unavailable"]}`, kraken.ErrExchangeDown},
		{"HTTP 404 is a bad response", 404, `not found`, kraken.ErrBadResponse},
		{"HTTP 403 is a bad response", 403, `{"error":[]}`, kraken.ErrBadResponse},
		{"a redirect is not followed", 302, ``, kraken.ErrBadResponse},
		{"HTML is a bad response", 200, `<html></html>`, kraken.ErrBadResponse},
		{"an empty body is a bad response", 200, ``, kraken.ErrBadResponse},
		{"an envelope with neither error nor result is a bad response", 200, `{"error":[]}`, kraken.ErrBadResponse},
		{"a null result is a bad response", 200, `{"error":[],"result":null}`, kraken.ErrBadResponse},
		{"an error array of numbers is a bad response", 200, `{"error":[1,2]}`, kraken.ErrBadResponse},
		{"a result without permissions is a bad response", 200, `{"error":[],"result":{"apiKeyName":"x"}}`, kraken.ErrBadResponse},
		{"a result with a broken timestamp is a bad response", 200, `{"error":[],"result":` + strings.Replace(documentedKeyInfo, `"createdTime":"1772542900"`, `"createdTime":"yesterday"`, 1) + `}`, kraken.ErrBadResponse},
		{"a truncated answer is a bad response", 200, `{"error":[],"result":{"apiKeyName":"x"`, kraken.ErrBadResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := newFakeExchange(t, func(request) (int, string) { return tt.status, tt.body })
			_, err := newTestClient(t, ex).APIKeyInfo(t.Context(), "")
			if !errors.Is(err, tt.want) {
				t.Errorf("APIKeyInfo error = %v, want %v", err, tt.want)
			}
			if kraken.IsAuthError(err) {
				t.Errorf("IsAuthError(%v) = true", err)
			}
		})
	}
}

func TestClient_APIKeyInfo_neverRetries(t *testing.T) {
	for _, msg := range []string{
		"EAPI:Invalid key", "EAPI:Invalid signature", "EAPI:Invalid nonce", "EGeneral:Temporary lockout",
		"EGeneral:Permission denied", "EService:Unavailable", "EAPI:Rate limit exceeded", "EService: Throttled: 1772627100",
	} {
		t.Run("the answer "+msg+" is not retried", func(t *testing.T) {
			ex := newFakeExchange(t, func(request) (int, string) { return fail(msg) })
			_, err := newTestClient(t, ex).APIKeyInfo(t.Context(), "")
			if err == nil {
				t.Fatal("APIKeyInfo succeeded")
			}
			if got := len(ex.Requests()); got != 1 {
				t.Errorf("the exchange got %d calls, want exactly 1", got)
			}
		})
	}
	t.Run("HTTP 503 is not retried", func(t *testing.T) {
		ex := newFakeExchange(t, func(request) (int, string) { return 503, "" })
		_, _ = newTestClient(t, ex).APIKeyInfo(t.Context(), "")
		if got := len(ex.Requests()); got != 1 {
			t.Errorf("the exchange got %d calls, want exactly 1", got)
		}
	})
}

func TestClient_APIKeyInfo_invalidNonceIsNotFixed(t *testing.T) {
	// The exchange says a larger nonce was used; the client must report it and
	// keep sending millisecond nonces, not jump ahead of the other program.
	const otherProgramsNonce = 9_000_000_000_000_000
	ex := newFakeExchange(t, func(r request) (int, string) {
		if r.Nonce <= otherProgramsNonce {
			return fail("EAPI:Invalid nonce")
		}
		return ok(documentedKeyInfo)
	})
	c := newTestClient(t, ex)
	for i := range 2 {
		if _, err := c.APIKeyInfo(t.Context(), ""); !errors.Is(err, kraken.ErrInvalidNonce) {
			t.Fatalf("call %d: error = %v, want ErrInvalidNonce", i, err)
		}
	}
	now := time.Now().UnixMilli()
	for _, r := range ex.Requests() {
		if r.Nonce > now+60_000 {
			t.Errorf("nonce %d jumped ahead of the clock (%d ms)", r.Nonce, now)
		}
	}
}

func TestClient_APIKeyInfo_concurrentNonces(t *testing.T) {
	const calls = 50
	var mu sync.Mutex
	var last int64
	ex := newFakeExchange(t, func(r request) (int, string) {
		// Like the exchange: a nonce not above the last accepted one fails.
		mu.Lock()
		defer mu.Unlock()
		if r.Nonce <= last {
			return fail("EAPI:Invalid nonce")
		}
		last = r.Nonce
		return ok(documentedKeyInfo)
	})
	clock := newFakeClock()
	c := newTestClient(t, ex, kraken.WithClock(clock))
	other := newTestClient(t, ex, kraken.WithClock(clock)) // a second Client of the same key

	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for i := range calls {
		client := c
		if i%5 == 0 {
			client = other
		}
		wg.Go(func() {
			_, err := client.APIKeyInfo(t.Context(), "")
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("APIKeyInfo: %v", err)
		}
	}

	reqs := ex.Requests()
	if len(reqs) != calls {
		t.Fatalf("the exchange got %d calls, want %d", len(reqs), calls)
	}
	for i := 1; i < len(reqs); i++ {
		if reqs[i].Nonce <= reqs[i-1].Nonce {
			t.Errorf("call %d arrived with nonce %d after %d", i, reqs[i].Nonce, reqs[i-1].Nonce)
		}
	}
	for i, r := range reqs {
		if !r.SignatureOK {
			t.Errorf("call %d: bad signature", i)
		}
	}
}

func TestClient_APIKeyInfo_waitsForRateCounter(t *testing.T) {
	ex := newFakeExchange(t, func(request) (int, string) { return ok(documentedKeyInfo) })
	tests := []struct {
		name      string
		tier      kraken.Tier
		calls     int
		wantSlept time.Duration
	}{
		{"fifteen calls fit a Starter key", kraken.Starter, 15, 0},
		{"the sixteenth call on a Starter key waits three seconds", kraken.Starter, 16, secondsOf(1 / 0.33)},
		{"twenty calls fit a Pro key", kraken.Pro, 20, 0},
		{"the twenty-second call on a Pro key has waited two seconds", kraken.Pro, 22, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			c := newTestClient(t, ex, kraken.WithTier(tt.tier), kraken.WithClock(clock))
			for range tt.calls {
				if _, err := c.APIKeyInfo(t.Context(), ""); err != nil {
					t.Fatal(err)
				}
			}
			if got := clock.Slept(); got < tt.wantSlept-time.Millisecond || got > tt.wantSlept+time.Millisecond {
				t.Errorf("slept %v, want %v", got, tt.wantSlept)
			}
		})
	}
	t.Run("a rate-limit answer fills the counter so the next call waits", func(t *testing.T) {
		ex := newFakeExchange(t, func(request) (int, string) { return fail("EAPI:Rate limit exceeded") })
		clock := newFakeClock()
		c := newTestClient(t, ex, kraken.WithTier(kraken.Pro), kraken.WithClock(clock))
		_, _ = c.APIKeyInfo(t.Context(), "")
		if got := c.RateCounter().Level(clock.Now()); got != 20 {
			t.Errorf("Level = %v, want 20", got)
		}
	})
	t.Run("a cancelled wait sends nothing", func(t *testing.T) {
		ex := newFakeExchange(t, func(request) (int, string) { return ok(documentedKeyInfo) })
		counter := kraken.NewRateCounter(kraken.Pro)
		counter.Charge(20, time.Now())
		c, err := kraken.NewClient(testAPIKey, testPrivateKey, kraken.WithBaseURL(ex.URL()), kraken.WithRateCounter(counter))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		if _, err := c.APIKeyInfo(ctx, ""); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("APIKeyInfo error = %v, want DeadlineExceeded", err)
		}
		if got := len(ex.Requests()); got != 0 {
			t.Errorf("the exchange got %d calls, want 0", got)
		}
	})
}

// failingTransport fails every request with an error that quotes everything
// it was given, the way a careless proxy or a debugging transport might.
type failingTransport struct{}

func (failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("refused %s key=%s sign=%s (configured with %s, escaped %s)",
		r.URL, r.Header.Get("API-Key"), r.Header.Get("API-Sign"), testPrivateKey,
		strings.NewReplacer("/", "%2F", "+", "%2B", "=", "%3D").Replace(testPrivateKey))
}

func TestClient_errorsHoldNoSecret(t *testing.T) {
	echo := func(r request) string {
		// Everything an exchange could send back: the key, the signature, the
		// body, and the private key in its usual escapes.
		return strings.Join([]string{
			r.Header.Get("API-Key"), r.Header.Get("API-Sign"), testPrivateKey,
			strings.ReplaceAll(testPrivateKey, "/", `\/`),
			strings.NewReplacer("/", "%2F", "+", "%2B", "=", "%3D").Replace(testAPIKey),
		}, " ")
	}
	tests := []struct {
		name   string
		answer answerFunc
		want   error
	}{
		{"an error message echoing the keys", func(r request) (int, string) {
			return fail("EGeneral:Invalid arguments: " + echo(r))
		}, nil},
		{"an auth error echoing the keys", func(r request) (int, string) {
			return fail("EAPI:Invalid key " + echo(r))
		}, kraken.ErrInvalidKey},
		{"malformed JSON holding the keys", func(r request) (int, string) {
			return 200, `{"error":[],"result":{"apiKeyName":` + echo(r)
		}, kraken.ErrBadResponse},
		{"a result whose fields hold the keys", func(r request) (int, string) {
			return ok(`{"permissions":[],"nonce":"` + testPrivateKey + `","apiKey":` + string(jsonOf(echo(r))) + `}`)
		}, kraken.ErrBadResponse},
		{"a number field holding the key", func(r request) (int, string) {
			return ok(`{"permissions":[],"nonceWindow":"` + testAPIKey + `"}`)
		}, kraken.ErrBadResponse},
		{"an HTTP error page holding the keys", func(r request) (int, string) {
			return 500, echo(r)
		}, kraken.ErrExchangeDown},
	}
	for _, tt := range tests {
		t.Run(tt.name+" gives an error without them", func(t *testing.T) {
			ex := newFakeExchange(t, tt.answer)
			_, err := newTestClient(t, ex).APIKeyInfo(t.Context(), "")
			if err == nil {
				t.Fatal("APIKeyInfo succeeded")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
			assertNoSecret(t, err.Error())
			assertNoSecret(t, kraken.UserMessage(err))
			var apiErr *kraken.APIError
			if errors.As(err, &apiErr) {
				assertNoSecret(t, strings.Join(apiErr.Messages, " "))
			}
		})
	}
	t.Run("a transport error quoting the request gives an error without the keys", func(t *testing.T) {
		c, err := kraken.NewClient(testAPIKey, testPrivateKey,
			kraken.WithHTTPClient(&http.Client{Transport: failingTransport{}}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.APIKeyInfo(t.Context(), "")
		if !errors.Is(err, kraken.ErrNetwork) {
			t.Fatalf("error = %v, want ErrNetwork", err)
		}
		assertNoSecret(t, err.Error())
		for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
			assertNoSecret(t, e.Error())
		}
	})
	t.Run("an unreachable exchange gives a network error without the keys", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		c, err := kraken.NewClient(testAPIKey, testPrivateKey, kraken.WithBaseURL(url+testPrefix))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.APIKeyInfo(t.Context(), "")
		if !errors.Is(err, kraken.ErrNetwork) {
			t.Fatalf("error = %v, want ErrNetwork", err)
		}
		assertNoSecret(t, err.Error())
	})
}

func jsonOf(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func TestClient_doesNotFollowRedirects(t *testing.T) {
	var mu sync.Mutex
	var forwarded []http.Header
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		forwarded = append(forwarded, r.Header.Clone())
		mu.Unlock()
	}))
	defer elsewhere.Close()
	for _, status := range []int{301, 302, 307, 308} {
		t.Run(fmt.Sprintf("HTTP %d does not carry the key elsewhere", status), func(t *testing.T) {
			ex := newFakeExchange(t, func(request) (int, string) { return status, "" })
			ex.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, elsewhere.URL+"/steal", status)
			})
			hc := &http.Client{} // follows redirects unless the Client stops it
			_, err := newTestClient(t, ex, kraken.WithHTTPClient(hc)).APIKeyInfo(t.Context(), "")
			if !errors.Is(err, kraken.ErrBadResponse) {
				t.Errorf("error = %v, want ErrBadResponse", err)
			}
			if hc.CheckRedirect != nil {
				t.Error("NewClient changed the caller's http.Client")
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if len(forwarded) != 0 {
		t.Errorf("the other server got %d requests, want 0", len(forwarded))
	}
}
