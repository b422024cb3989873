//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package vault

import (
	"errors"

	"github.com/zalando/go-keyring"
)

// getMany reads the items one by one: Keychain and Credential Manager are
// local calls, with no bus round trip to save.
func getMany(service string, ids []string) (values []string, found []bool, err error) {
	values, found = make([]string, len(ids)), make([]bool, len(ids))
	for i, id := range ids {
		if id == "" {
			continue
		}
		v, err := keyring.Get(service, id)
		switch {
		case errors.Is(err, keyring.ErrNotFound):
		case err != nil:
			return nil, nil, err
		default:
			values[i], found[i] = v, true
		}
	}
	return values, found, nil
}
