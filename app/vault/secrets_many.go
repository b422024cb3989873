package vault

import (
	"encoding/json"
	"fmt"
)

// ManyGetter is a SecretStore that reads many secrets for less than one Get
// each: the Secret Service answers one batch in a handful of D-Bus round
// trips, where a Get costs seven.
type ManyGetter interface {
	// GetMany returns the secret of each id, or the error Get would give
	// for it, in the order of ids. A keyring that cannot be read gives
	// every id the same *KeyringError.
	GetMany(ids []string) ([]Secret, []error)
}

// GetMany reads the secrets of ids in one batch (see ManyGetter); where the
// OS keyring has no batch read (Keychain, Credential Manager: local calls,
// no bus between), it reads them one by one.
func (k *Keyring) GetMany(ids []string) ([]Secret, []error) {
	secrets, errs := make([]Secret, len(ids)), make([]error, len(ids))
	for i, id := range ids {
		if id == "" {
			errs[i] = errEmptyID
		}
	}
	var values []string
	var found []bool
	err := k.do("get", func() error {
		var err error
		values, found, err = getMany(k.service(), ids)
		return err
	})
	for i, id := range ids {
		switch {
		case errs[i] != nil:
		case err != nil:
			errs[i] = err
		case !found[i]:
			errs[i] = fmt.Errorf("vault: keyring get %s: %w", id, ErrSecretNotFound)
		case json.Unmarshal([]byte(values[i]), &secrets[i]) != nil:
			// The decoder's message may quote the value: leave it out.
			secrets[i], errs[i] = Secret{}, fmt.Errorf("vault: keyring get %s: %w", id, ErrSecretDamaged)
		}
	}
	return secrets, errs
}
