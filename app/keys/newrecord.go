package keys

import (
	"slices"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// Draft is what a person said about a new key, in the wizard or on the
// command line: what its record holds before it is saved.
type Draft struct {
	Name, Account string
	Purpose       vault.Purpose
	UsedBy        []string
	Intended      []kraken.Permission
	// Restrictions are the ones meant for the key (the command line, which
	// asks for none, takes what the exchange answered).
	Restrictions vault.Restrictions
	TwoFA        vault.TwoFA
	ReviewDays   int       // 0: the default for the key's risk
	Created      time.Time // zero: when it is saved
	// Replaces is the key a rotation replaces, or nil for a new key.
	Replaces *vault.Record
}

// NewKeyOf is the key to hand to Add, for the wizard and the command line
// alike: the record (NewRecord) with the API key's hint, its secret and
// the verify step's answer.
// note goes in the "added" event, after what a rotation replaces.
func NewKeyOf(d Draft, secret vault.Secret, rb *vault.Readback, note string) NewKey {
	if d.Replaces != nil {
		note = strings.TrimSpace("replaces “" + d.Replaces.Name + "” " + note)
	}
	rec := NewRecord(d)
	rec.KeyHint = vault.KeyHintOf(secret.APIKey) // shown before the save, at the verify step
	return NewKey{Record: rec, Secret: secret, Readback: rb, Note: note}
}

// NewRecord makes the record of a new key from d: a fresh ID, active, the
// name and account trimmed, the services trimmed and kept once each (as
// Edit keeps them), the permissions sorted and copied, no 2FA when none
// was said, and a rotation's Replaces. Add sets the API key's hint and
// print from the secret, and Created when it is zero.
func NewRecord(d Draft) vault.Record {
	r := vault.Record{
		ID:           vault.NewID(),
		Name:         strings.TrimSpace(d.Name),
		Account:      strings.TrimSpace(d.Account),
		Purpose:      d.Purpose,
		UsedBy:       cleanServices(d.UsedBy),
		Intended:     kraken.SortPermissions(d.Intended),
		Restrictions: d.Restrictions,
		TwoFA:        d.TwoFA,
		ReviewDays:   d.ReviewDays,
		Created:      d.Created,
		Status:       vault.StatusActive,
	}
	r.Restrictions.IPAllowlist = slices.Clone(d.Restrictions.IPAllowlist)
	if r.Purpose == "" {
		r.Purpose = vault.PurposeCustom
	}
	if r.TwoFA == "" {
		r.TwoFA = vault.TwoFANone
	}
	if d.Replaces != nil {
		r.Replaces = d.Replaces.ID
	}
	return r
}

// cleanServices trims the services a key is used by and keeps each once,
// compared without case.
func cleanServices(list []string) []string {
	var out []string
	for _, u := range list {
		u = strings.TrimSpace(u)
		if u != "" && !slices.ContainsFunc(out, func(t string) bool { return strings.EqualFold(u, t) }) {
			out = append(out, u)
		}
	}
	return out
}
