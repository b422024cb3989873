// Package demo builds Keywarden's demo mode: a throwaway vault of sample keys
// in every state, their secrets in memory, and a simulated exchange that
// answers checks on them, so someone without an exchange account sees every
// screen and flow work. It imports no GUI code.
package demo

import (
	"fmt"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

const day = 24 * time.Hour

// Account is the exchange account the sample keys belong to, but for the
// rotations' (TradingAccount).
const Account = "demo@example.com"

// TradingAccount is a second account, the rotations' samples: with them on
// Account it would hold more keys than review.ManyKeys, and every sample
// would say so.
const TradingAccount = "bots.demo@example.com"

// Demo is a running demo: the store, the in-memory secrets, and a check
// runner pointed at the simulated exchange.
type Demo struct {
	Store    *vault.Store
	Secrets  *vault.Memory
	Runner   *check.Runner
	Exchange *krakentest.Exchange
	// withdrawal adds the suspicious withdrawal WithdrawalAfter after New.
	withdrawal *time.Timer
}

// WatchKeyName is the demo's watch key, which reads the account's ledger.
const WatchKeyName = "keywarden-account-watch"

// WithdrawalAfter is when, after the demo starts, its ledger shows a
// withdrawal none of the sample keys may make: the account watch asks
// about it, so the whole flow can be walked without a real account.
const WithdrawalAfter = time.Minute

// Keys returns the demo's key service: the demo's composition root, as
// keys.Open is the real one. Its app 2FA keeps its lock and used codes in
// memory, so the demo never touches the real guard.json.
func (d *Demo) Keys() *keys.Service {
	return keys.New(keys.Params{Store: d.Store, Secrets: d.Secrets, Runner: d.Runner, Guard: guard.New(d.Secrets, nil)})
}

// New starts a simulated exchange holding the sample keys and writes their
// records to a store in dir, which should be an empty folder of its own
// (a temporary one: the demo's records are not meant to last). Call Close
// when done.
func New(dir string) (*Demo, error) {
	store, err := vault.Open(dir)
	if err != nil {
		return nil, err
	}
	// The demo's exchange answers GetApiKeyInfo with the key as it was
	// before the asking call, so a check in the demo shows the programs'
	// uses and keeps the rotations' verdicts (krakentest.WithKeyInfoBeforeCall).
	ex := krakentest.New(krakentest.WithKeyInfoBeforeCall())
	d := &Demo{Store: store, Secrets: vault.NewMemory(), Exchange: ex}
	d.Runner = &check.Runner{Secrets: d.Secrets, BaseURL: ex.URL()}

	now := time.Now().Truncate(time.Second)
	var records []vault.Record
	ids := map[string]int{} // by name, index in records
	for _, s := range samples(now) {
		rec, err := d.add(s, now)
		if err != nil {
			ex.Close()
			return nil, err
		}
		if i, ok := ids[s.replaces]; ok {
			rec.Replaces, records[i].ReplacedBy = records[i].ID, rec.ID
			records[i].AddEvent(rec.Created, vault.EventRotated, "replaced by “"+rec.Name+"”")
		}
		ids[rec.Name] = len(records)
		records = append(records, rec)
	}
	err = store.Update(func(data *vault.Data) error {
		if len(data.Records) > 0 {
			return fmt.Errorf("the demo folder %s already holds keys", dir)
		}
		data.Records = records
		return nil
	})
	if err != nil {
		ex.Close()
		return nil, err
	}
	if err := d.watch(dir, records, now); err != nil {
		ex.Close()
		return nil, err
	}
	return d, nil
}

// watch makes the watch key sample its account's watch key, from now on,
// and has the exchange record a withdrawal of 0.5 BTC WithdrawalAfter
// from now, as a thief's would look.
func (d *Demo) watch(dir string, records []vault.Record, now time.Time) error {
	for _, r := range records {
		if r.Name != WatchKeyName {
			continue
		}
		err := keys.OpenActivity(dir).Update(func(st *keys.ActivityState) error {
			st.Watches = append(st.Watches, keys.AccountWatch{Account: r.Account, KeyID: r.ID, Since: now})
			return nil
		})
		if err != nil {
			return err
		}
		d.withdrawal = time.AfterFunc(WithdrawalAfter, d.AddWithdrawal)
		return nil
	}
	return fmt.Errorf("demo: no sample %q", WatchKeyName)
}

// AddWithdrawal makes the exchange record, now, the demo's suspicious
// withdrawal (0.5 BTC). New schedules it
// WithdrawalAfter in; tests and screenshots call it at once.
func (d *Demo) AddWithdrawal() { AddWithdrawalTo(d.Exchange) }

// AddWithdrawalTo makes ex record, now, the demo's suspicious withdrawal:
// for `keywarden demo --show activity`, which has the exchange only.
func AddWithdrawalTo(ex *krakentest.Exchange) {
	ex.AddLedgerEntry(krakentest.LedgerEntry{Type: "withdrawal", Asset: "XXBT",
		Amount: "-0.5000000000", Fee: "0.0001000000", Balance: "0.0412000000"})
}

// Close stops the simulated exchange and the withdrawal still to come.
func (d *Demo) Close() {
	if d.withdrawal != nil {
		d.withdrawal.Stop()
	}
	d.Exchange.Close()
}

// sample is one demo key: its record, how the exchange holds it, and what
// Keywarden's last check on it said.
type sample struct {
	rec vault.Record
	// key is the exchange's copy; nil means the key never reached it.
	key *krakentest.Key
	// deleted removes the key from the exchange after it is added.
	deleted bool
	// check is the last readback; nil means never checked.
	check *vault.Readback
	// history lists events after "added", oldest first.
	history []vault.Event
	// replaces names the sample this one replaces (a rotation), listed
	// before it.
	replaces string
}

// add puts the sample on the exchange and its secret in memory, and returns
// the finished record.
func (d *Demo) add(s sample, now time.Time) (vault.Record, error) {
	rec := s.rec
	rec.ID = vault.NewID()
	if rec.Account == "" {
		rec.Account = Account
	}
	if rec.Status == "" {
		rec.Status = vault.StatusActive
	}
	if rec.TwoFA == "" {
		rec.TwoFA = vault.TwoFANone
	}
	if s.key != nil {
		k := *s.key
		k.Name = rec.Name
		k.Created = rec.Created
		if rec.TwoFA == vault.TwoFASeed {
			key, err := totp.Generate(totp.GenerateOpts{Issuer: "Kraken", AccountName: rec.Account})
			if err != nil {
				return rec, err
			}
			k.OTPSecret = key.Secret()
		}
		k = d.Exchange.AddKey(k)
		rec.KeyHint = vault.KeyHintOf(k.APIKey)
		if s.deleted {
			d.Exchange.DeleteKey(k.APIKey)
		}
		if !rec.Retired() {
			secret := vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey, OTPSeed: k.OTPSecret}
			if err := d.Secrets.Set(rec.ID, secret); err != nil {
				return rec, err
			}
		}
	}
	rec.AddEvent(rec.Created, vault.EventAdded, "")
	for _, e := range s.history {
		rec.AddEvent(e.At, e.Kind, e.Note)
	}
	if s.check != nil {
		rb := *s.check
		rb.Name = rec.Name
		if rb.Outcome == vault.OutcomeOK && rb.Created.IsZero() {
			rb.Created = rec.Created
			rb.Modified = rec.Created
		}
		check.Apply(&rec, rb)
	}
	return rec, nil
}

