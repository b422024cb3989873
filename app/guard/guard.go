// Package guard is Keywarden's own two-factor check (app 2FA): once a person
// has enrolled an authenticator app, revealing or copying a secret, removing
// or revoking a key, exporting and turning the protection off ask for a
// 6-digit TOTP code.
//
// The seed lives in the system keyring (through a vault.SecretStore, under
// SeedID). The wrong-code count, the lock and the used codes live in a
// StateStore: guard.json in the vault's folder (Open), so a restart, the
// tray part, a second window and the command line all honour them.
//
// App 2FA fails closed: while its seed is in the keyring it is on, whatever
// guard.json, the settings or the folder say (Required). The state can only
// add to the protection; a lost state is rebuilt as a lock (State.rebuild).
// The seed's keyring entry is the user's, not the folder's (SeedID, under
// vault.KeyringService), so pointing KEYWARDEN_DIR or XDG_CONFIG_HOME at
// another folder finds the same seed. Time is always a parameter. A
// keyring call can block while the system shows an unlock prompt, so
// Required, Verify, ConfirmEnrolment, Disable, Reset and
// ResetLostAuthenticator must run off the UI goroutine; Enabled and
// LockedUntil never touch the keyring.
//
// The guard stops someone who sits at an unlocked desktop and uses
// Keywarden's window. It is no defence against someone who can already read
// the user's keyring or settings file: they can read the secrets directly.
package guard

