package keys

import (
	"errors"
	"sync"
	"sync/atomic"

	"github.com/keywarden/keywarden/app/sweep"
	"github.com/keywarden/keywarden/app/vault"
)

// SweepList is what a sweep of the disk looks for: the stored keys, and
// the ones whose value could not be looked for, with why.
type SweepList struct {
	// Keys are every key a copy of which matters: all but the revoked
	// ones. A key whose secret was not read has only its name and hint,
	// so the sweep can say a key it finds is probably that one.
	Keys []sweep.Key
	// Looked is how many of Keys have their secret, so their copies are
	// found by value.
	Looked int
	// Skipped are the keys not looked for by value, with why in plain words.
	Skipped []SweepSkip
	// KeyringErr is the keyring's first failure other than one missing
	// secret: it could not be read at all, and no more reads were started.
	KeyringErr error
}

// SweepSkip is a key a sweep could not look for by value.
type SweepSkip struct {
	ID, Name, Reason string
}

// keyringReads is how many keyring reads SweepKeys has in flight at once:
// each is a D-Bus round trip to the Secret Service, so overlapping them
// saves most of their wait.
const keyringReads = 8

// errNotRead marks a secret not asked for because the keyring had failed.
var errNotRead = errors.New("keys: not read, the keyring had failed")

// SweepKeys reads the stored keys a sweep looks for, one keyring read per
// key, a few at a time. A revoked key is left out: it is dead, and its
// secret is gone or going. A key with an unfinished change (Pending: an
// add or a removal another process is doing, or one that was stopped) is
// looked for like the others when its secret is there, since a copy of it
// matters all the same; when its secret is not there, that is expected,
// and it is skipped as unfinished, not as a missing secret. A locked or
// absent keyring is read once first, so it asks to be unlocked once, and
// its failure stops the other reads (KeyringErr); a key list that cannot
// be read is an error. It blocks on the keyring.
func (s *Service) SweepKeys() (SweepList, error) {
	d, err := s.store.Load()
	if err != nil {
		return SweepList{}, err
	}
	var l SweepList
	var unfinished []bool
	for _, r := range d.Records {
		if r.Status != vault.StatusRevoked {
			l.Keys = append(l.Keys, sweep.Key{ID: r.ID, Name: r.Name, Hint: r.KeyHint})
			unfinished = append(unfinished, r.Pending != nil)
		}
	}
	errs := s.readSweepSecrets(l.Keys)
	for i, err := range errs {
		k := l.Keys[i]
		switch {
		case err == nil:
			l.Looked++
		case err == errNotRead:
		case missingSecret(err) && unfinished[i]:
			l.Skipped = append(l.Skipped, SweepSkip{ID: k.ID, Name: k.Name, Reason: "Keywarden has not finished saving or removing it"})
		case missingSecret(err):
			l.Skipped = append(l.Skipped, SweepSkip{ID: k.ID, Name: k.Name, Reason: "its secret is not in the system keyring"})
		case l.KeyringErr == nil:
			l.KeyringErr = err
		}
	}
	return l, nil
}

// readSweepSecrets fills in the secrets of ks, and returns each read's
// error: in one batch when the store can (vault.ManyGetter: the Secret
// Service's seven round trips per key, queued behind each other in
// gnome-keyring, were most of Find copies' wait), else a few reads at a
// time.
func (s *Service) readSweepSecrets(ks []sweep.Key) []error {
	if many, ok := s.secrets.(vault.ManyGetter); ok && len(ks) > 0 {
		ids := make([]string, len(ks))
		for i, k := range ks {
			ids[i] = k.ID
		}
		secrets, errs := many.GetMany(ids)
		for i, err := range errs {
			if err == nil {
				ks[i].APIKey, ks[i].PrivateKey = secrets[i].APIKey, secrets[i].PrivateKey
			}
		}
		return errs
	}
	errs := make([]error, len(ks))
	var failed atomic.Bool
	read := func(i int) {
		if failed.Load() {
			errs[i] = errNotRead
			return
		}
		sec, err := s.secrets.Get(ks[i].ID)
		if err != nil {
			errs[i] = err
			if !missingSecret(err) {
				failed.Store(true)
			}
			return
		}
		ks[i].APIKey, ks[i].PrivateKey = sec.APIKey, sec.PrivateKey
	}
	if len(ks) > 0 {
		read(0) // alone: a locked keyring asks to be unlocked once
	}
	sem := make(chan struct{}, keyringReads)
	var wg sync.WaitGroup
	for n := 1; n < len(ks); n++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			read(n)
		}()
	}
	wg.Wait()
	return errs
}

// missingSecret reports whether err says one key's secret is missing or
// damaged, rather than that the keyring cannot be read.
func missingSecret(err error) bool {
	return errors.Is(err, vault.ErrSecretNotFound) || errors.Is(err, vault.ErrSecretDamaged)
}
