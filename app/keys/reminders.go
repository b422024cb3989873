package keys

import (
	"time"

	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
)

// Snooze holds back the key's reminders for d from now.
func (s *Service) Snooze(id string, d time.Duration) error {
	until := s.now().Add(d)
	return s.UpdateReminders(id, func(st *remind.State) { st.Snooze(id, until) })
}

// UpdateReminders changes the key's reminder settings (snooze, background
// check, "a running program uses it") with fn, for a key that can have
// them (Can ActReminders).
func (s *Service) UpdateReminders(id string, fn func(*remind.State)) error {
	rec, err := s.record(id)
	if err != nil {
		return err
	}
	if ok, why := Can(rec, ActReminders); !ok {
		return &NotAllowedError{Record: rec, Action: ActReminders, Why: why}
	}
	if err := s.reminders.Update(fn); err != nil {
		return err
	}
	s.notify()
	return nil
}

// Secret returns the key's secret from the keyring, to copy a part of it
// or hand it to a program, for a key that still has one (Can
// ActCopySecret).
func (s *Service) Secret(id string) (vault.Secret, error) {
	rec, err := s.record(id)
	if err != nil {
		return vault.Secret{}, err
	}
	if ok, why := Can(rec, ActCopySecret); !ok {
		return vault.Secret{}, &NotAllowedError{Record: rec, Action: ActCopySecret, Why: why}
	}
	return s.secrets.Get(id)
}

// ExecSecret returns the key's secret to hand to a program (keywarden
// exec), for a key that may be handed out (Can ActExec): never a revoked
// or leaked one, even while the keyring still holds its secret.
func (s *Service) ExecSecret(id string) (vault.Secret, error) {
	rec, err := s.record(id)
	if err != nil {
		return vault.Secret{}, err
	}
	if ok, why := Can(rec, ActExec); !ok {
		return vault.Secret{}, &NotAllowedError{Record: rec, Action: ActExec, Why: why}
	}
	return s.secrets.Get(id)
}
