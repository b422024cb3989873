package krakentest

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultLockoutAfter is how many failed authentications within
// LockoutDuration lock a key out, unless WithLockoutAfter says otherwise.
// The exchange does not publish its threshold.
const DefaultLockoutAfter = 5

// LockoutDuration is how long a lockout lasts, on the exchange clock
// (KRAKEN.md, Errors: "EGeneral:Temporary lockout … ~15 min").
const LockoutDuration = 15 * time.Minute

// Call is one request the exchange received, whatever it answered.
type Call struct {
	Method string     // e.g. "GetApiKeyInfo"; the whole path for one outside /0/private/
	APIKey string     // the API-Key header as sent
	Nonce  uint64     // 0 when missing or not a number
	Params url.Values // body parameters, minus nonce and otp
	Errors []string   // the error array answered; empty on success
	// Unsafe marks a request that would have changed the account on the
	// real exchange had it been accepted (an order, a withdrawal, a new
	// deposit address, an export, ...), whatever this one answered.
	Unsafe bool
	At     time.Time // exchange clock when the request arrived
}

// Option configures an Exchange.
type Option func(*config)

type config struct {
	now          func() time.Time
	latency      time.Duration
	noKeyInfo    bool
	lockoutAfter int
	// infoBeforeCall: GetApiKeyInfo answers with the key's state before
	// the call (WithKeyInfoBeforeCall).
	infoBeforeCall bool
	prefix         string
}

// WithClock sets the exchange clock (default time.Now). It drives the rate
// counter's decay, lockouts, key expiry, TOTP codes and every timestamp.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// WithLatency makes the exchange wait d before each answer (default 0).
func WithLatency(d time.Duration) Option {
	return func(c *config) { c.latency = d }
}

// WithoutKeyInfo makes GetApiKeyInfo answer "EGeneral:Unknown method", as
// some accounts do (KRAKEN.md, GetApiKeyInfo, [T5]). The call is still
// authenticated first: it uses a nonce and counts against the rate limit.
func WithoutKeyInfo() Option {
	return func(c *config) { c.noKeyInfo = true }
}

// WithLockoutAfter sets how many failed authentications (bad signature,
// nonce or otp, or a missing otp) within LockoutDuration lock a key out for
// LockoutDuration. Default DefaultLockoutAfter; n < 1 disables lockouts.
func WithLockoutAfter(n int) Option {
	return func(c *config) { c.lockoutAfter = n }
}

// WithPathPrefix serves the API under prefix (for example "/kraken"), so a
// client's base URL handling is tested with a non-empty path. Signatures
// still cover the exchange's own path, "/0/private/<Method>".
func WithPathPrefix(prefix string) Option {
	return func(c *config) { c.prefix = "/" + strings.Trim(prefix, "/") }
}

// Exchange is a running simulated exchange. Its methods are safe for
// concurrent use.
type Exchange struct {
	cfg  config
	srv  *httptest.Server
	iban string
	done chan struct{} // closed by Close: ends waits for latency

	mu        sync.Mutex
	keys      map[string]*keyState
	calls     []Call
	latency   time.Duration
	faults    map[string]Fault // by method, or AnyMethod
	ledger    []LedgerEntry    // the account's ledger, newest first
	closeOnce sync.Once
}

// New starts a simulated exchange on a loopback port. Close it when done.
func New(opts ...Option) *Exchange {
	cfg := config{now: time.Now, lockoutAfter: DefaultLockoutAfter}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.prefix == "/" {
		cfg.prefix = ""
	}
	e := &Exchange{
		cfg:     cfg,
		iban:    newIBAN(),
		done:    make(chan struct{}),
		keys:    make(map[string]*keyState),
		latency: cfg.latency,
	}
	e.srv = httptest.NewServer(e)
	return e
}

// URL returns the base URL to give a client, including any path prefix
// and without a trailing slash: calls go to URL()+"/0/private/<Method>".
func (e *Exchange) URL() string { return e.srv.URL + e.cfg.prefix }

// Close stops the server. Answers still waiting for their latency are
// dropped.
func (e *Exchange) Close() {
	e.closeOnce.Do(func() {
		close(e.done)
		e.srv.Close()
	})
}

// IBAN returns the account's IBAN, which keys added without one report.
func (e *Exchange) IBAN() string { return e.iban }

// SetLatency changes the wait before each answer from now on.
func (e *Exchange) SetLatency(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.latency = d
}

