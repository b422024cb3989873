// Package check reads keys back from the exchange: one GetApiKeyInfo call
// per key (permission probes where that call is not offered), many keys in
// parallel, each within its own rate counter. It is the one place where the
// vault's secrets meet the exchange client; the command line, the window and
// the tray all check keys through it.
package check

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// ErrCodeNeeded is the Problem of a readback for a key whose 2FA code must
// be typed at each check, when no code was given.
var ErrCodeNeeded = errors.New("this key has 2FA: a code from its authenticator is needed for every check")

// Runner checks keys. The zero value is not usable: set Secrets.
type Runner struct {
	Secrets vault.SecretStore
	BaseURL string       // "" means kraken.DefaultBaseURL
	HTTP    *http.Client // nil means the kraken package's default
	Tier    kraken.Tier  // the account's tier; the zero value, Starter, is the most cautious
	// Parallel caps how many keys are checked at once (default 16).
	Parallel int

	mu       sync.Mutex
	counters map[string]*kraken.RateCounter // by API key: the exchange keeps one counter per key
}

// Options change how one check runs.
type Options struct {
	// OTP is the code typed by the user, for keys with TwoFATyped.
	OTP string
	// NoProbes skips the permission probes when GetApiKeyInfo is not offered,
	// for a check that must be a single call (confirming a revocation).
	NoProbes bool
	// NonceScale is the scale of the nonces to send (empty: milliseconds).
	// Check takes it from the record and ignores this field.
	NonceScale kraken.NonceScale
	// UsedBy names the programs that use the key, for the advice on an
	// invalid nonce. Check takes it from the record and ignores this field.
	UsedBy []string
	// Seen is the largest nonce scale the key is known to have seen
	// (vault.Record.NonceSeen), for the advice when a smaller one is
	// refused. Check takes it from the record and ignores this field.
	Seen kraken.NonceScale
}

// MaxProblem is how many characters of a Readback's Problem are kept: the
// plain words and, within them, at most kraken.MaxQuoted of the exchange's
// own. Problems are stored in the records file and shown as they are.
const MaxProblem = 600

// Check reads rec back from the exchange, with nonces on the record's
// scale. It never fails: the Readback's Outcome and Problem say what
// happened, in plain words.
func (r *Runner) Check(ctx context.Context, rec vault.Record, opt Options, now time.Time) vault.Readback {
	secret, err := r.Secrets.Get(rec.ID)
	if err != nil {
		rb := failed(now, vault.UserMessage(err))
		rb.Unreached = errors.Is(err, vault.ErrKeyringUnavailable)
		return rb
	}
	opt.NonceScale, opt.UsedBy, opt.Seen = rec.NonceScale, rec.UsedBy, rec.NonceSeen
	return r.CheckSecret(ctx, secret, rec.TwoFA, opt, now)
}

// CheckSecret reads back a key that may not be saved yet (the wizard's
// verify step, the command line's add). Whatever the exchange says, no
// secret of the key (nor the typed code) reaches the Readback, and its
// texts are capped (MaxProblem, kraken.MaxQuoted). It never retries.
func (r *Runner) CheckSecret(ctx context.Context, secret vault.Secret, twoFA vault.TwoFA, opt Options, now time.Time) vault.Readback {
	rb, _ := r.CheckSecretCause(ctx, secret, twoFA, opt, now)
	return rb
}

// CheckSecretCause is CheckSecret that also returns the error behind a
// failed key-information call (nil when the exchange answered it), so the
// caller can tell apart causes that share one message: with a typed 2FA
// code, "invalid signature" almost always means a mistyped code. The error
// is for errors.Is only; it is never shown.
func (r *Runner) CheckSecretCause(ctx context.Context, secret vault.Secret, twoFA vault.TwoFA, opt Options, now time.Time) (vault.Readback, error) {
	rb, cause := r.checkSecret(ctx, secret, twoFA, opt, now)
	return clean(rb, secret.APIKey, secret.PrivateKey, secret.OTPSeed, secret.OTPPassword, strings.TrimSpace(opt.OTP)), cause
}

func (r *Runner) checkSecret(ctx context.Context, secret vault.Secret, twoFA vault.TwoFA, opt Options, now time.Time) (vault.Readback, error) {
	client, err := kraken.NewClient(secret.APIKey, secret.PrivateKey, r.clientOptions(secret.APIKey, opt.NonceScale)...)
	if err != nil {
		return failed(now, kraken.UserMessage(err)), err
	}
	code, err := otpFunc(secret, twoFA, opt.OTP)
	if err != nil {
		return failed(now, err.Error()), err
	}
	info, err := client.APIKeyInfo(ctx, code())
	switch {
	case err == nil:
		rb := vault.ReadbackFromInfo(info, now)
		rb.NonceScale, _ = info.NonceScale()
		return rb, nil
	case errors.Is(err, kraken.ErrUnknownMethod) && !opt.NoProbes:
		return probe(ctx, client, code, opt, now), nil
	}
	return fromError(err, opt, now), err
}

