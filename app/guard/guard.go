// Package guard is Keywarden's own two-factor check (app 2FA): once a person
// has enrolled an authenticator app, revealing or copying a secret, removing
// or revoking a key, exporting and turning the protection off ask for a
// 6-digit TOTP code.
//
// The seed lives in the system keyring (through a vault.SecretStore, under
// SeedID); whether the protection is on is a flag in the app's settings. Time
// is always a parameter. A keyring call can block while the system shows an
// unlock prompt, so Verify (on its first call), ConfirmEnrolment, Disable and
// Reset must run off the UI goroutine; Enabled and LockedUntil never touch
// the keyring.
//
// The guard stops someone who sits at an unlocked desktop and uses
// Keywarden's window. It is no defence against someone who can already read
// the user's keyring or settings file: they can read the secrets directly.
package guard

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/vault"
)

// SeedID is the keyring entry (the record ID in the vault.SecretStore) that
// holds the app's authenticator seed in vault.Secret.OTPSeed.
const SeedID = "keywarden-app-2fa"

// EnabledFlag is the settings key of the "app 2FA is on" flag.
const EnabledFlag = "app2fa.enabled"

// Issuer is the name the authenticator app shows for the entry.
const Issuer = "Keywarden"

// The rules of the check.
const (
	Period      = 30 * time.Second // one time step
	Digits      = 6
	Skew        = 1               // time steps accepted either side of now
	MaxWrong    = 5               // wrong codes in a row before the lock
	LockTimeout = 1 * time.Minute // how long the prompt stays locked
)

// Flags is where the "enabled" flag is kept; fyne.Preferences satisfies it.
type Flags interface {
	Bool(key string) bool
	SetBool(key string, value bool)
}

// Guard checks codes against the enrolled seed. It is safe for concurrent
// use. The used time steps, the wrong-code count and the lock live in
// memory only.
type Guard struct {
	secrets vault.SecretStore
	flags   Flags

	// io serialises keyring calls and changes of enrolment; it is never
	// taken while mu is held.
	io sync.Mutex

	mu          sync.Mutex // guards the fields below
	key         []byte     // the decoded seed, nil until first read
	used        map[int64]bool
	wrong       int
	lockedUntil time.Time
}

// New returns a guard over secrets (the keyring) and flags (the settings).
func New(secrets vault.SecretStore, flags Flags) *Guard {
	return &Guard{secrets: secrets, flags: flags, used: make(map[int64]bool)}
}

// Enabled reports whether app 2FA is on. It never touches the keyring.
func (g *Guard) Enabled() bool { return g.flags.Bool(EnabledFlag) }

// LockedUntil reports when the lock after too many wrong codes ends, and
// whether it is still in force at now. It never touches the keyring.
func (g *Guard) LockedUntil(now time.Time) (time.Time, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.lockedUntil, now.Before(g.lockedUntil)
}

