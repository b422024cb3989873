package keys

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/vault"
)

// SealKeyID is the keyring entry (a record ID in the SecretStore, beside
// guard.SeedID) whose vault.Secret.PrivateKey holds the key of the seals
// on "may start without the app code" (vault.Record.AppCodeSeal). It is
// made on the first grant. Like the app 2FA seed it is the user's, not the
// folder's.
const SealKeyID = "keywarden-app-2fa-seal"

// sealContext keeps a seal from meaning anything else.
const sealContext = "keywarden: exec may start this key without the app 2FA code, v1\x00"

// sealKey returns the seal key from the keyring, making and storing one
// when create is set and there is none. A missing key with !create is
// vault.ErrSecretNotFound.
func (s *Service) sealKey(create bool) ([]byte, error) {
	sec, err := s.secrets.Get(SealKeyID)
	if errors.Is(err, vault.ErrSecretNotFound) && create {
		key := make([]byte, 32)
		_, _ = rand.Read(key) // never fails since Go 1.24
		if err := s.secrets.Set(SealKeyID, vault.Secret{PrivateKey: base64.StdEncoding.EncodeToString(key)}); err != nil {
			return nil, err
		}
		return key, nil
	}
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(sec.PrivateKey)
	if err != nil || len(key) < 16 {
		// A damaged key seals nothing; a new grant needs a new key.
		if !create {
			return nil, vault.ErrSecretDamaged
		}
		return nil, fmt.Errorf("keys: the keyring's seal key is damaged; remove the keyring entry %q and allow the key again: %w", SealKeyID, vault.ErrSecretDamaged)
	}
	return key, nil
}

// sealOf is the seal of record id under key.
func sealOf(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(sealContext + id))
	return hex.EncodeToString(m.Sum(nil))
}

// StartsWithoutAppCode reports whether "keywarden exec" may hand r to a
// program without the app 2FA code: r asks for it and its seal matches
// the key in the keyring. A flag typed into keys.json, copied from another
// record, or whose seal cannot be checked (keyring locked, no seal key)
// counts as false: exec then asks for the code. It reads the keyring.
func (s *Service) StartsWithoutAppCode(r vault.Record) bool {
	if !r.StartsWithoutAppCode || r.AppCodeSeal == "" {
		return false
	}
	key, err := s.sealKey(false)
	if err != nil {
		return false
	}
	return hmac.Equal([]byte(sealOf(key, r.ID)), []byte(r.AppCodeSeal))
}

// ResetAppTwoFA is the way back for a person who lost their authenticator
// app: it turns app 2FA off without a code (guard.ResetLostAuthenticator)
// and writes that in the history of every key, so it is seen later. It
// needs the keyring to answer. The history is written once the keyring has
// answered and before the seed is deleted, so a reset is never left out of
// it; a deletion that then fails adds a line saying so. where says which
// face did it ("from the command line").
func (s *Service) ResetAppTwoFA(g *guard.Guard, where string) error {
	note := "app 2FA turned off without a code (lost authenticator)"
	if where != "" {
		note += " " + where
	}
	recorded := false
	err := g.ResetLostAuthenticator(func() error {
		recorded = true
		return s.noteOnEveryKey(note)
	})
	if err != nil && recorded {
		_ = s.noteOnEveryKey("the reset of app 2FA failed: it stays on")
	}
	return err
}

// noteOnEveryKey adds an app-2FA event to the history of every record.
func (s *Service) noteOnEveryKey(note string) error {
	now := s.now()
	return s.update(func(d *vault.Data) error {
		for i := range d.Records {
			d.Records[i].AddEvent(now, vault.EventAppCode, note)
		}
		return nil
	})
}