// AddKey adds a key, as its owner would create one on the website, and
// returns it with the generated fields filled in. It panics if the API key
// is already in the table or the private key is not base64, which are
// mistakes in the caller.
//
// The IP allow-list is stored and reported but not enforced: every client
// of the simulation is on loopback, and the exchange does not document its
// answer to a call from a wrong address (KRAKEN.md, Errors).
func (e *Exchange) AddKey(k Key) Key {
	k = k.clone()
	now := e.cfg.now()
	if k.APIKey == "" || k.PrivateKey == "" {
		apiKey, privateKey := NewKeyPair()
		if k.APIKey == "" {
			k.APIKey = apiKey
		}
		if k.PrivateKey == "" {
			k.PrivateKey = privateKey
		}
	}
	secret, err := base64.StdEncoding.DecodeString(k.PrivateKey)
	if err != nil {
		panic("krakentest: AddKey: the private key is not base64")
	}
	if k.Created.IsZero() {
		k.Created = now
	}
	if k.Modified.IsZero() {
		k.Modified = k.Created
	}
	if k.Name == "" {
		k.Name = fmt.Sprintf("api-key-%d", k.Created.Unix())
	}
	if k.IBAN == "" {
		k.IBAN = e.iban
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	if _, dup := e.keys[k.APIKey]; dup {
		panic("krakentest: AddKey: the API key is already in the table")
	}
	e.keys[k.APIKey] = &keyState{key: k, secret: secret, seen: make(map[uint64]struct{})}
	return k.clone()
}

// DeleteKey deletes a key, as its owner would on the website: from then on
// every call with it answers "EAPI:Invalid key". It reports whether the key
// was in the table.
func (e *Exchange) DeleteKey(apiKey string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.keys[apiKey]
	delete(e.keys, apiKey)
	return ok
}

// UpdateKey edits a key, as its owner would on the website, and sets its
// Modified time to the exchange clock. change gets a copy of the key; the
// fields the website cannot change (APIKey, PrivateKey, Created) and the
// exchange's own state (Nonce, LastUsed) are kept whatever change does to
// them. It reports whether the key was in the table.
func (e *Exchange) UpdateKey(apiKey string, change func(*Key)) bool {
	k, ok := e.Key(apiKey)
	if !ok {
		return false
	}
	change(&k) // outside the lock: change may call the Exchange
	now := e.cfg.now()

	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.keys[apiKey]
	if !ok {
		return false
	}
	k = k.clone()
	k.APIKey, k.PrivateKey, k.Created = s.key.APIKey, s.key.PrivateKey, s.key.Created
	k.Nonce, k.LastUsed = s.key.Nonce, s.key.LastUsed
	k.Modified = now
	s.key = k
	return true
}

// Key returns the key's current state, including the last nonce it accepted
// and when it was last used.
func (e *Exchange) Key(apiKey string) (Key, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.keys[apiKey]
	if !ok {
		return Key{}, false
	}
	return s.key.clone(), true
}

// Counter returns the key's rate counter now, after decay (0 for a key not
// in the table).
func (e *Exchange) Counter(apiKey string) float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.keys[apiKey]
	if !ok {
		return 0
	}
	s.decay(e.cfg.now())
	return s.counter
}

// LockedUntil returns when the key's lockout ends, or the zero time if it
// is not locked out now.
func (e *Exchange) LockedUntil(apiKey string) time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.keys[apiKey]
	if !ok || !e.cfg.now().Before(s.lockedUntil) {
		return time.Time{}
	}
	return s.lockedUntil
}

// Calls returns every request received since the start or the last
// ResetCalls, in the order they were answered.
func (e *Exchange) Calls() []Call {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Call, len(e.calls))
	for i, c := range e.calls {
		c.Params = cloneValues(c.Params)
		c.Errors = slices.Clone(c.Errors)
		out[i] = c
	}
	return out
}

// ResetCalls forgets the recorded calls.
func (e *Exchange) ResetCalls() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = nil
}

func (e *Exchange) record(c Call) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = append(e.calls, c)
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// newIBAN returns an account IBAN in the shape of the documented example
// ("AA88 N84G WOAK NMOI").
func newIBAN() string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := randomBytes(14)
	var sb strings.Builder
	sb.WriteString("AA")
	for i := range 2 {
		sb.WriteByte('0' + b[i]%10)
	}
	for i := range 12 {
		if i%4 == 0 {
			sb.WriteByte(' ')
		}
		sb.WriteByte(alnum[int(b[2+i])%len(alnum)])
	}
	return sb.String()
}

// newRefID returns an identifier in the exchange's "XXXXXX-XXXXX-XXXXXX"
// shape, as used for order txids and funding refids.
func newRefID() string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 17)
	rand.Read(b)
	var sb strings.Builder
	for i, c := range b {
		if i == 6 || i == 11 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alnum[int(c)%len(alnum)])
	}
	return sb.String()
}
