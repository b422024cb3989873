package keys

import (
	"context"
	"errors"
	"fmt"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/vault"
)

// NewKey is a key to save: the record the wizard or the command line made
// (Replaces set for a rotation), its secret, and the exchange's answer at
// the verify step.
type NewKey struct {
	Record   vault.Record
	Secret   vault.Secret
	Readback *vault.Readback
	// Note goes in the "added" event of the history.
	Note string
}

// Add saves a new key: the record and the secret, or neither. A key whose
// API key is kept already, by any record, is refused (*DuplicateKeyError
// naming that record). For a rotation (Record.Replaces set), the old
// record is linked to the new one, and a key pair equal to the old one is
// refused.
//
// The order of writes keeps the keyring and the records in step whatever
// moment the process dies at: the record is written first, marked
// pending; then the secret; then the mark is cleared (and the old key
// linked). Repair finishes or undoes what a killed Add left.
func (s *Service) Add(ctx context.Context, k NewKey) (vault.Record, error) {
	now := s.now()
	rec := k.Record
	if rec.ID == "" {
		rec.ID = vault.NewID()
	}
	rec.KeyHint = vault.KeyHintOf(k.Secret.APIKey)
	rec.KeyPrint = vault.KeyPrintOf(k.Secret.APIKey)
	if rec.Status == "" {
		rec.Status = vault.StatusActive
	}
	if rec.Created.IsZero() {
		rec.Created = now
	}
	rec.Intended = append(rec.Intended[:0:0], rec.Intended...)
	if k.Readback != nil {
		check.Apply(&rec, *k.Readback)
	}
	rec.AddEvent(now, vault.EventAdded, k.Note)
	rec.Pending = &vault.Pending{Op: vault.PendingAdd, Since: now, PID: s.pid}
	if err := s.backfillPrints(); err != nil {
		return vault.Record{}, err
	}

	err := s.update(func(d *vault.Data) error {
		if err := refuseDuplicate(d, rec); err != nil {
			return err
		}
		if rec.Replaces != "" {
			old, err := d.ByID(rec.Replaces)
			if err != nil {
				return fmt.Errorf("%w: the key being replaced is gone", ErrChanged)
			}
			if ok, why := Can(*old, ActRotate); !ok {
				return &NotAllowedError{Record: *old, Action: ActRotate, Why: why}
			}
		}
		_, err := d.Add(rec)
		return err
	})
	var dup *DuplicateKeyError
	if errors.As(err, &dup) && dup.Holder.Pending != nil {
		// Unfinished: by another process adding this very key now (say
		// so: it is not a keyring failure), or by an add that was stopped
		// or whose keyring call timed out (this process's own).
		dup.InProgress = dup.Holder.Pending.PID != s.pid && s.ownerRuns(dup.Holder.Pending, now)
	}
	if err != nil {
		return vault.Record{}, err
	}
	if err := s.storeSecret(rec.ID, k.Secret); err != nil {
		return vault.Record{}, err
	}
	return s.finishAdd(rec.ID)
}

// storeSecret puts the new key's secret in the keyring. If that fails it
// removes the pending record again, except after a keyring timeout: the
// keyring may still store the secret later, so the record stays pending
// and Repair sees what arrived.
func (s *Service) storeSecret(id string, secret vault.Secret) error {
	err := s.secrets.Set(id, secret)
	if err == nil || errors.Is(err, vault.ErrKeyringTimeout) {
		return err
	}
	if uerr := s.update(func(d *vault.Data) error { return d.Remove(id) }); uerr != nil {
		err = errors.Join(err, uerr) // Repair removes the pending record later
	}
	return err
}

// finishAdd clears the pending mark of a record whose secret is stored,
// and returns the record as saved. If the record was repaired away by
// another process meanwhile, it takes the secret back (ErrChanged); on any
// other failure the record stays pending, and Repair completes it.
func (s *Service) finishAdd(id string) (vault.Record, error) {
	var saved vault.Record
	err := s.update(func(d *vault.Data) error {
		r, err := complete(d, id)
		if err != nil {
			return err
		}
		saved = *r
		return nil
	})
	if err == nil {
		return saved, nil
	}
	if errors.Is(err, vault.ErrNotFound) {
		if derr := s.secrets.Delete(id); derr != nil && !errors.Is(derr, vault.ErrSecretNotFound) {
			err = errors.Join(err, derr)
		}
		return vault.Record{}, fmt.Errorf("%w: %w", ErrChanged, err)
	}
	return vault.Record{}, err
}

// complete clears a pending add and links a rotation's old record to the
// new one.
func complete(d *vault.Data, id string) (*vault.Record, error) {
	r, err := d.ByID(id)
	if err != nil {
		return nil, err
	}
	r.Pending = nil
	if r.Replaces != "" {
		if old, err := d.ByID(r.Replaces); err == nil {
			old.ReplacedBy = r.ID
			at := r.Created
			if len(r.History) > 0 {
				at = r.History[len(r.History)-1].At
			}
			old.AddEvent(at, vault.EventRotated, "replaced by “"+r.Name+"”: revoke this key once the new one works")
		} else {
			r.Replaces = ""
		}
	}
	return r, nil
}

// refuseDuplicate returns a *DuplicateKeyError when another record holds
// rec's API key.
func refuseDuplicate(d *vault.Data, rec vault.Record) error {
	if rec.KeyPrint == "" {
		return nil
	}
	for i := range d.Records {
		o := &d.Records[i]
		if o.ID != rec.ID && o.KeyPrint == rec.KeyPrint {
			return &DuplicateKeyError{Holder: *o, Replacing: o.ID == rec.Replaces}
		}
	}
	return nil
}

// backfillPrints gives records saved by older versions, which have no key
// print, their print, read from the keyring once. Records whose secret is
// gone (revoked keys) are left without one.
func (s *Service) backfillPrints() error {
	d, err := s.store.Load()
	if err != nil {
		return err
	}
	prints := map[string]string{}
	for _, r := range d.Records {
		if r.KeyPrint != "" || r.Pending != nil || (r.Status == vault.StatusRevoked && confirmedDead(r)) { // a confirmed-dead key's secret is gone
			continue
		}
		sec, err := s.secrets.Get(r.ID)
		switch {
		case err == nil:
			prints[r.ID] = vault.KeyPrintOf(sec.APIKey)
		case errors.Is(err, vault.ErrSecretNotFound):
		default:
			return err
		}
	}
	if len(prints) == 0 {
		return nil
	}
	return s.store.Update(func(d *vault.Data) error {
		for id, p := range prints {
			if r, err := d.ByID(id); err == nil && r.KeyPrint == "" {
				r.KeyPrint = p
			}
		}
		return nil
	})
}
