package krakentest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The exchange's error strings (KRAKEN.md, Errors).
const (
	errInvalidKey       = "EAPI:Invalid key"
	errInvalidSignature = "EAPI:Invalid signature"
	errInvalidNonce     = "EAPI:Invalid nonce"
	errPermission       = "EGeneral:Permission denied"
	errLockout          = "EGeneral:Temporary lockout"
	errRateLimit        = "EAPI:Rate limit exceeded"
	errUnknownMethod    = "EGeneral:Unknown method"
	errInvalidArguments = "EGeneral:Invalid arguments"
	errUnknownOrder     = "EOrder:Unknown order"
	// errNoUserAgent answers a request without a User-Agent header. The REST
	// reference says "all requests must specify a User-Agent" but not what
	// the exchange answers to one that does not. The simulation picks
	// "EAPI:Bad request", the exchange's style for a request it cannot
	// take; it is a plausible guess, not a documented answer.
	errNoUserAgent = "EAPI:Bad request"
)

// privatePath is where private methods live on the exchange; signatures
// cover it, whatever prefix the simulation is served under.
const privatePath = "/0/private/"

// maxBody bounds a request body; the calls Keywarden makes are tiny.
const maxBody = 64 << 10

// envelope is every answer's shape: HTTP 200 with an error array and, on
// success, a result (KRAKEN.md, Errors).
type envelope struct {
	Error  []string `json:"error"`
	Result any      `json:"result,omitempty"`
}

// request is a parsed body.
type request struct {
	params    url.Values // without nonce and otp
	nonceText string     // as sent; it is what the signature covers
	nonce     uint64     // 0 if missing or not a positive integer
	otp       string
	hasOTP    bool
}

