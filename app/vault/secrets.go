package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// SecretStore keeps each record's Secret, keyed by record ID. The real one
// is the OS keyring (Keyring); Memory is for tests and the demo. There is
// deliberately no implementation that writes secrets to a file.
type SecretStore interface {
	// Get returns the secret for a record, or an error matching
	// ErrSecretNotFound when there is none.
	Get(id string) (Secret, error)
	// Set stores the secret for a record, replacing any earlier one.
	Set(id string, s Secret) error
	// Delete removes the secret for a record; it returns an error matching
	// ErrSecretNotFound when there was none.
	Delete(id string) error
}

// Errors of the secret stores, matched with errors.Is. None of them, nor
// anything wrapping them here, contains a secret.
var (
	ErrSecretNotFound = errors.New("the system keyring holds no secret for this key")
	// ErrKeyringUnavailable is matched by every *KeyringError: no Secret
	// Service running, the keyring locked, the unlock prompt dismissed, the
	// D-Bus session unreachable, or no answer in time.
	ErrKeyringUnavailable = errors.New("the system keyring is not available or is locked")
	ErrSecretTooBig       = errors.New("the secret is too big for the system keyring")
	ErrSecretDamaged      = errors.New("the system keyring's entry for this key is not in Keywarden's format")

	errEmptyID = errors.New("vault: empty record ID")
)

// keyringHelp is the plain-words advice for ErrKeyringUnavailable.
const keyringHelp = "Keywarden keeps your keys in the system keyring, and none is running or it is locked. " +
	"Unlock it (log in to your desktop session, or start gnome-keyring or KeePassXC's Secret Service) and try again."

// KeyringService is the service name Keywarden's secrets are stored under.
const KeyringService = "keywarden"

// DefaultKeyringTimeout is how long NewKeyring's store waits for the
// keyring, which includes the time a person takes to answer an unlock
// prompt.
const DefaultKeyringTimeout = 2 * time.Minute

// KeyringError is a failure to reach or use the system keyring. It matches
// ErrKeyringUnavailable and unwraps to the cause.
type KeyringError struct {
	Op  string // "get", "set" or "delete"
	Err error
}

// Error says how to fix it, then what failed.
func (e *KeyringError) Error() string {
	return fmt.Sprintf("%s (keyring %s: %v)", keyringHelp, e.Op, e.Err)
}

// Is makes errors.Is(err, ErrKeyringUnavailable) true.
func (e *KeyringError) Is(target error) bool { return target == ErrKeyringUnavailable }

// Unwrap returns the cause.
func (e *KeyringError) Unwrap() error { return e.Err }

var (
	errNoSessionBus = errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
	// ErrKeyringTimeout is the cause of a *KeyringError when the keyring
	// did not answer in time: the call may still complete later.
	ErrKeyringTimeout = errors.New("the keyring did not answer in time")
)

// Keyring is the SecretStore on the OS keyring (Secret Service on Linux,
// Keychain on macOS, Credential Manager on Windows) through go-keyring: one
// item per record, service Service, user = the record ID, value = the
// Secret as JSON. It never falls back to a file.
type Keyring struct {
	// Service is the keyring service name; empty means KeyringService.
	Service string
	// Timeout bounds each call; zero waits for ever. A call that times out
	// may still complete later in the background.
	Timeout time.Duration
}

// NewKeyring returns the store Keywarden uses: service "keywarden",
// DefaultKeyringTimeout.
func NewKeyring() *Keyring {
	return &Keyring{Service: KeyringService, Timeout: DefaultKeyringTimeout}
}

func (k *Keyring) service() string {
	if k.Service == "" {
		return KeyringService
	}
	return k.Service
}

