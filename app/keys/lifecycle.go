package keys

import (
	"context"
	"crypto/hmac"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// change applies fn to the record with the given ID, after checking that
// the action fits it, and returns the record as saved.
func (s *Service) change(id string, a Action, fn func(r *vault.Record) error) (vault.Record, error) {
	var out vault.Record
	err := s.update(func(d *vault.Data) error {
		r, err := d.ByID(id)
		if err != nil {
			return err
		}
		if a != "" {
			if ok, why := Can(*r, a); !ok {
				return &NotAllowedError{Record: *r, Action: a, Why: why}
			}
		}
		if err := fn(r); err != nil {
			return err
		}
		out = *r
		return nil
	})
	return out, err
}

// MarkReviewed records that the person looked at the key now; note goes
// in the history.
func (s *Service) MarkReviewed(id, note string) (vault.Record, error) {
	now := s.now()
	return s.change(id, ActReview, func(r *vault.Record) error {
		r.LastReviewed = now
		r.AddEvent(now, vault.EventReviewed, note)
		return nil
	})
}

// Edit is a change to what a person may edit on a record.
type Edit struct {
	Name, Account, Notes string
	UsedBy               []string
	ReviewDays           int // 0: the default for the key's risk
	// Purpose is what the key is for; "" keeps the key's.
	Purpose vault.Purpose
	// Intended are the permissions the person means the key to have (what
	// checks compare the exchange's answer with); nil keeps the key's, an
	// empty list is refused (a key is made for something). A code the
	// catalogue does not know is kept only if the key had it.
	Intended []kraken.Permission
	// Parked parks the key (true) or puts it back in use (false); a retired
	// key's status is not changed.
	Parked bool
	// From is what the edit started from (EditOf the record the person
	// saw). With it, only the fields changed from it are saved, onto the
	// record as it is now; a field someone else changed meanwhile to
	// something else refuses the edit (*EditConflictError). nil saves
	// every field.
	From *Edit
}

// Edit saves the edit, with an "edited" event, and a "parked" or
// "resumed" one when the status changed. Review days are checked as the
// settings are (ParseReviewDays); services are trimmed and kept once each.
func (s *Service) Edit(id string, e Edit) (vault.Record, error) {
	if e.ReviewDays != 0 && (e.ReviewDays < MinReviewDays || e.ReviewDays > MaxReviewDays) {
		_, err := ParseReviewDays("-")
		return vault.Record{}, err
	}
	if e.Purpose != "" && !slices.Contains(vault.Purposes, e.Purpose) {
		return vault.Record{}, &EditError{Msg: "That purpose is not one Keywarden knows; choose one of the list."}
	}
	e = e.keepingEmpty()
	now := s.now()
	return s.change(id, ActEdit, func(r *vault.Record) error {
		e, err := e.onto(*r)
		if err != nil {
			return err
		}
		if err := checkIntended(e.Intended, *r); err != nil {
			return err
		}
		services := cleanServices(e.UsedBy)
		note := declaredChange(*r, e)
		r.Name, r.Account, r.Notes = strings.TrimSpace(e.Name), strings.TrimSpace(e.Account), strings.TrimSpace(e.Notes)
		r.UsedBy, r.ReviewDays = services, e.ReviewDays
		if e.Purpose != "" {
			r.Purpose = e.Purpose
		}
		if e.Intended != nil {
			r.Intended = kraken.SortPermissions(e.Intended)
		}
		r.AddEvent(now, vault.EventEdited, note)
		switch {
		case r.Retired():
		case e.Parked && r.Status != vault.StatusParked:
			r.Status = vault.StatusParked
			r.AddEvent(now, vault.EventParked, "")
		case !e.Parked && r.Status == vault.StatusParked:
			r.Status = vault.StatusActive
			r.AddEvent(now, vault.EventResumed, "")
		}
		return nil
	})
}

// MarkCompromised marks the key as leaked, now. A key in use becomes
// "compromised" (revoke it now); a key revoked already stays revoked, and
// the leak is remembered either way (Record.LeakedAt).
func (s *Service) MarkCompromised(id, note string) (vault.Record, error) {
	now := s.now()
	return s.change(id, ActCompromised, func(r *vault.Record) error {
		if r.Status != vault.StatusRevoked {
			r.Status = vault.StatusCompromised
		}
		r.LeakedAt = now
		r.AddEvent(now, vault.EventCompromised, note)
		return nil
	})
}

// The after-a-leak steps, as vault names them.
const (
	LeakReplace  = vault.LeakReplace
	LeakActivity = vault.LeakActivity
	LeakPassword = vault.LeakPassword
	LeakSupport  = vault.LeakSupport
)

// LeakStepCodes lists the after-a-leak steps in order.
var LeakStepCodes = vault.LeakStepCodes

// SetLeakStep ticks or unticks a step of a leaked key's checklist.
func (s *Service) SetLeakStep(id, step string, done bool) (vault.Record, error) {
	return s.change(id, "", func(r *vault.Record) error {
		if !r.Leaked() {
			return &NotAllowedError{Record: *r, Action: ActCompromised, Why: "It is not marked as leaked, so it has no leak checklist."}
		}
		has := slices.Contains(r.LeakSteps, step)
		switch {
		case done && !has:
			r.LeakSteps = append(r.LeakSteps, step)
		case !done && has:
			r.LeakSteps = slices.DeleteFunc(r.LeakSteps, func(s string) bool { return s == step })
		}
		return nil
	})
}

// RevokeResult is what Revoke did.
type RevokeResult struct {
	Record    vault.Record
	Readback  vault.Readback
	Confirmed bool // the exchange answered "invalid key"
	// SecretErr is set when the key is recorded revoked but its secret
	// could not be deleted from the keyring yet; Repair tries again.
	SecretErr error
}

// Revoke confirms with one check that the exchange no longer knows the
// key ("invalid key"), then records it revoked and deletes its secret; the
// record stays as history, and a leak stays remembered. Any other answer
// changes nothing (*NotConfirmedError) unless force, which records it
// revoked anyway and keeps the secret, so a later check can tell whether
// it still works. code is the key's 2FA code when it is typed at each
// check.
func (s *Service) Revoke(ctx context.Context, id, code string, force bool) (RevokeResult, error) {
	runner, err := s.checkRunner()
	if err != nil {
		return RevokeResult{}, err
	}
	rec, err := s.record(id)
	if err != nil {
		return RevokeResult{}, err
	}
	if ok, why := Can(rec, ActRevoke); !ok {
		return RevokeResult{Record: rec}, &NotAllowedError{Record: rec, Action: ActRevoke, Why: why}
	}
	now := s.now()
	rb := runner.Check(ctx, rec, check.Options{OTP: code, NoProbes: true}, now)
	res := RevokeResult{Record: rec, Readback: rb, Confirmed: rb.Outcome == vault.OutcomeInvalidKey}
	if !res.Confirmed && !force {
		return res, &NotConfirmedError{Record: rec, Readback: rb}
	}
	note := "confirmed: Kraken answers “invalid key”"
	if !res.Confirmed {
		note = "recorded without Kraken's confirmation: " + outcomeNote(rb)
	}
	res.Record, err = s.change(id, ActRevoke, func(r *vault.Record) error {
		if !rb.Unreached {
			check.Apply(r, rb)
		}
		if r.Status == vault.StatusCompromised && r.LeakedAt.IsZero() {
			r.LeakedAt = markedLeaked(*r, now) // marked by an older version: keep the leak
		}
		r.Status = vault.StatusRevoked
		r.AddEvent(now, vault.EventRevoked, note)
		if res.Confirmed {
			r.Pending = &vault.Pending{Op: vault.PendingRevoke, Since: now, PID: s.pid}
		}
		return nil
	})
	if err != nil || !res.Confirmed {
		return res, err
	}
	if derr := s.secrets.Delete(id); derr != nil && !errors.Is(derr, vault.ErrSecretNotFound) {
		res.SecretErr = derr
		return res, nil
	}
	res.Record, err = s.change(id, "", func(r *vault.Record) error { r.Pending = nil; return nil })
	return res, err
}

// markedLeaked returns when a record saved without LeakedAt was marked as
// leaked: its last "compromised" event, else now.
func markedLeaked(r vault.Record, now time.Time) time.Time {
	for i := len(r.History) - 1; i >= 0; i-- {
		if r.History[i].Kind == vault.EventCompromised {
			return r.History[i].At
		}
	}
	return now
}

func outcomeNote(rb vault.Readback) string {
	if rb.Outcome == vault.OutcomeOK {
		return "Kraken still accepted the key"
	}
	return "Kraken's answer did not confirm it: " + rb.Problem
}

// Remove deletes the key's secret and record; the history goes with it.
// The record is marked first, then the secret deleted, then the record
// removed, and the links of a rotation cleared on the other side. A
// keyring that cannot be reached leaves everything as it was.
func (s *Service) Remove(id string) error {
	now := s.now()
	if _, err := s.change(id, ActRemove, func(r *vault.Record) error {
		r.Pending = &vault.Pending{Op: vault.PendingRemove, Since: now, PID: s.pid}
		return nil
	}); err != nil {
		return err
	}
	if err := s.secrets.Delete(id); err != nil && !errors.Is(err, vault.ErrSecretNotFound) {
		if errors.Is(err, vault.ErrKeyringTimeout) {
			return err // the delete may still happen: Repair finishes the removal
		}
		if _, uerr := s.change(id, "", func(r *vault.Record) error { r.Pending = nil; return nil }); uerr != nil {
			err = errors.Join(err, uerr)
		}
		return err
	}
	return s.update(func(d *vault.Data) error { return removeRecord(d, id) })
}

// removeRecord removes a record and clears the links that point at it.
func removeRecord(d *vault.Data, id string) error {
	if err := d.Remove(id); err != nil {
		return err
	}
	for i := range d.Records {
		r := &d.Records[i]
		if r.ReplacedBy == id {
			r.ReplacedBy = ""
		}
		if r.Replaces == id {
			r.Replaces = ""
		}
	}
	return nil
}

// SetNonceScale sets the scale of the nonces Keywarden sends with the key,
// to match the programs that use it (kraken.NonceScale). Only the person
// changes it: Keywarden never raises it by itself, since a larger scale
// locks out every program that counts in a smaller one.
func (s *Service) SetNonceScale(id string, scale kraken.NonceScale) (vault.Record, error) {
	if !scale.Valid() {
		return vault.Record{}, kraken.ErrBadNonceScale
	}
	now := s.now()
	return s.change(id, ActCheck, func(r *vault.Record) error {
		if r.NonceScale.OrDefault() == scale.OrDefault() {
			return nil
		}
		r.AddEvent(now, vault.EventEdited, "nonce scale: "+string(r.NonceScale.OrDefault())+" → "+string(scale.OrDefault()))
		r.NonceScale = scale
		if scale == kraken.NonceMilliseconds {
			r.NonceScale = ""
		}
		return nil
	})
}

// SetStartsWithoutAppCode records whether "keywarden exec" may hand the key
// to a program without the app 2FA code (vault.Record.StartsWithoutAppCode),
// with a history line saying where the choice was made. Turning it on
// seals the choice with a key kept in the keyring (StartsWithoutAppCode),
// so only this call, never an edit of keys.json, grants it. The face asks
// for the app code before calling it.
func (s *Service) SetStartsWithoutAppCode(id string, on bool, where string) (vault.Record, error) {
	now := s.now()
	var key []byte
	if on {
		var err error
		if key, err = s.sealKey(true); err != nil {
			return vault.Record{}, err
		}
	}
	return s.change(id, ActCopySecret, func(r *vault.Record) error {
		if on && r.StartsWithoutAppCode && !hmac.Equal([]byte(sealOf(key, r.ID)), []byte(r.AppCodeSeal)) {
			r.StartsWithoutAppCode = false // an unsealed flag was never granted
		}
		r.SetStartsWithoutAppCode(on, now, where)
		r.AppCodeSeal = ""
		if on {
			r.AppCodeSeal = sealOf(key, r.ID)
		}
		return nil
	})
}