// BeginEnrolment makes a fresh seed for account (what the authenticator app
// shows next to "Keywarden"; empty means "Keywarden"). Nothing is stored:
// show the key's QR code and secret, then pass the key and a code from the
// authenticator app to ConfirmEnrolment. It fails with ErrAlreadyEnabled
// when app 2FA is on, since a new seed must not replace the old one without
// a code.
func (g *Guard) BeginEnrolment(account string) (*otp.Key, error) {
	if g.Enabled() {
		return nil, ErrAlreadyEnabled
	}
	account = strings.TrimSpace(account)
	if account == "" {
		account = Issuer
	}
	k, err := totp.Generate(totp.GenerateOpts{
		Issuer:      Issuer,
		AccountName: account,
		Period:      uint(Period / time.Second),
		Digits:      otp.DigitsSix,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return nil, fmt.Errorf("guard: make a seed: %w", err)
	}
	return k, nil
}

// ConfirmEnrolment checks code against k (from BeginEnrolment), then stores
// the seed in the keyring and turns app 2FA on. On any error nothing is
// stored and app 2FA stays off. The code is used up: it cannot be used
// again for Verify. It touches the keyring: call it off the UI goroutine.
func (g *Guard) ConfirmEnrolment(k *otp.Key, code string, now time.Time) error {
	if k == nil || k.Type() != "totp" || k.Period() != uint64(Period/time.Second) ||
		k.Digits() != otp.DigitsSix || k.Algorithm() != otp.AlgorithmSHA1 || k.Encoder() != otp.EncoderDefault {
		return errors.New("guard: the key was not made by BeginEnrolment")
	}
	code, err := normalise(code)
	if err != nil {
		return err
	}
	seed := k.Secret()
	key, err := decodeSeed(seed)
	if err != nil {
		return fmt.Errorf("guard: the new seed: %w", err)
	}
	step, ok := match(key, code, now)
	if !ok {
		clear(key)
		return ErrWrongCode
	}

	g.io.Lock()
	defer g.io.Unlock()
	if g.Enabled() {
		clear(key)
		return ErrAlreadyEnabled
	}
	if err := g.secrets.Set(SeedID, vault.Secret{OTPSeed: seed}); err != nil {
		clear(key)
		return fmt.Errorf("guard: store the seed: %w", err)
	}
	g.mu.Lock()
	clear(g.key)
	g.key = key
	g.used = map[int64]bool{step: true}
	g.wrong = 0
	g.lockedUntil = time.Time{}
	g.mu.Unlock()
	g.flags.SetBool(EnabledFlag, true)
	return nil
}

// Verify checks a code typed now. A code is accepted from the current time
// step or one either side, and only once. MaxWrong wrong codes in a row lock
// the check for LockTimeout (the fifth wrong code already answers with a
// *LockedError); a right code resets the count. A code in the wrong shape
// (not 6 digits) or a replayed one does not count as wrong.
//
// The first call reads the seed from the keyring and may block: call it off
// the UI goroutine. Later calls use the seed kept in memory.
func (g *Guard) Verify(code string, now time.Time) error {
	code, err := g.prepare(code, now)
	if err != nil {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.checkLocked(code, now)
}

// prepare does what Verify and Disable both need before comparing a code:
// protection on, no lock, a code of the right shape, the seed loaded.
func (g *Guard) prepare(code string, now time.Time) (string, error) {
	if !g.Enabled() {
		return "", ErrNotEnabled
	}
	if err := g.checkLock(now); err != nil {
		return "", err
	}
	code, err := normalise(code)
	if err != nil {
		return "", err
	}
	return code, g.load()
}

// Disable turns app 2FA off after a valid code (the same rules as Verify),
// removes the seed from the keyring and forgets it. It touches the keyring:
// call it off the UI goroutine.
func (g *Guard) Disable(code string, now time.Time) error {
	code, err := g.prepare(code, now)
	if err != nil {
		return err
	}
	g.io.Lock()
	defer g.io.Unlock()
	g.mu.Lock()
	err = g.checkLocked(code, now)
	g.mu.Unlock()
	if err != nil {
		return err
	}
	return g.forget()
}

// Reset turns app 2FA off without a code, and only when its seed is gone
// from the keyring or unreadable (Verify answers ErrSeedMissing): without a
// seed no code can ever be checked. Whoever can remove keyring entries can
// read Keywarden's secrets from the keyring directly, so this gives nothing
// away. It touches the keyring: call it off the UI goroutine.
func (g *Guard) Reset() error {
	if !g.Enabled() {
		return ErrNotEnabled
	}
	g.io.Lock()
	defer g.io.Unlock()
	_, err := g.readSeed()
	switch {
	case err == nil:
		return ErrSeedPresent
	case !errors.Is(err, ErrSeedMissing):
		return err
	}
	return g.forget()
}

// forget removes the seed from the keyring, turns the flag off and zeroes
// the seed in memory. The caller holds g.io.
func (g *Guard) forget() error {
	if err := g.secrets.Delete(SeedID); err != nil && !errors.Is(err, vault.ErrSecretNotFound) {
		return fmt.Errorf("guard: remove the seed: %w", err)
	}
	g.flags.SetBool(EnabledFlag, false)
	g.mu.Lock()
	clear(g.key)
	g.key = nil
	g.used = make(map[int64]bool)
	g.wrong = 0
	g.lockedUntil = time.Time{}
	g.mu.Unlock()
	return nil
}

// checkLock answers a *LockedError while the lock is in force.
func (g *Guard) checkLock(now time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.lockErr(now)
}

// lockErr is checkLock for a caller holding g.mu; once the lock has run
// out, the prompt is open again with a fresh count.
func (g *Guard) lockErr(now time.Time) error {
	if g.lockedUntil.IsZero() {
		return nil
	}
	if now.Before(g.lockedUntil) {
		return &LockedError{Until: g.lockedUntil}
	}
	g.lockedUntil = time.Time{}
	g.wrong = 0
	return nil
}

// checkLocked checks a normalised code; the caller holds g.mu and has
// loaded the seed.
func (g *Guard) checkLocked(code string, now time.Time) error {
	if err := g.lockErr(now); err != nil {
		return err
	}
	if g.key == nil { // Disable or Reset ran meanwhile
		return ErrNotEnabled
	}
	step, ok := match(g.key, code, now)
	if !ok {
		g.wrong++
		if g.wrong >= MaxWrong {
			g.wrong = 0
			g.lockedUntil = now.Add(LockTimeout)
			return &LockedError{Until: g.lockedUntil}
		}
		return &WrongCodeError{Left: MaxWrong - g.wrong}
	}
	if g.used[step] {
		return ErrReplayed
	}
	g.wrong = 0
	cur := counter(now)
	for s := range g.used {
		if s < cur-2*Skew {
			delete(g.used, s)
		}
	}
	g.used[step] = true
	return nil
}

// load reads the seed from the keyring unless it is in memory already.
func (g *Guard) load() error {
	g.mu.Lock()
	have := g.key != nil
	g.mu.Unlock()
	if have {
		return nil
	}
	g.io.Lock()
	defer g.io.Unlock()
	g.mu.Lock()
	have = g.key != nil
	g.mu.Unlock()
	if have {
		return nil
	}
	if !g.Enabled() { // Disable ran while we waited
		return ErrNotEnabled
	}
	key, err := g.readSeed()
	if err != nil {
		return err
	}
	g.mu.Lock()
	g.key = key
	g.mu.Unlock()
	return nil
}

// readSeed reads and decodes the seed from the keyring. The caller holds
// g.io.
func (g *Guard) readSeed() ([]byte, error) {
	s, err := g.secrets.Get(SeedID)
	switch {
	case errors.Is(err, vault.ErrSecretNotFound), errors.Is(err, vault.ErrSecretDamaged):
		return nil, fmt.Errorf("%w: %w", ErrSeedMissing, err)
	case err != nil:
		return nil, fmt.Errorf("guard: read the seed: %w", err)
	}
	key, err := decodeSeed(s.OTPSeed)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSeedMissing, err)
	}
	return key, nil
}

