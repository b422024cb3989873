package keys

import (
	"context"
	"slices"

	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

// Rotation returns the verdict on the rotation of the key with the given
// ID (review.RotationOf), for the old key of a rotation that is not
// retired; false otherwise. Every face shows these words.
func (s *Snapshot) Rotation(id string) (review.Rotation, bool) {
	v := s.views[id]
	if v == nil {
		return review.Rotation{}, false
	}
	return s.index.Rotation(*v.effective, s.Now)
}

// partner returns the other key of rec's rotation (its replacement, or the
// key it replaces) when it is live, can be checked now and needs no typed
// 2FA code.
func (s *Service) partner(rec vault.Record) (vault.Record, bool) {
	id := rec.ReplacedBy
	if id == "" {
		id = rec.Replaces
	}
	if id == "" {
		return vault.Record{}, false
	}
	p, err := s.record(id)
	if err != nil || p.TwoFA == vault.TwoFATyped {
		return vault.Record{}, false
	}
	if ok, _ := Can(p, ActCheck); !ok {
		return vault.Record{}, false
	}
	return p, true
}

// checkPartner checks the other key of rec's rotation, if any, so a check
// of either key reads both: the verdict compares their uses. Its failure
// is saved by the save rule and leaves the verdict "unknown"; it is not
// the person's question, so it is not returned.
func (s *Service) checkPartner(ctx context.Context, rec vault.Record) {
	if p, ok := s.partner(rec); ok {
		_, _, _ = s.checkOne(ctx, p.ID, "")
	}
}

// withPartners returns recs and the other key of each one's rotation that
// is checked in the background too (remind.AutoCheckOn): a background check
// reads both keys of a pair, but never one whose checks the person turned
// off (a check can race its program for the nonce).
func (s *Service) withPartners(recs []vault.Record) []vault.Record {
	st, err := s.reminders.Load()
	if err != nil {
		return recs
	}
	out := slices.Clone(recs)
	for _, r := range recs {
		p, ok := s.partner(r)
		if !ok || !remind.AutoCheckOn(p, st) || slices.ContainsFunc(out, func(o vault.Record) bool { return o.ID == p.ID }) {
			continue
		}
		out = append(out, p)
	}
	return out
}
