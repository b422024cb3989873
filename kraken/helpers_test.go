package kraken_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

// The key pair of the exchange's documentation: the right shape, tied to no account.
const (
	testAPIKey     = "4/SDrDBcOOPnm3nPlNfEMMJDeRcIVqPz+QhRxIodyZbI9po/aVRiHsgX"
	testPrivateKey = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="
	testPrefix     = "/prefix"
)

// documentedKeyInfo is GetApiKeyInfo's documented example result.
const documentedKeyInfo = `{"apiKeyName":"my-api-key","apiKey":"4/SDrDBcOOPnm3nPlNfEMMJDeRcIVqPz+QhRxIodyZbI9po/aVRiHsgX","nonce":"1772627060997","nonceWindow":0,"permissions":["query-funds","withdraw-funds","query-open-trades","modify-trades"],"iban":"AA88 N84G WOAK NMOI","validUntil":"0","queryFrom":"0","queryTo":"0","createdTime":"1772542900","modifiedTime":"1772543095","ipAllowlist":[],"lastUsed":"1772627061"}`

// request is one call as the fake exchange received it.
type request struct {
	Method      string // the private method, e.g. "Balance"
	Path        string // the full URL path
	Nonce       int64
	Body        string         // the body as sent
	Params      map[string]any // the form body's values, all strings
	Header      http.Header
	SignatureOK bool
}

// answerFunc says what the fake exchange answers: an HTTP status and a body.
type answerFunc func(r request) (status int, body string)

// fakeExchange is an httptest server under testPrefix that checks each
// call's signature with its own implementation of the documented algorithm,
// records the call, and answers with answer.
type fakeExchange struct {
	srv    *httptest.Server
	answer answerFunc

	mu       sync.Mutex
	requests []request
}

func newFakeExchange(t *testing.T, answer answerFunc) *fakeExchange {
	t.Helper()
	f := &fakeExchange{answer: answer}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeExchange) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := request{Path: r.URL.Path, Header: r.Header.Clone()}
	urlPath, underPrefix := strings.CutPrefix(r.URL.Path, testPrefix)
	req.Method, _ = strings.CutPrefix(urlPath, "/0/private/")

	req.Body = string(body)
	values, _ := url.ParseQuery(string(body))
	req.Params = make(map[string]any, len(values))
	for k := range values {
		req.Params[k] = values.Get(k)
	}
	nonceText := values.Get("nonce")
	req.Nonce, _ = strconv.ParseInt(nonceText, 10, 64)
	req.SignatureOK = r.Method == http.MethodPost && underPrefix &&
		r.Header.Get("Content-Type") == "application/x-www-form-urlencoded" &&
		r.Header.Get("User-Agent") != "" &&
		r.Header.Get("API-Key") == testAPIKey &&
		r.Header.Get("API-Sign") == referenceSign(urlPath, nonceText, body, testPrivateKey)

	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.mu.Unlock()

	if !req.SignatureOK {
		writeAnswer(w, http.StatusOK, `{"error":["EAPI:Invalid signature"]}`)
		return
	}
	status, answer := f.answer(req)
	writeAnswer(w, status, answer)
}

func writeAnswer(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// URL is the base URL to give the client: the server's, plus testPrefix.
func (f *fakeExchange) URL() string { return f.srv.URL + testPrefix }

// Requests returns the calls received so far, in arrival order.
func (f *fakeExchange) Requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.requests...)
}

// Methods returns the private methods called so far, in arrival order.
func (f *fakeExchange) Methods() []string {
	var out []string
	for _, r := range f.Requests() {
		out = append(out, r.Method)
	}
	return out
}

// newTestClient returns a client for the documented key pair that talks to f
// and waits on a fake clock.
func newTestClient(t *testing.T, f *fakeExchange, opts ...kraken.Option) *kraken.Client {
	t.Helper()
	opts = append([]kraken.Option{kraken.WithBaseURL(f.URL()), kraken.WithClock(newFakeClock())}, opts...)
	c, err := kraken.NewClient(testAPIKey, testPrivateKey, opts...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// referenceSign is the documented signature, written apart from kraken.Sign.
func referenceSign(urlPath, nonce string, body []byte, privateKey string) string {
	key, err := base64.StdEncoding.DecodeString(privateKey)
	if err != nil {
		return "bad key"
	}
	digest := sha256.Sum256([]byte(nonce + string(body)))
	mac := hmac.New(sha512.New, key)
	mac.Write([]byte(urlPath + string(digest[:])))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// ok wraps a result object in a successful envelope.
func ok(result string) (int, string) {
	return http.StatusOK, `{"error":[],"result":` + result + `}`
}

// fail answers with the exchange's error strings.
func fail(msgs ...string) (int, string) {
	b, _ := json.Marshal(msgs)
	return http.StatusOK, `{"error":` + string(b) + `}`
}

// fakeClock is a Clock whose Sleep moves its time on at once.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

// Slept returns the total time slept.
func (c *fakeClock) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var total time.Duration
	for _, d := range c.slept {
		total += d
	}
	return total
}

// assertNoSecret fails when text holds the private key or the full API key.
func assertNoSecret(t *testing.T, text string) {
	t.Helper()
	for name, secret := range map[string]string{
		"private key":          testPrivateKey,
		"private key unpadded": strings.TrimRight(testPrivateKey, "="),
		"API key":              testAPIKey,
	} {
		if strings.Contains(text, secret) {
			t.Errorf("text contains the %s: %q", name, text)
		}
	}
}