// probe finds the permissions through side-effect-free calls.
func probe(ctx context.Context, client *kraken.Client, code func() string, opt Options, now time.Time) vault.Readback {
	res, err := client.Probe(ctx, code)
	if err != nil {
		rb := fromError(err, opt, now)
		if rb.Outcome == vault.OutcomeError {
			rb.Problem = "Kraken does not offer its key-information call here, and the permission probes stopped: " + rb.Problem
		}
		return rb
	}
	return vault.Readback{At: now, Outcome: vault.OutcomeOK, Probed: true,
		Permissions: res.Granted(), Unknown: res.Unknown(), ProbeAnswers: probeAnswers(res)}
}

// probeAnswers lists what the exchange said for each permission its answer
// left unknown, in the website's order.
func probeAnswers(res *kraken.ProbeResult) []string {
	var out []string
	for _, p := range res.Unknown() {
		if a, ok := res.Answers[p]; ok {
			out = append(out, string(p)+": "+a)
		}
	}
	return out
}

func fromError(err error, opt Options, now time.Time) vault.Readback {
	if errors.Is(err, kraken.ErrInvalidKey) {
		return vault.Readback{At: now, Outcome: vault.OutcomeInvalidKey, Problem: kraken.UserMessage(err)}
	}
	problem := kraken.UserMessage(err)
	if errors.Is(err, kraken.ErrInvalidNonce) {
		problem = InvalidNonceAdvice(opt.NonceScale, opt.UsedBy)
		if opt.Seen.Rank() > opt.NonceScale.Rank() {
			problem = SmallerScaleAdvice(opt.NonceScale, opt.Seen, opt.UsedBy)
		}
	}
	rb := failed(now, problem)
	rb.Unreached = unreached(err)
	return rb
}

// clean removes every secret from the Readback's texts and caps them:
// the plain words with the exchange's quoted in them, and every string
// GetApiKeyInfo sent back (name, IBAN, IP list, permission codes), which
// an echoing exchange or proxy may fill with a secret of the request.
func clean(rb vault.Readback, secrets ...string) vault.Readback {
	scrub := func(limit int) func(string) string {
		return func(s string) string { return kraken.Cap(kraken.Scrub(s, secrets...), limit) }
	}
	rb.Problem = scrub(MaxProblem)(rb.Problem)
	rb.ProbeAnswers = mapStrings(rb.ProbeAnswers, scrub(MaxProblem))
	rb.Name = scrub(kraken.MaxQuoted)(rb.Name)
	rb.IBAN = scrub(kraken.MaxQuoted)(rb.IBAN)
	rb.IPAllowlist = mapStrings(rb.IPAllowlist, scrub(kraken.MaxQuoted))
	rb.Permissions = mapStrings(rb.Permissions, unknownOnly(scrub(kraken.MaxQuoted)))
	rb.Unknown = mapStrings(rb.Unknown, unknownOnly(scrub(kraken.MaxQuoted)))
	return rb
}

// unknownOnly applies f to permission codes Keywarden does not know. A
// known code is kept as it is: scrubbing a short 2FA password out of
// "withdraw-funds" would hide the riskiest permission from the rules.
func unknownOnly(f func(string) string) func(string) string {
	return func(code string) string {
		if kraken.Permission(code).Known() {
			return code
		}
		return f(code)
	}
}

// mapStrings returns f of every element of list, in a new slice (nil for
// an empty list, so the stored record is unchanged).
func mapStrings[S ~string](list []S, f func(string) string) []S {
	if len(list) == 0 {
		return list
	}
	out := make([]S, len(list))
	for i, s := range list {
		out[i] = S(f(string(s)))
	}
	return out
}

