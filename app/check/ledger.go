package check

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// ErrTypedCode is returned by Ledgers for a key whose 2FA code must be
// typed at each call: the account watch runs unattended.
var ErrTypedCode = errors.New("this key needs a typed 2FA code for every call, so it cannot read the ledger unattended")

// Ledgers reads one page of the account's ledger with rec's key, charged to
// the process's one rate counter for that key (so checks and the watch share
// it, as the exchange does). It never waits for the counter: a call that
// would have to wait is not sent, and the error matches
// kraken.ErrRateLimited, so a poll stops and tries again later. Errors are
// the kraken package's, scrubbed of the key's secrets, or the keyring's.
func (r *Runner) Ledgers(ctx context.Context, rec vault.Record, q kraken.LedgerQuery) (*kraken.LedgerPage, error) {
	if rec.TwoFA == vault.TwoFATyped {
		return nil, ErrTypedCode
	}
	secret, err := r.Secrets.Get(rec.ID)
	if err != nil {
		return nil, err
	}
	client, err := kraken.NewClient(secret.APIKey, secret.PrivateKey, r.clientOptions(secret.APIKey, rec.NonceScale)...)
	if err != nil {
		return nil, err
	}
	if wait := client.RateCounter().Delay(kraken.CallCost("Ledgers"), time.Now()); wait > 0 {
		return nil, fmt.Errorf("kraken Ledgers: %w: it would wait %s, so it was not sent", kraken.ErrRateLimited, wait.Round(time.Second))
	}
	code, err := otpFunc(secret, rec.TwoFA, "")
	if err != nil {
		return nil, err
	}
	return client.Ledgers(ctx, code, q)
}
