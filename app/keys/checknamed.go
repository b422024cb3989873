package keys

import (
	"context"
	"errors"
	"slices"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/vault"
)

// NamedReport is what CheckNamed did.
type NamedReport struct {
	// Results are the keys checked, in the order named, with the records
	// as saved (or as they were, where the answer was not saved).
	Results []check.Result
	// Skipped are the keys named that were not checked, and why: one that
	// cannot be checked now (Can ActCheck), or whose 2FA code is typed at
	// each check and none was given.
	Skipped []Skipped
	// Gone is how many keys named were removed meanwhile.
	Gone int
}

// CheckNamed checks the keys a person named, one by one (Check), each
// once however often it was named, and the other key of their rotations
// once (not in the report). codes gives the 2FA code for a key
// whose code is typed at each check, asked only for such a key that can
// be checked; nil gives none. A failure that says nothing about any key (no
// exchange, the keyring cannot be read, the key list cannot be read) ends
// the run: it is returned with an empty report, and answers saved before
// it stay saved. Otherwise the error is a failure to save answers, and the
// report holds them all.
func (s *Service) CheckNamed(ctx context.Context, ids []string, codes func(vault.Record) string) (NamedReport, error) {
	if _, err := s.checkRunner(); err != nil {
		return NamedReport{}, err
	}
	var (
		rep     NamedReport
		saveErr error
		seen    []string
	)
	for _, id := range ids {
		if slices.Contains(seen, id) {
			continue
		}
		seen = append(seen, id)
		rec, err := s.record(id)
		switch {
		case errors.Is(err, vault.ErrNotFound):
			rep.Gone++
			continue
		case err != nil:
			return NamedReport{}, err
		}
		if ok, why := Can(rec, ActCheck); !ok {
			rep.Skipped = append(rep.Skipped, Skipped{rec, why})
			continue
		}
		code := ""
		if rec.TwoFA == vault.TwoFATyped {
			if codes != nil {
				code = codes(rec)
			}
			if code == "" {
				rep.Skipped = append(rep.Skipped, Skipped{rec, "its 2FA code must be typed for each check"})
				continue
			}
		}
		rec, rb, err := s.checkOne(ctx, id, code)
		var not *NotAllowedError
		switch {
		case errors.As(err, &not): // changed since it was read
			rep.Skipped = append(rep.Skipped, Skipped{rec, not.Why})
			continue
		case errors.Is(err, ErrWrongCode):
			rep.Skipped = append(rep.Skipped, Skipped{rec, "Kraken refused the 2FA code typed for it; nothing changed: check it again with a fresh code"})
			continue
		case errors.Is(err, vault.ErrNotFound):
			rep.Gone++
			continue
		case err != nil && rb.At.IsZero():
			return NamedReport{}, err
		case err != nil && saveErr == nil:
			saveErr = err
		}
		rep.Results = append(rep.Results, check.Result{Record: rec, Readback: rb})
	}
	// The other key of a rotation is read too, once, unless it was named.
	for _, res := range rep.Results {
		if p, ok := s.partner(res.Record); ok && !slices.Contains(seen, p.ID) {
			seen = append(seen, p.ID)
			s.checkPartner(ctx, res.Record)
		}
	}
	return rep, saveErr
}