import (
	"cmp"
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

// Flags is where the "enabled" flag is kept when it is not in the guard's
// State: the app's settings. fyne.Preferences satisfies it.
type Flags interface {
	Bool(key string) bool
	SetBool(key string, value bool)
}

// Guard checks codes against the enrolled seed. It is safe for concurrent
// use. The used time steps, the wrong-code count and the lock live in its
// StateStore: with a FileState (Open), every process over the same folder
// shares them.
type Guard struct {
	secrets vault.SecretStore
	flags   Flags // nil: the on/off switch is State.Enabled
	state   StateStore

	// io serialises keyring calls and changes of enrolment; it is never
	// taken while mu is held.
	io sync.Mutex

	mu  sync.Mutex // guards key; taken inside state updates, never around them
	key []byte     // the decoded seed, nil until first read
}

// New returns a guard over secrets (the keyring) and flags (the settings)
// whose counters live in this process only. Use Open for the real app:
// only there do a restart and other processes honour the lock and the used
// codes.
func New(secrets vault.SecretStore, flags Flags) *Guard {
	return NewWithState(secrets, flags, NewMemoryState())
}

// Open returns the guard of the vault folder dir: its state is guard.json
// there (FileState), shared by every process of the user. flags may be nil;
// then whether app 2FA is on is kept in guard.json too. Every process must
// be given the same kind of flags, or they disagree about it.
func Open(dir string, secrets vault.SecretStore, flags Flags) *Guard {
	return NewWithState(secrets, flags, OpenState(dir))
}

// NewWithState returns a guard whose counters (and, with nil flags, the
// on/off switch) live in state.
func NewWithState(secrets vault.SecretStore, flags Flags, state StateStore) *Guard {
	return &Guard{secrets: secrets, flags: flags, state: state}
}

// AdoptFlag moves an "enabled" flag that earlier versions kept in legacy
// (the Fyne preferences) into state, for a guard opened with nil flags: if
// legacy says on, state is turned on, then legacy off. It never turns the
// protection off.
func AdoptFlag(state StateStore, legacy Flags) error {
	if legacy == nil || !legacy.Bool(EnabledFlag) {
		return nil
	}
	if err := state.Update(func(st *State) error { st.Enabled = true; return nil }); err != nil {
		return err
	}
	legacy.SetBool(EnabledFlag, false)
	return nil
}

// Enabled reports what is known about app 2FA without the keyring: on when
// the switch (flags, else the state file) says so, or when the state file
// cannot be read. It is for showing the setting; it says off while the
// seed is in the keyring but guard.json is gone, so before a sensitive
// action ask Required, which reads the keyring.
func (g *Guard) Enabled() bool {
	if g.flags != nil {
		return g.flags.Bool(EnabledFlag)
	}
	st, err := g.state.Load()
	return err != nil || st.Enabled
}

// Required reports whether a sensitive action must ask for a code: yes
// when Enabled says so, or when the seed is in the keyring (whatever any
// file says), or when the keyring cannot be asked (then with the error,
// which says in plain words what to do). Only a keyring that answers "no
// such entry" while the switch is off gives false. It reads the keyring:
// call it off the UI goroutine. A readable seed is kept in memory for
// Verify.
func (g *Guard) Required() (bool, error) {
	if g.Enabled() {
		return true, nil
	}
	// Read every time: another process may have enrolled or turned app 2FA
	// off since.
	g.io.Lock()
	defer g.io.Unlock()
	key, err := g.readSeed()
	switch {
	case err == nil:
		g.keep(key)
		return true, nil
	case errors.Is(err, vault.ErrSecretNotFound):
		return false, nil
	case errors.Is(err, ErrSeedMissing):
		return true, nil // an entry in a wrong shape: on; Verify says how to reset
	}
	return true, err
}

// keep puts a freshly read seed in memory, for Verify.
func (g *Guard) keep(key []byte) {
	g.mu.Lock()
	defer g.mu.Unlock()
	clear(g.key)
	g.key = key
}

// seedPresent reports whether the keyring holds a seed entry (in any
// shape); an unanswered keyring is an error. The caller holds g.io.
func (g *Guard) seedPresent() (bool, error) {
	_, err := g.secrets.Get(SeedID)
	switch {
	case err == nil, errors.Is(err, vault.ErrSecretDamaged):
		return true, nil
	case errors.Is(err, vault.ErrSecretNotFound):
		return false, nil
	}
	return false, fmt.Errorf("guard: read the seed: %w", err)
}

// setEnabled turns the switch, and resets the counters, in one update.
func (g *Guard) setEnabled(on bool, used []int64) error {
	err := g.state.Update(func(st *State) error {
		if g.flags == nil {
			st.Enabled = on
		}
		st.Wrong, st.LockedUntil, st.Used = 0, time.Time{}, used
		return nil
	})
	if err != nil {
		return err
	}
	if g.flags != nil {
		g.flags.SetBool(EnabledFlag, on)
	}
	return nil
}

// LockedUntil reports when the lock after too many wrong codes ends, and
// whether it is still in force at now. It never touches the keyring.
func (g *Guard) LockedUntil(now time.Time) (time.Time, bool) {
	st, err := g.state.Load()
	if err != nil {
		return time.Time{}, false
	}
	return st.LockedUntil, now.Before(st.LockedUntil)
}

// BeginEnrolment makes a fresh seed for account (what the authenticator app
// shows next to "Keywarden"; empty means "Keywarden"). Nothing is stored:
// show the key's QR code and secret, then pass the key and a code from the
// authenticator app to ConfirmEnrolment. It fails with ErrAlreadyEnabled
// when app 2FA is known to be on, since a new seed must not replace the old
// one without a code; ConfirmEnrolment makes the same check against the
// keyring itself.
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
// stored and app 2FA stays off. It refuses with ErrAlreadyEnabled when a
// seed is in the keyring already, whatever the state file says: enrolling
// over it would let whoever deleted guard.json choose the codes. The code
// is used up: it cannot be used again for Verify. It touches the keyring:
// call it off the UI goroutine.
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
	present, err := g.seedPresent()
	if err != nil || present || g.Enabled() {
		clear(key)
		if err != nil {
			return err
		}
		return ErrAlreadyEnabled
	}
	if err := g.secrets.Set(SeedID, vault.Secret{OTPSeed: seed}); err != nil {
		clear(key)
		return fmt.Errorf("guard: store the seed: %w", err)
	}
	if err := g.setEnabled(true, []int64{step}); err != nil {
		clear(key)
		_ = g.secrets.Delete(SeedID)
		return err
	}
	g.mu.Lock()
	clear(g.key)
	g.key = key
	g.mu.Unlock()
	return nil
}

// Verify checks a code typed now. A code is accepted from the current time
// step or one either side, and only once. MaxWrong wrong codes in a row lock
// the check for LockTimeout (the fifth wrong code already answers with a
// *LockedError); a right code resets the count. A code in the wrong shape
// (not 6 digits) or a replayed one does not count as wrong. The count, the
// lock and the used codes are the StateStore's: with Open they hold across
// restarts and processes.
//
// The first call reads the seed from the keyring and may block: call it off
// the UI goroutine. Later calls use the seed kept in memory.
func (g *Guard) Verify(code string, now time.Time) error {
	code, err := g.prepare(code, now)
	if err != nil {
		return err
	}
	return g.check(code, now)
}

