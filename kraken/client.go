package kraken

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultBaseURL is the exchange's REST API.
const DefaultBaseURL = "https://api.kraken.com"

// ErrBadBaseURL is returned by NewClient for a base URL it will not send keys
// to: anything but https, except plain http to this computer (for tests).
var ErrBadBaseURL = errors.New("the exchange address must use https")

// maxAnswer caps how much of an answer the client reads.
const maxAnswer = 4 << 20

// UserAgent is the User-Agent header of every request: the exchange's REST
// reference says all requests must specify one.
const UserAgent = "Keywarden (+https://github.com/keywarden/keywarden)"

// formContentType is how request bodies are encoded. The REST reference
// says "Request payloads are form-encoded", and every other client does so.
const formContentType = "application/x-www-form-urlencoded"

// Client calls the exchange's private REST API with one key pair. It is safe
// for concurrent use. All Clients of one process share one nonce source, and
// calls made with the same API key are sent one at a time so the exchange
// sees their nonces in order. A Client never retries a call; it only waits
// when its RateCounter says the key's counter would go over the maximum.
type Client struct {
	apiKey string
	secret []byte // the decoded private key
	base   string // scheme://host/prefix, no trailing slash
	http   *http.Client
	clock  Clock
	rate   *RateCounter
	lock   keyLock
	nonces *nonceSource
	scrub  *scrubber // for calls without a 2FA code
	// privateKey is kept only to scrub it from outside text.
	privateKey string
	display    string // the API key, shortened for display
}

// Option configures a Client made by NewClient.
type Option func(*config)

type config struct {
	baseURL    string
	httpClient *http.Client
	tier       Tier
	clock      Clock
	rate       *RateCounter
	nonceScale NonceScale
	lookup     lookupFunc // resolves names for the loopback-only dialer
}

// WithBaseURL sets where the API lives (default DefaultBaseURL). The client
// appends /0/private/<Method>, so a base URL with a path prefix works; the
// signature still covers only the part from /0/private/ on. Only https is
// accepted, or http to a loopback host (127.0.0.0/8, ::1, localhost). For
// a loopback host, http or https, the Client dials loopback addresses only,
// whatever the name resolves to (see WithHTTPClient).
func WithBaseURL(u string) Option {
	return func(c *config) { c.baseURL = u }
}

// WithHTTPClient sets the HTTP client (default: one with a 30 s timeout).
// The Client uses a copy that never follows redirects, so the API-Key and
// API-Sign headers are never forwarded to another address. For a loopback
// base URL, a Transport that is an *http.Transport (or none) is copied with
// a dialer that connects to loopback addresses only and with no proxy; a
// RoundTripper of another type is used as given.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) { c.httpClient = hc }
}

// WithTier sets the account's verification tier, which the rate counter
// models (default Starter, the most cautious). WithRateCounter overrides it.
func WithTier(t Tier) Option {
	return func(c *config) { c.tier = t }
}

// WithRateCounter makes the Client charge its calls to r, so that several
// Clients of one key share the exchange's single counter for that key.
func WithRateCounter(r *RateCounter) Option {
	return func(c *config) { c.rate = r }
}

// WithNonceScale makes the Client send nonces on the given scale (default
// milliseconds): the scale of the other programs that use the key. All
// Clients of one scale in the process share one strictly increasing
// source. NewClient refuses a scale that is not one of NonceScales.
func WithNonceScale(scale NonceScale) Option {
	return func(c *config) { c.nonceScale = scale }
}

// WithClock sets the clock the rate counter reads and waits on (default the
// system clock); tests use it to check waiting without sleeping. Nonces
// always come from the system clock.
func WithClock(clock Clock) Option {
	return func(c *config) { c.clock = clock }
}

// NewClient returns a Client for the key pair. It refuses a pair whose shape
// is wrong (see CheckKeyShape) and a base URL that is neither https nor a
// loopback address.
func NewClient(apiKey, privateKey string, opts ...Option) (*Client, error) {
	if err := CheckKeyShape(apiKey, privateKey); err != nil {
		return nil, err
	}
	cfg := config{baseURL: DefaultBaseURL}
	for _, opt := range opts {
		opt(&cfg)
	}
	base, err := checkBaseURL(cfg.baseURL)
	if err != nil {
		return nil, err
	}
	if !cfg.nonceScale.Valid() {
		return nil, fmt.Errorf("%w: %q", ErrBadNonceScale, Quote(string(cfg.nonceScale)))
	}
	secret, err := base64.StdEncoding.DecodeString(privateKey)
	if err != nil { // unreachable after CheckKeyShape
		return nil, fmt.Errorf("%w: the private key is not base64", ErrMalformedKey)
	}

	hc := &http.Client{Timeout: 30 * time.Second}
	if cfg.httpClient != nil {
		copied := *cfg.httpClient
		hc = &copied
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if loopbackBase(base) {
		hc.Transport = loopbackTransport(hc.Transport, cfg.lookup)
	}

	c := &Client{
		apiKey:     apiKey,
		secret:     secret,
		base:       base,
		http:       hc,
		clock:      cfg.clock,
		rate:       cfg.rate,
		lock:       lockFor(apiKey),
		nonces:     processNonces[cfg.nonceScale.OrDefault()],
		scrub:      newScrubber(apiKey, privateKey),
		privateKey: privateKey,
		display:    shortKey(apiKey),
	}
	if c.clock == nil {
		c.clock = systemClock{}
	}
	if c.rate == nil {
		c.rate = NewRateCounter(cfg.tier)
	}
	return c, nil
}

// NonceScale returns the scale of the Client's nonces.
func (c *Client) NonceScale() NonceScale { return c.nonces.scale }

// RateCounter returns the counter the Client charges its calls to.
func (c *Client) RateCounter() *RateCounter { return c.rate }

// String describes the Client without its secrets.
func (c *Client) String() string {
	return fmt.Sprintf("kraken.Client{key %s, %s}", c.display, c.base)
}

// GoString describes the Client without its secrets, also for %#v.
func (c *Client) GoString() string { return c.String() }

// checkBaseURL returns the base URL without a trailing slash, or an error
// wrapping ErrBadBaseURL.
func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%w: it is not a URL", ErrBadBaseURL)
	}
	switch {
	case u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("%w: it has no host", ErrBadBaseURL)
	case u.User != nil:
		return "", fmt.Errorf("%w: it must not hold a user name or password", ErrBadBaseURL)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", fmt.Errorf("%w: it must not have a query or fragment", ErrBadBaseURL)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("%w: plain http is allowed only to this computer, not to %s", ErrBadBaseURL, u.Hostname())
		}
	default:
		return "", fmt.Errorf("%w: scheme %q", ErrBadBaseURL, u.Scheme)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u.String(), nil
}