// unreached reports whether err means the call got no answer about the key
// (vault.Readback.Unreached).
func unreached(err error) bool {
	for _, target := range []error{kraken.ErrNetwork, kraken.ErrExchangeDown, kraken.ErrThrottled, kraken.ErrRateLimited} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

func failed(now time.Time, problem string) vault.Readback {
	return vault.Readback{At: now, Outcome: vault.OutcomeError, Problem: problem}
}

// otpFunc returns what to send as the otp field for each call.
func otpFunc(secret vault.Secret, twoFA vault.TwoFA, typed string) (func() string, error) {
	switch twoFA {
	case vault.TwoFATyped:
		typed = strings.TrimSpace(typed)
		if typed == "" {
			return nil, ErrCodeNeeded
		}
		return func() string { return typed }, nil
	case vault.TwoFASeed:
		if secret.OTPSeed == "" {
			return nil, errors.New("this key's authenticator seed is missing from the keyring: edit the key and enter it again")
		}
		return func() string {
			// The seed was validated when stored; a failure here leaves the
			// code empty, which the exchange answers as a missing code.
			code, _ := totp.GenerateCode(secret.OTPSeed, time.Now())
			return code
		}, nil
	case vault.TwoFAPassword:
		if secret.OTPPassword == "" {
			return nil, errors.New("this key's 2FA password is missing from the keyring: edit the key and enter it again")
		}
		return func() string { return secret.OTPPassword }, nil
	}
	return func() string { return "" }, nil
}

func (r *Runner) clientOptions(apiKey string, scale kraken.NonceScale) []kraken.Option {
	opts := []kraken.Option{kraken.WithRateCounter(r.counter(apiKey)), kraken.WithNonceScale(scale)}
	if r.BaseURL != "" {
		opts = append(opts, kraken.WithBaseURL(r.BaseURL))
	}
	if r.HTTP != nil {
		opts = append(opts, kraken.WithHTTPClient(r.HTTP))
	}
	return opts
}

// counter returns the process's one rate counter for a key.
func (r *Runner) counter(apiKey string) *kraken.RateCounter {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.counters == nil {
		r.counters = make(map[string]*kraken.RateCounter)
	}
	c, ok := r.counters[apiKey]
	if !ok {
		c = kraken.NewRateCounter(r.Tier)
		r.counters[apiKey] = c
	}
	return c
}

// Result is one key's check in CheckAll.
type Result struct {
	Record   vault.Record // the record as checked
	Readback vault.Readback
}

// CheckAll checks recs in parallel, at most Parallel at a time, and returns
// the results in the order of recs. otp gives the typed code for a record,
// or nil when no codes were typed.
func (r *Runner) CheckAll(ctx context.Context, recs []vault.Record, otp func(vault.Record) string, now time.Time) []Result {
	limit := r.Parallel
	if limit <= 0 {
		limit = 16
	}
	results := make([]Result, len(recs))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i, rec := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			opt := Options{}
			if otp != nil {
				opt.OTP = otp(rec)
			}
			results[i] = Result{Record: rec, Readback: r.Check(ctx, rec, opt, now)}
		}()
	}
	wg.Wait()
	return results
}

// Apply stores a readback in the record: the last check, a "checked" event
// (the review rules need it to tell Keywarden's own use from others') and a
// "drift" event when the permissions differ from what was intended, and a
// use by another program that the exchange's lastUsed shows (Record.Use). The
// Problem is capped to MaxProblem, whoever made the readback. Apply never
// changes the record's nonce scale: only the user does.
func Apply(rec *vault.Record, rb vault.Readback) {
	rb.Problem = kraken.Cap(rb.Problem, MaxProblem)
	prev := rec.LastCheck
	rec.LastCheck = &rb
	switch rb.Outcome {
	case vault.OutcomeOK:
		// Before this check's event joins the history, so that an earlier
		// check of Keywarden's is told apart from another program's use. An
		// answer whose nonce is the one the previous check sent may report
		// that check (clocks apart by more than review.OwnUseTolerance), or
		// a program's call with a lower nonce inside the key's nonce window:
		// a doubtful use (vault.UseSeen).
		ownPrev := prev != nil && prev.SentNonce != 0 && rb.Nonce == prev.SentNonce
		if at, never, ok := review.LastUse(*rec); ok && !never {
			rec.Use.Saw(at, !ownPrev)
		}
		// Keywarden's own nonces got through, and the answer shows the
		// key's: the key has seen the larger of the two.
		for _, s := range []kraken.NonceScale{rec.NonceScale.OrDefault(), rb.NonceScale} {
			if s.Rank() > rec.NonceSeen.Rank() {
				rec.NonceSeen = s
			}
		}
		rec.AddEvent(rb.At, vault.EventChecked, "")
		extra, missing := review.Drift(rec.Intended, rb.Permissions)
		if rb.Probed {
			_, missing = review.Drift(missing, rb.Unknown) // the probes could not tell these
		}
		if len(extra)+len(missing) > 0 {
			rec.AddEvent(rb.At, vault.EventDrift, DriftNote(extra, missing))
		}
	case vault.OutcomeInvalidKey:
		rec.AddEvent(rb.At, vault.EventChecked, "the exchange no longer knows this key")
	default:
		rec.AddEvent(rb.At, vault.EventChecked, "check failed: "+rb.Problem)
	}
}

// DriftNote says in one line how real permissions differ from intended ones.
func DriftNote(extra, missing []kraken.Permission) string {
	var parts []string
	if len(extra) > 0 {
		parts = append(parts, "not intended but granted: "+join(extra))
	}
	if len(missing) > 0 {
		parts = append(parts, "intended but missing: "+join(missing))
	}
	return strings.Join(parts, "; ")
}

func join(perms []kraken.Permission) string {
	s := make([]string, len(perms))
	for i, p := range perms {
		s[i] = string(p)
	}
	return strings.Join(s, ", ")
}
