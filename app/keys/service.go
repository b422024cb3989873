package keys

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
)

// Params is what a Service works with. Store and Secrets are required.
type Params struct {
	Store   *vault.Store
	Secrets vault.SecretStore
	// Runner checks keys on the exchange; nil means checks are not
	// available (they fail with ErrNoExchange).
	Runner *check.Runner
	// Reminders is the reminders' state (snoozes, background-check
	// choices); nil means the one beside the store.
	Reminders *remind.StateFile
	// Settings is the app's settings; nil means the one beside the store.
	Settings *SettingsFile
	// Guard is app 2FA; nil means the one beside the store, over Secrets
	// (guard.Open).
	Guard *guard.Guard
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Changed is called after the service saved a change (records,
	// reminders or settings), so a face can tell the other processes. nil
	// does nothing. It must not block.
	Changed func()
}

// Service owns the workflows on keys. It is safe for concurrent use; every
// method that touches the keyring or the network may block, so faces call
// it off their UI goroutine.
type Service struct {
	store     *vault.Store
	secrets   vault.SecretStore
	runner    *check.Runner
	reminders *remind.StateFile
	settings  *SettingsFile
	guard     *guard.Guard
	now       func() time.Time
	changed   func()
	pid       int
}

// New returns a Service over p.
func New(p Params) *Service {
	s := &Service{store: p.Store, secrets: p.Secrets, runner: p.Runner, reminders: p.Reminders,
		settings: p.Settings, guard: p.Guard, now: p.Now, changed: p.Changed, pid: os.Getpid()}
	if s.reminders == nil {
		s.reminders = remind.OpenState(p.Store.Dir())
	}
	if s.settings == nil {
		s.settings = OpenSettings(p.Store.Dir())
	}
	if s.guard == nil {
		s.guard = guard.Open(p.Store.Dir(), p.Secrets, nil)
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Dir returns the folder Keywarden keeps its files in (keys.json and the
// state files beside it), for a face that keeps a file of its own there.
func (s *Service) Dir() string { return s.store.Dir() }

// KeyListPath returns the key list's file, to name it to a person.
func (s *Service) KeyListPath() string { return s.store.Path() }

// Records reads the key list and returns every record as stored now; a key
// list that cannot be read is the error.
func (s *Service) Records() ([]vault.Record, error) {
	d, err := s.store.Load()
	if err != nil {
		return nil, err
	}
	return d.Records, nil
}

// Record returns the record with the given ID as stored now.
func (s *Service) Record(id string) (vault.Record, error) { return s.record(id) }

// SettingsFile returns the settings file.
func (s *Service) SettingsFile() *SettingsFile { return s.settings }

// AppGuard returns app 2FA's guard, over the same folder and keyring as
// the service: the faces' prompts enrol, verify and disable through it.
func (s *Service) AppGuard() *guard.Guard { return s.guard }

// Reminders returns the reminders' state file.
func (s *Service) Reminders() *remind.StateFile { return s.reminders }

// Now returns the service's time.
func (s *Service) Now() time.Time { return s.now() }

// Snapshot reads the key list, the settings and the reminders' state and
// returns what every face shows at this moment. A key list that cannot be
// read is an error; a damaged reminders or settings file is reported in
// the Snapshot and the defaults are used.
func (s *Service) Snapshot() (*Snapshot, error) {
	data, err := s.store.Load()
	if err != nil {
		return nil, err
	}
	set, setErr := s.settings.Load()
	st, stErr := s.reminders.Load()
	snap := NewSnapshot(data.Records, set, st, s.now())
	snap.SettingsErr, snap.RemindersErr = setErr, stErr
	return snap, nil
}

// Settings returns the app's settings.
func (s *Service) Settings() (Settings, error) { return s.settings.Load() }

// UpdateSettings changes the settings with fn and saves them.
func (s *Service) UpdateSettings(fn func(*Settings) error) error {
	if err := s.settings.Update(fn); err != nil {
		return err
	}
	s.notify()
	return nil
}

// update changes the records with fn, under the store's lock.
func (s *Service) update(fn func(*vault.Data) error) error {
	if err := s.store.Update(fn); err != nil {
		return err
	}
	s.notify()
	return nil
}

func (s *Service) notify() {
	if s.changed != nil {
		s.changed()
	}
}

// ErrNoExchange is returned by checks when the service has no exchange
// client.
var ErrNoExchange = errors.New("keys: no exchange client")

func (s *Service) checkRunner() (*check.Runner, error) {
	if s.runner == nil {
		return nil, ErrNoExchange
	}
	return s.runner, nil
}

// Verify reads back a key that is not saved yet (the wizard's verify step,
// the command line's add): one GetApiKeyInfo call.
func (s *Service) Verify(ctx context.Context, secret vault.Secret, twoFA vault.TwoFA, code string) vault.Readback {
	r, err := s.checkRunner()
	if err != nil {
		return vault.Readback{At: s.now(), Outcome: vault.OutcomeError, Problem: UserMessage(err)}
	}
	return r.CheckSecret(ctx, secret, twoFA, check.Options{OTP: code}, s.now())
}
