package keys

import (
	"cmp"
	"errors"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// StaleAfter is how long an unfinished change may stay before Repair takes
// its process for dead even where it cannot ask the system (Windows, or a
// process number used again).
const StaleAfter = 10 * time.Minute

// RepairReport counts what Repair mended.
type RepairReport struct {
	Completed int // adds whose secret was stored: the records are kept
	Undone    int // adds whose secret never arrived: the records are dropped
	Removed   int // removals finished
	Revoked   int // revocations whose secret is now deleted
	Waiting   int // changes left alone: their process still runs, or the keyring cannot be reached
}

// Repair finishes or undoes the changes a killed process left unfinished
// (records marked pending), so that every secret in the keyring has a
// record and every record in use has its secret. Changes whose process
// still runs are left to it. It is cheap when there is nothing to mend:
// one read of the key list.
func (s *Service) Repair() (RepairReport, error) {
	var rep RepairReport
	var firstErr error
	d, err := s.store.Load()
	if err != nil {
		return rep, err
	}
	now := s.now()
	for _, r := range d.Records {
		p := r.Pending
		if p == nil {
			continue
		}
		if s.ownerRuns(p, now) {
			rep.Waiting++
			continue
		}
		if err := s.repairOne(r.ID, p.Op, &rep); err != nil {
			// Leave this one for the next start and mend the others: a
			// locked keyring, or an entry that cannot be read.
			rep.Waiting++
			if !errors.Is(err, vault.ErrKeyringUnavailable) {
				firstErr = cmp.Or(firstErr, err)
			}
		}
	}
	return rep, firstErr
}

func (s *Service) repairOne(id string, op vault.PendingOp, rep *RepairReport) error {
	switch op {
	case vault.PendingAdd:
		_, err := s.secrets.Get(id)
		switch {
		case err == nil:
			rep.Completed++
			return s.stillPending(id, op, func(d *vault.Data, _ *vault.Record) error {
				_, err := complete(d, id)
				return err
			})
		case errors.Is(err, vault.ErrSecretNotFound):
			rep.Undone++
			return s.stillPending(id, op, func(d *vault.Data, _ *vault.Record) error { return d.Remove(id) })
		}
		return err
	case vault.PendingRemove:
		if err := s.secrets.Delete(id); err != nil && !errors.Is(err, vault.ErrSecretNotFound) {
			return err
		}
		rep.Removed++
		return s.stillPending(id, op, func(d *vault.Data, _ *vault.Record) error { return removeRecord(d, id) })
	case vault.PendingRevoke:
		if err := s.secrets.Delete(id); err != nil && !errors.Is(err, vault.ErrSecretNotFound) {
			return err
		}
		rep.Revoked++
		return s.stillPending(id, op, func(_ *vault.Data, r *vault.Record) error {
			r.Pending = nil
			return nil
		})
	}
	return nil
}

// stillPending runs finish on the record, in one update of the vault, if
// it still has the unfinished change op; if it is gone or was mended
// meanwhile it does nothing.
func (s *Service) stillPending(id string, op vault.PendingOp, finish func(d *vault.Data, r *vault.Record) error) error {
	return s.update(func(d *vault.Data) error {
		r, err := d.ByID(id)
		if err != nil || r.Pending == nil || r.Pending.Op != op {
			return nil // mended meanwhile
		}
		return finish(d, r)
	})
}

// ownerRuns reports whether the process that started an unfinished change
// may still be working on it.
func (s *Service) ownerRuns(p *vault.Pending, now time.Time) bool {
	if now.Sub(p.Since) > StaleAfter {
		return false
	}
	return p.PID > 0 && processRuns(p.PID)
}