// param is one request parameter; value is a string or a bool.
type param struct {
	name  string
	value any
}

// encodeBody returns the form body nonce=…&otp=…&params…, in that order,
// every name and value form-escaped; otp is left out when empty. These are
// exactly the bytes sent and signed.
func encodeBody(nonce int64, otp string, params []param) []byte {
	var b strings.Builder
	b.WriteString("nonce=")
	b.WriteString(strconv.FormatInt(nonce, 10))
	if otp != "" {
		b.WriteString("&otp=")
		b.WriteString(url.QueryEscape(otp))
	}
	for _, p := range params {
		b.WriteByte('&')
		b.WriteString(url.QueryEscape(p.name))
		b.WriteByte('=')
		switch v := p.value.(type) {
		case bool:
			b.WriteString(strconv.FormatBool(v))
		case string:
			b.WriteString(url.QueryEscape(v))
		default:
			panic(fmt.Sprintf("kraken: parameter %s has unsupported type %T", p.name, p.value))
		}
	}
	return []byte(b.String())
}

// call makes one private call and returns the result object of a successful
// answer. It charges the rate counter first (waiting if needed) and sends
// the call while holding the key's lock. otp, if not nil, is asked for the
// 2FA code only after any wait, so a time-based code is as fresh as it can
// be. call never retries.
func (c *Client) call(ctx context.Context, method string, otp func() string, params ...param) ([]byte, error) {
	result, _, err := c.callSent(ctx, method, otp, params...)
	return result, err
}

// callSent is call that also returns the nonce it sent (0 when it sent
// none), so an answer that reports the key's nonce can be told to include
// this very call or not.
func (c *Client) callSent(ctx context.Context, method string, otp func() string, params ...param) ([]byte, uint64, error) {
	var sent uint64
	if err := checkSafe(method, params); err != nil {
		return nil, 0, err
	}
	if err := c.lock.lock(ctx); err != nil {
		return nil, sent, fmt.Errorf("kraken %s: %w", method, err)
	}
	defer c.lock.unlock()
	if err := c.rate.Wait(ctx, CallCost(method), c.clock); err != nil {
		return nil, sent, fmt.Errorf("kraken %s: %w", method, err)
	}

	urlPath := "/0/private/" + method
	code := ""
	if otp != nil {
		code = otp()
	}
	scrub := c.scrub
	if code != "" {
		scrub = newScrubber(c.apiKey, c.privateKey, code)
	}
	n := c.nonces.next()
	sent = uint64(n)
	nonce := strconv.FormatInt(n, 10)
	body := encodeBody(n, code, params)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+urlPath, bytes.NewReader(body))
	if err != nil {
		return nil, sent, fmt.Errorf("kraken %s: %w: %s", method, ErrNetwork, Quote(scrub.Replace(err.Error())))
	}
	req.Header.Set("API-Key", c.apiKey)
	req.Header.Set("API-Sign", sign(c.secret, urlPath, nonce, body))
	req.Header.Set("Content-Type", formContentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", UserAgent)

	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, sent, fmt.Errorf("kraken %s: %w", method, ctx.Err())
		}
		if errors.Is(err, ErrNotLoopback) {
			return nil, sent, fmt.Errorf("kraken %s: %w", method, ErrNotLoopback)
		}
		return nil, sent, fmt.Errorf("kraken %s: %w: %s", method, ErrNetwork, Quote(scrub.Replace(err.Error())))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, sent, fmt.Errorf("kraken %s: %w", method, ctx.Err())
	case err != nil:
		return nil, sent, fmt.Errorf("kraken %s: %w: reading the answer: %s", method, ErrNetwork, Quote(scrub.Replace(err.Error())))
	case resp.StatusCode >= 500:
		return nil, sent, fmt.Errorf("kraken %s: %w: HTTP status %d", method, ErrExchangeDown, resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return nil, sent, fmt.Errorf("kraken %s: %w: HTTP status %d", method, ErrBadResponse, resp.StatusCode)
	case len(data) > maxAnswer:
		return nil, sent, fmt.Errorf("kraken %s: %w: the answer is over %d bytes", method, ErrBadResponse, maxAnswer)
	}

	result, err := parseEnvelope(method, data, scrub.Replace)
	if errors.Is(err, ErrRateLimited) && CallCost(method) > 0 {
		// The REST counter is full. AddOrder and CancelOrder are on the
		// trading limiter instead, which this counter does not model.
		c.rate.Fill(c.clock.Now())
	}
	return result, sent, err
}