// normalise accepts a code typed with spaces or a dash ("123 456") and
// answers ErrCodeFormat unless 6 digits remain.
func normalise(code string) (string, error) {
	var b strings.Builder
	for _, r := range code {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '\t':
		default:
			return "", ErrCodeFormat
		}
	}
	if b.Len() != Digits {
		return "", ErrCodeFormat
	}
	return b.String(), nil
}

var seedEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// decodeSeed turns a base32 seed (any case, with or without padding or
// spaces) into the HMAC key.
func decodeSeed(seed string) ([]byte, error) {
	s := strings.ToUpper(strings.TrimRight(strings.ReplaceAll(seed, " ", ""), "="))
	key, err := seedEncoding.DecodeString(s)
	if err != nil || len(key) == 0 {
		return nil, errors.New("the seed is not base32")
	}
	return key, nil
}

// counter is the TOTP time step of t.
func counter(t time.Time) int64 {
	u := t.Unix()
	p := int64(Period / time.Second)
	if u < 0 {
		return (u - p + 1) / p
	}
	return u / p
}

// match reports the time step within Skew of now whose code is code.
func match(key []byte, code string, now time.Time) (int64, bool) {
	cur := counter(now)
	found, ok := int64(0), false
	for d := int64(-Skew); d <= Skew; d++ {
		// Every candidate is computed and compared, in constant time.
		if subtle.ConstantTimeCompare([]byte(hotp(key, cur+d)), []byte(code)) == 1 && !ok {
			found, ok = cur+d, true
		}
	}
	return found, ok
}

// hotp is RFC 4226's HOTP with SHA-1 and 6 digits, the code authenticator
// apps show for a TOTP seed with the defaults.
func hotp(key []byte, step int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1_000_000)
}