// okCheck is a successful readback at at with the given permissions and
// restrictions as the exchange reports them.
func okCheck(at time.Time, perms []kraken.Permission, r vault.Restrictions, lastUsed time.Time) *vault.Readback {
	return &vault.Readback{At: at, Outcome: vault.OutcomeOK, Permissions: perms,
		ValidUntil: r.Expires, IPAllowlist: r.IPAllowlist, NonceWindow: r.NonceWindow, LastUsed: lastUsed}
}

// exchangeKey is the exchange's copy of a key with these permissions and
// restrictions.
func exchangeKey(perms []kraken.Permission, r vault.Restrictions, lastUsed time.Time) *krakentest.Key {
	return &krakentest.Key{Permissions: perms, ValidUntil: r.Expires, IPAllowlist: r.IPAllowlist,
		NonceWindow: r.NonceWindow, LastUsed: lastUsed}
}

// Website is the demo's stand-in for Kraken's API page: it makes and
// deletes keys on the simulated exchange, so every flow that sends the
// person to the website completes in the demo.
type Website struct{ d *Demo }

// Website returns the demo's simulated website.
func (d *Demo) Website() Website { return Website{d} }

// MakeKey creates a key on the simulated exchange as the wizard's checklist
// describes it, and returns the pair the website would show once.
func (w Website) MakeKey(name string, perms []kraken.Permission, ips []string, expires time.Time, nonceWindow int) (apiKey, privateKey string) {
	k := w.d.Exchange.AddKey(krakentest.Key{Name: name, Permissions: perms, IPAllowlist: ips, ValidUntil: expires, NonceWindow: nonceWindow})
	return k.APIKey, k.PrivateKey
}

// DeleteKey deletes the key of the record with the given ID on the
// simulated exchange, as the person would on the website. It fails when the
// demo holds no secret for the record or the exchange no longer has the key.
func (w Website) DeleteKey(recordID string) error {
	s, err := w.d.Secrets.Get(recordID)
	if err != nil {
		return fmt.Errorf("the demo holds no key for this record: %w", err)
	}
	if !w.d.Exchange.DeleteKey(s.APIKey) {
		return fmt.Errorf("the simulated website has no such key any more")
	}
	return nil
}
