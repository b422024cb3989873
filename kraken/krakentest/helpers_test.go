package krakentest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeClock is an exchange clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 4, 12, 24, 20, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testSign signs a private call the documented way ([AUTH]); it shares no
// code with the exchange's check. It returns "" for a private key that is
// not base64.
func testSign(privateKey, urlPath, nonce string, body []byte) string {
	secret, err := base64.StdEncoding.DecodeString(privateKey)
	if err != nil {
		return ""
	}
	inner := sha256.New()
	inner.Write([]byte(nonce))
	inner.Write(body)
	mac := hmac.New(sha512.New, secret)
	mac.Write(append([]byte(urlPath), inner.Sum(nil)...))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// reply is the exchange's answer, decoded.
type reply struct {
	Status int
	Error  []string
	Result json.RawMessage
}

// errString returns the answer's error array joined, or "" on success.
func (r reply) errString() string {
	if len(r.Error) == 0 {
		return ""
	}
	s := r.Error[0]
	for _, e := range r.Error[1:] {
		s += "; " + e
	}
	return s
}

// rawRequest is one request to send, exactly as given.
type rawRequest struct {
	method      string // the private method
	path        string // the whole URL path, if not prefix+"/0/private/"+method
	httpMethod  string // POST if empty
	apiKey      string
	apiSign     string
	contentType string
	body        []byte
}

// sendRaw sends r; it is safe to use outside the test's goroutine.
func sendRaw(ctx context.Context, ex *Exchange, r rawRequest) (reply, error) {
	u := ex.URL() + "/0/private/" + r.method
	if r.path != "" {
		u = ex.srv.URL + r.path
	}
	if r.httpMethod == "" {
		r.httpMethod = http.MethodPost
	}
	req, err := http.NewRequestWithContext(ctx, r.httpMethod, u, bytes.NewReader(r.body))
	if err != nil {
		return reply{}, err
	}
	if r.apiKey != "" {
		req.Header.Set("API-Key", r.apiKey)
	}
	if r.apiSign != "" {
		req.Header.Set("API-Sign", r.apiSign)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	var env struct {
		Error  []string        `json:"error"`
		Result json.RawMessage `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return reply{}, fmt.Errorf("undecodable answer: %w", err)
	}
	return reply{Status: resp.StatusCode, Error: env.Error, Result: env.Result}, nil
}

func send(t *testing.T, ex *Exchange, r rawRequest) reply {
	t.Helper()
	got, err := sendRaw(context.Background(), ex, r)
	if err != nil {
		t.Fatalf("%s: %v", r.method, err)
	}
	return got
}

// formBody encodes params with the nonce first, as clients usually do.
func formBody(nonce uint64, params url.Values) []byte {
	body := "nonce=" + strconv.FormatUint(nonce, 10)
	if enc := params.Encode(); enc != "" {
		body += "&" + enc
	}
	return []byte(body)
}

// signed returns a correctly signed form-encoded request with key k. An
// "otp" in params is sent like any other parameter.
func signed(k Key, method string, nonce uint64, params url.Values) rawRequest {
	body := formBody(nonce, params)
	return rawRequest{
		method:      method,
		apiKey:      k.APIKey,
		apiSign:     testSign(k.PrivateKey, "/0/private/"+method, strconv.FormatUint(nonce, 10), body),
		contentType: "application/x-www-form-urlencoded",
		body:        body,
	}
}

// call makes a correctly signed call with key k.
func call(t *testing.T, ex *Exchange, k Key, method string, nonce uint64, params url.Values) reply {
	t.Helper()
	return send(t, ex, signed(k, method, nonce, params))
}

// nonces hands out increasing millisecond-style nonces.
type nonces struct {
	mu   sync.Mutex
	next uint64
}

func (n *nonces) Next() uint64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.next == 0 {
		n.next = 1772627060997
	}
	n.next++
	return n.next
}

// newTestExchange starts an exchange on a fake clock, closed at the end of
// the test.
func newTestExchange(t *testing.T, opts ...Option) (*Exchange, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	ex := New(append([]Option{WithClock(clock.Now)}, opts...)...)
	t.Cleanup(ex.Close)
	return ex, clock
}