// Get returns the secret stored for record id.
func (k *Keyring) Get(id string) (Secret, error) {
	if id == "" {
		return Secret{}, errEmptyID
	}
	var value string
	err := k.do("get", func() error {
		var err error
		value, err = keyring.Get(k.service(), id)
		return err
	})
	if err != nil {
		return Secret{}, err
	}
	var s Secret
	if err := json.Unmarshal([]byte(value), &s); err != nil {
		// The decoder's message may quote the value: leave it out.
		return Secret{}, fmt.Errorf("vault: keyring get %s: %w", id, ErrSecretDamaged)
	}
	return s, nil
}

// Set stores s for record id, replacing any earlier secret.
func (k *Keyring) Set(id string, s Secret) error {
	if id == "" {
		return errEmptyID
	}
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("vault: encode the secret: %w", err)
	}
	value := string(b)
	err = k.do("set", func() error { return keyring.Set(k.service(), id, value) })
	return scrub(err, value, s.APIKey, s.PrivateKey, s.OTPSeed, s.OTPPassword)
}

// Delete removes the secret stored for record id.
func (k *Keyring) Delete(id string) error {
	if id == "" {
		return errEmptyID
	}
	return k.do("delete", func() error { return keyring.Delete(k.service(), id) })
}

// do runs one keyring call with the timeout and maps its error.
func (k *Keyring) do(op string, call func() error) error {
	if sessionBusMissing() {
		// godbus would otherwise autolaunch a stray session bus.
		return &KeyringError{Op: op, Err: errNoSessionBus}
	}
	var err error
	if k.Timeout <= 0 {
		err = call()
	} else {
		done := make(chan error, 1)
		go func() { done <- call() }()
		t := time.NewTimer(k.Timeout)
		select {
		case err = <-done:
			t.Stop()
		case <-t.C:
			err = ErrKeyringTimeout
		}
	}
	return mapKeyringError(op, err)
}

func mapKeyringError(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return fmt.Errorf("vault: keyring %s: %w", op, ErrSecretNotFound)
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("vault: keyring %s: %w", op, ErrSecretTooBig)
	}
	return &KeyringError{Op: op, Err: err}
}

// scrub makes sure no secret appears in err's text, in case a keyring
// backend ever echoes what it was given.
func scrub(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := msg
	for _, s := range secrets {
		if s != "" {
			clean = strings.ReplaceAll(clean, s, "[redacted]")
		}
	}
	if clean == msg {
		return err
	}
	if errors.Is(err, ErrKeyringUnavailable) {
		return &KeyringError{Op: "set", Err: errors.New(clean)}
	}
	return errors.New(clean)
}

// Memory is a SecretStore in memory, for unit tests and the demo mode. It is
// safe for concurrent use; the zero value is ready.
type Memory struct {
	mu   sync.Mutex
	m    map[string]Secret
	fail error
}

// NewMemory returns an empty in-memory secret store.
func NewMemory() *Memory { return &Memory{} }

// Get returns the secret stored for record id.
func (m *Memory) Get(id string) (Secret, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return Secret{}, m.fail
	}
	if id == "" {
		return Secret{}, errEmptyID
	}
	s, ok := m.m[id]
	if !ok {
		return Secret{}, fmt.Errorf("vault: memory get: %w", ErrSecretNotFound)
	}
	return s, nil
}

// Set stores s for record id.
func (m *Memory) Set(id string, s Secret) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	if id == "" {
		return errEmptyID
	}
	if m.m == nil {
		m.m = make(map[string]Secret)
	}
	m.m[id] = s
	return nil
}

// Delete removes the secret stored for record id.
func (m *Memory) Delete(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	if _, ok := m.m[id]; !ok {
		return fmt.Errorf("vault: memory delete: %w", ErrSecretNotFound)
	}
	delete(m.m, id)
	return nil
}

// IDs returns the record IDs that have a secret, sorted.
func (m *Memory) IDs() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := make([]string, 0, len(m.m))
	for id := range m.m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// SetError makes every later call fail with err, as a locked keyring would
// (pass an error wrapping ErrKeyringUnavailable); nil restores normal
// service. It lets tests and the demo show the failure paths.
func (m *Memory) SetError(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = err
}