// ServeHTTP answers one request. It is what the Exchange's server runs.
func (e *Exchange) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := e.cfg.now()
	call := Call{APIKey: r.Header.Get("API-Key"), At: now}
	status, env := e.answer(r, now, &call)
	call.Errors = env.Error
	e.record(call)

	e.mu.Lock()
	latency := e.latency
	e.mu.Unlock()
	if latency > 0 {
		// The call is already done on the exchange's side: like a real
		// one, a client that gives up waiting may still have used a nonce.
		t := time.NewTimer(latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			panic(http.ErrAbortHandler) // no answer, not an empty one
		case <-e.done:
			panic(http.ErrAbortHandler)
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(env)
}

// answer runs the exchange's checks in order and returns the HTTP status
// and envelope. It fills call as it learns about the request.
//
// The order, chosen where the documentation is silent: method, a
// User-Agent, an injected fault (see InjectFault), key,
// lockout, rate counter, body, nonce format, signature, nonce order, otp,
// then the method's permission and arguments. Rejecting an unknown method
// before looking at the key, and the signature before the nonce, means no
// one without the private key can use up a key's nonces.
func (e *Exchange) answer(r *http.Request, now time.Time, call *Call) (int, envelope) {
	name, status, ok := e.route(r, call)
	if !ok {
		return status, failure(errUnknownMethod)
	}
	body, req, readErr, parseErr := readRequest(r)
	if parseErr == nil {
		call.Params = req.params
		call.Nonce = req.nonce
	}
	m, known := methods[name]
	if known && parseErr == nil && m.unsafe != nil {
		call.Unsafe = m.unsafe(req.params)
	}
	if r.UserAgent() == "" {
		return http.StatusOK, failure(errNoUserAgent)
	}
	if msgs := e.fault(name, r, body); len(msgs) > 0 {
		return http.StatusOK, envelope{Error: msgs}
	}
	if !known {
		call.Unsafe = mutating[name]
		return http.StatusOK, failure(errUnknownMethod)
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	s, ok := e.keys[call.APIKey]
	if !ok || s.expired(now) {
		return http.StatusOK, failure(errInvalidKey)
	}
	if s.locked(now) {
		return http.StatusOK, failure(errLockout)
	}
	// [RL]: every call counts, failed ones too.
	if !s.charge(now, m.cost) {
		return http.StatusOK, failure(errRateLimit)
	}
	if readErr != nil || parseErr != nil {
		return http.StatusOK, failure(errInvalidArguments)
	}
	if msg := s.authenticate(name, req, body, r.Header.Get("API-Sign"), now); msg != "" {
		s.fail(now, e.cfg.lockoutAfter)
		return http.StatusOK, failure(msg)
	}

	// Authenticated: the nonce is used and the key counts as used (the
	// documented GetApiKeyInfo example has lastUsed just after its own
	// nonce), whatever the method answers next.
	s.before.nonce, s.before.lastUsed = s.key.Nonce, s.key.LastUsed
	s.acceptNonce(req.nonce)
	s.key.LastUsed = now

	if !s.key.has(m.perms...) {
		return http.StatusOK, failure(errPermission)
	}
	result, errMsg := m.handle(e, s, req.params, now)
	if errMsg != "" {
		return http.StatusOK, failure(errMsg)
	}
	return http.StatusOK, envelope{Error: []string{}, Result: result}
}

// route returns the private method the request's path names, filling in
// call.Method; ok is false, with the HTTP status to answer, for a path
// outside the private API or a method other than POST.
func (e *Exchange) route(r *http.Request, call *Call) (name string, status int, ok bool) {
	path, ok := strings.CutPrefix(r.URL.Path, e.cfg.prefix)
	name, private := strings.CutPrefix(path, privatePath)
	if !ok || !private {
		call.Method = r.URL.Path
		return "", http.StatusNotFound, false
	}
	call.Method = name
	if r.Method != http.MethodPost {
		// Undocumented; private calls are POST only ([AUTH]).
		return name, http.StatusMethodNotAllowed, false
	}
	return name, http.StatusOK, true
}

// readRequest reads at most maxBody bytes of the request's body and parses
// them; readErr says the body could not be read whole, parseErr that it
// did not parse.
func readRequest(r *http.Request) (body []byte, req request, readErr, parseErr error) {
	body, readErr = io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	req, parseErr = parseBody(r.Header.Get("Content-Type"), body)
	if readErr == nil && len(body) > maxBody {
		readErr = errors.New("body too large")
	}
	return body, req, readErr, parseErr
}

// authenticate checks the request's nonce, signature (sign, the API-Sign
// header) and, on a 2FA key, its otp, in that order; it returns the
// exchange's error for the first that fails, or "" when all pass. Each
// failure counts towards a lockout (the caller's s.fail).
func (s *keyState) authenticate(name string, req request, body []byte, sign string, now time.Time) string {
	if req.nonce == 0 {
		return errInvalidNonce
	}
	if !validSignature(s.secret, privatePath+name, req.nonceText, body, sign) {
		return errInvalidSignature
	}
	if !s.nonceOK(req.nonce) {
		return errInvalidNonce
	}
	if s.has2FA() {
		// KRAKEN.md, Errors: a 2FA key called without otp answers
		// "Permission denied"; with a wrong one, "Invalid signature".
		// Both count towards a lockout here: the exchange's list
		// (invalid key/nonce/signature) is not said to be complete.
		if !req.hasOTP {
			return errPermission
		}
		if !s.checkOTP(req.otp, now) {
			return errInvalidSignature
		}
	}
	return ""
}

func failure(msg string) envelope {
	return envelope{Error: []string{msg}}
}

// parseBody reads a form-encoded or JSON body; the Content-Type header says
// which. Form is what the REST reference specifies and every client tried
// sends ([AUTH]); JSON is read too, as the exchange's older guide showed it.
// A body with no Content-Type (as some clients send) is read as form.
func parseBody(contentType string, body []byte) (request, error) {
	var (
		req    request
		values url.Values
		err    error
	)
	mediaType, _, _ := mime.ParseMediaType(contentType)
	if mediaType == "application/json" {
		values, err = parseJSON(body)
	} else {
		values, err = url.ParseQuery(string(body))
	}
	if err != nil {
		return request{}, err
	}
	req.nonceText = values.Get("nonce")
	req.nonce = parseNonce(req.nonceText)
	req.otp, req.hasOTP = values.Get("otp"), values.Has("otp")
	values.Del("nonce")
	values.Del("otp")
	req.params = values
	return req, nil
}

// parseJSON turns a JSON object into parameters: strings as they are,
// numbers as written, booleans as "true"/"false", anything else as its
// JSON text. A nonce may be a number or a string.
func parseJSON(body []byte) (url.Values, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, errors.New("body is not a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	values := make(url.Values, len(obj))
	for k, v := range obj {
		switch v := v.(type) {
		case nil:
			continue
		case string:
			values.Set(k, v)
		case json.Number:
			values.Set(k, v.String())
		case bool:
			values.Set(k, strconv.FormatBool(v))
		default:
			b, _ := json.Marshal(v)
			values.Set(k, string(b))
		}
	}
	return values, nil
}

// parseNonce returns the nonce in s, or 0 unless s is a positive decimal
// integer that fits 64 bits ([AUTH]: "unsigned 64-bit integer").
func parseNonce(s string) uint64 {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0
	}
	return n
}
