package keys

import (
	"time"

	"github.com/keywarden/keywarden/app/remind"
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
