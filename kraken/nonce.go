package kraken

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"
)

// nonceSource hands out nonces on one scale (milliseconds when scale is
// empty) since the Unix epoch, strictly increasing across every goroutine
// that shares it. When two calls land on the same tick (or the clock steps
// back), the later one gets the last nonce plus one: it never jumps to a
// larger scale, because one larger nonce would lock every program of a
// smaller scale out of the key for good.
type nonceSource struct {
	mu    sync.Mutex
	now   func() time.Time
	scale NonceScale
	last  int64
}

// processNonces are the nonce sources of the process, one per scale, shared
// by all Clients.
var processNonces = map[NonceScale]*nonceSource{
	NonceMilliseconds: {now: time.Now, scale: NonceMilliseconds},
	NonceMicroseconds: {now: time.Now, scale: NonceMicroseconds},
	NonceNanoseconds:  {now: time.Now, scale: NonceNanoseconds},
}

// next returns a nonce above every nonce it returned before.
func (s *nonceSource) next() int64 {
	n := s.scale.at(s.now())
	s.mu.Lock()
	defer s.mu.Unlock()
	if n <= s.last {
		n = s.last + 1
	}
	s.last = n
	return n
}

// keyLock serialises the calls made with one API key in this process, from
// taking the nonce until the answer arrives, so that the exchange sees the
// nonces in the order they were issued even when Clients and goroutines
// share the key. It is a one-slot channel so that waiting can be cancelled.
type keyLock chan struct{}

// keyLocks maps SHA-256(API key) to its keyLock; the hash keeps the key
// itself out of a process-wide table.
var keyLocks sync.Map

// lockFor returns the process-wide lock for apiKey.
func lockFor(apiKey string) keyLock {
	v, _ := keyLocks.LoadOrStore(sha256.Sum256([]byte(apiKey)), make(keyLock, 1))
	return v.(keyLock)
}

// lock waits for the lock, or for ctx to end.
func (l keyLock) lock(ctx context.Context) error {
	select {
	case l <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// unlock releases the lock.
func (l keyLock) unlock() { <-l }