// prepare does what Verify and Disable both need before comparing a code:
// protection on, no lock, a code of the right shape, the seed loaded.
func (g *Guard) prepare(code string, now time.Time) (string, error) {
	on, err := g.Required()
	if err != nil {
		return "", err
	}
	if !on {
		return "", ErrNotEnabled
	}
	if err := g.checkLock(now); err != nil {
		return "", err
	}
	code, err = normalise(code)
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
	if err := g.check(code, now); err != nil {
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
	if on, err := g.Required(); err != nil || !on {
		return cmp.Or(err, ErrNotEnabled)
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

// ResetLostAuthenticator turns app 2FA off without a code, for a person
// who lost their authenticator app while the seed is still in the keyring.
// It works only when the keyring answers (it reads, then deletes the
// seed), so it needs the person's unlocked keyring; whoever has that can
// read Keywarden's secrets from it directly, so it gives nothing away to
// them. Someone who can only use Keywarden's window cannot call it: the
// faces offer it on the command line only, and app/keys records it in
// every key's history (keys.Service.ResetAppTwoFA). record, if not nil,
// runs once the keyring has answered and before the seed is deleted; an
// error from it stops the reset. It touches the keyring: call it off the UI
// goroutine.
func (g *Guard) ResetLostAuthenticator(record func() error) error {
	if on, err := g.Required(); err != nil || !on {
		return cmp.Or(err, ErrNotEnabled)
	}
	g.io.Lock()
	defer g.io.Unlock()
	if _, err := g.readSeed(); err != nil && !errors.Is(err, ErrSeedMissing) {
		return err
	}
	if record != nil {
		if err := record(); err != nil {
			return err
		}
	}
	return g.forget()
}

// forget removes the seed from the keyring, turns the switch off and zeroes
// the seed in memory. The caller holds g.io.
func (g *Guard) forget() error {
	if err := g.secrets.Delete(SeedID); err != nil && !errors.Is(err, vault.ErrSecretNotFound) {
		return fmt.Errorf("guard: remove the seed: %w", err)
	}
	// The seed goes from memory first, so a check under way never sees
	// "off" with a seed in hand and rebuilds the switch on.
	g.mu.Lock()
	clear(g.key)
	g.key = nil
	g.mu.Unlock()
	return g.setEnabled(false, nil)
}

// checkLock answers a *LockedError while the lock is in force.
func (g *Guard) checkLock(now time.Time) error {
	st, err := g.state.Load()
	if err != nil {
		return err
	}
	if now.Before(st.LockedUntil) {
		return &LockedError{Until: st.LockedUntil, Rebuilt: st.Rebuilt}
	}
	return nil
}

// check compares a normalised code with the loaded seed and records the
// outcome in the state, in one update.
func (g *Guard) check(code string, now time.Time) error {
	var result error
	err := g.state.Update(func(st *State) error {
		g.mu.Lock()
		defer g.mu.Unlock()
		result = g.checkState(st, code, now)
		return nil // a wrong code counts, an accepted one is used up: save both
	})
	if err != nil {
		return err
	}
	return result
}

// checkState is check's rule on st; the caller holds g.mu and the state's
// lock. Once the lock has run out, the count starts afresh.
func (g *Guard) checkState(st *State, code string, now time.Time) error {
	if g.key == nil { // Disable or Reset ran meanwhile
		return ErrNotEnabled
	}
	// With the switch in the file, a file that says off while the seed is
	// in the keyring was edited (forget drops the seed from memory before
	// it writes "off"): it is as good as lost.
	if st.Lost || (g.flags == nil && !st.Enabled) {
		st.rebuild(now)
	}
	if !st.LockedUntil.IsZero() {
		if now.Before(st.LockedUntil) {
			return &LockedError{Until: st.LockedUntil, Rebuilt: st.Rebuilt}
		}
		st.LockedUntil, st.Wrong, st.Rebuilt = time.Time{}, 0, false
	}
	step, ok := match(g.key, code, now)
	if !ok {
		st.Wrong++
		if st.Wrong >= MaxWrong {
			st.Wrong = 0
			st.LockedUntil = now.Add(LockTimeout)
			return &LockedError{Until: st.LockedUntil}
		}
		return &WrongCodeError{Left: MaxWrong - st.Wrong}
	}
	if st.used(step) {
		return ErrReplayed
	}
	st.Wrong = 0
	st.markUsed(step, now)
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
	key, err := g.readSeed()
	if errors.Is(err, vault.ErrSecretNotFound) && !g.Enabled() {
		return ErrNotEnabled // Disable ran while we waited
	}
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
