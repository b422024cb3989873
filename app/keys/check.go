package keys

import (
	"context"
	"errors"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// CheckTimeout bounds a check started by a person (one key, or all),
// including waits for the keys' rate counters.
const CheckTimeout = 90 * time.Second

// Check reads one key back from the exchange and saves the answer by the
// save rule (see save). code is the key's current 2FA code, for a key
// whose code is typed at each check. It returns the record as saved and
// the exchange's answer; an answer that says nothing about the key (no
// network, keyring locked: Readback.Unreached) is returned but not saved,
// so the last real answer stays. The other key of a rotation is checked
// with it (checkPartner), so the rotation's verdict rests on both.
func (s *Service) Check(ctx context.Context, id, code string) (vault.Record, vault.Readback, error) {
	rec, rb, err := s.checkOne(ctx, id, code)
	if err == nil {
		s.checkPartner(ctx, rec)
	}
	return rec, rb, err
}

// checkOne is Check without the rotation's other key.
func (s *Service) checkOne(ctx context.Context, id, code string) (vault.Record, vault.Readback, error) {
	runner, err := s.checkRunner()
	if err != nil {
		return vault.Record{}, vault.Readback{}, err
	}
	rec, err := s.record(id)
	if err != nil {
		return vault.Record{}, vault.Readback{}, err
	}
	if ok, why := Can(rec, ActCheck); !ok {
		return rec, vault.Readback{}, &NotAllowedError{Record: rec, Action: ActCheck, Why: why}
	}
	// A keyring that cannot be read says nothing about the key: report it
	// as the failure it is, and keep the record as it was.
	secret, err := s.secrets.Get(id)
	if errors.Is(err, vault.ErrKeyringUnavailable) {
		return rec, vault.Readback{}, err
	}
	var rb vault.Readback
	if err != nil {
		rb = vault.Readback{At: s.now(), Outcome: vault.OutcomeError, Problem: UserMessage(err)}
	} else {
		var cause error
		rb, cause = runner.CheckSecretCause(ctx, secret, rec.TwoFA, check.Options{OTP: code, NonceScale: rec.NonceScale, UsedBy: rec.UsedBy, Seen: rec.NonceSeen}, s.now())
		if rec.TwoFA == vault.TwoFATyped && errors.Is(cause, kraken.ErrInvalidSignature) {
			// The pair was verified when the key was added; a refused
			// signature with a typed code is a mistyped code, not a key
			// that changed: keep the record as it was.
			return rec, vault.Readback{}, ErrWrongCode
		}
	}
	results := []check.Result{{Record: rec, Readback: rb}}
	cutShort(ctx, results)
	rb = results[0].Readback
	saved, err := s.save(results)
	if err != nil {
		return rec, rb, err
	}
	if r, ok := saved[id]; ok {
		rec = r
	}
	return rec, rb, nil
}

// CheckReport is what CheckAll did.
type CheckReport struct {
	// Results are the keys checked, in attention order, with the records
	// as saved (or as they were, where the answer was not saved).
	Results []check.Result
	// Skipped are the keys left out, and why (Snapshot.CheckAllTargets).
	Skipped []Skipped
}

// CheckAll checks the keys Snapshot.CheckAllTargets takes, in parallel,
// and saves the answers by the save rule. codes gives a typed 2FA code
// for a key, or "" (nil: none). A keyring that cannot be read fails the
// whole run before any key is checked, so it is reported once.
func (s *Service) CheckAll(ctx context.Context, codes func(vault.Record) string) (CheckReport, error) {
	runner, err := s.checkRunner()
	if err != nil {
		return CheckReport{}, err
	}
	snap, err := s.Snapshot()
	if err != nil {
		return CheckReport{}, err
	}
	var hasCode func(vault.Record) bool
	if codes != nil {
		hasCode = func(r vault.Record) bool { return codes(r) != "" }
	}
	take, skip := snap.CheckAllTargets(hasCode)
	rep := CheckReport{Skipped: skip}
	if len(take) == 0 {
		return rep, nil
	}
	if _, err := s.secrets.Get(take[0].ID); errors.Is(err, vault.ErrKeyringUnavailable) {
		return rep, err
	}
	rep.Results = runner.CheckAll(ctx, take, codes, s.now())
	cutShort(ctx, rep.Results)
	saved, err := s.save(rep.Results)
	for i, res := range rep.Results {
		if r, ok := saved[res.Record.ID]; ok {
			rep.Results[i].Record = r
		}
	}
	return rep, err
}

// CheckInBackground checks recs as the scheduler asks (no typed codes),
// with the other key of their rotations where that is checked in the
// background too (withPartners), saves the answers by the save rule and
// returns them all, so the scheduler can try the unanswered ones again
// sooner.
func (s *Service) CheckInBackground(ctx context.Context, recs []vault.Record, now time.Time) []check.Result {
	runner, err := s.checkRunner()
	if err != nil {
		return nil
	}
	results := runner.CheckAll(ctx, s.withPartners(recs), nil, now)
	if ctx.Err() != nil {
		return nil // cut short: the answers say "cancelled", not what the keys are
	}
	_, _ = s.save(results) // a failed save leaves the records as they were: the next check tries again
	return results
}

// cutShort marks the failures of a run whose context ended (the person
// closed the window, the time ran out) as saying nothing about the key:
// they failed for want of time, so the last real answers stay. Answers
// that came before the end are kept.
func cutShort(ctx context.Context, results []check.Result) {
	if ctx.Err() == nil {
		return
	}
	for i := range results {
		if results[i].Readback.Outcome == vault.OutcomeError {
			results[i].Readback.Unreached = true
		}
	}
}

// save stores check answers in the records by the one save rule:
//   - a key removed meanwhile, or in the middle of being added or removed,
//     is skipped;
//   - a retired key (revoked or leaked) is skipped: its runbook makes its
//     own single check;
//   - an answer that says nothing about the key (Readback.Unreached) is not
//     saved, so the last real answer stays;
//   - an answer older than the one the record holds is never saved over
//     it.
//
// It returns the records it changed, by ID.
func (s *Service) save(results []check.Result) (map[string]vault.Record, error) {
	saved := map[string]vault.Record{}
	keep := false
	for _, res := range results {
		if !res.Readback.Unreached {
			keep = true
		}
	}
	if !keep {
		return saved, nil
	}
	err := s.update(func(d *vault.Data) error {
		clear(saved)
		for _, res := range results {
			r, err := d.ByID(res.Record.ID)
			if err != nil || r.Pending != nil || r.Retired() || res.Readback.Unreached {
				continue
			}
			if r.LastCheck != nil && r.LastCheck.At.After(res.Readback.At) {
				continue
			}
			check.Apply(r, res.Readback)
			saved[r.ID] = *r
		}
		return nil
	})
	return saved, err
}

// record returns the record with the given ID as stored now.
func (s *Service) record(id string) (vault.Record, error) {
	d, err := s.store.Load()
	if err != nil {
		return vault.Record{}, err
	}
	r, err := d.ByID(id)
	if err != nil {
		return vault.Record{}, err
	}
	return *r, nil
}
