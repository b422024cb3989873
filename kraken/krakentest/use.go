package krakentest

// WithKeyInfoBeforeCall makes GetApiKeyInfo answer with the key as it was
// before the call that asks: lastUsed is the key's previous use (null for
// a key never used before) and nonce the last one accepted before this
// call. By default the answer includes the call itself, as the documented
// example reads (its lastUsed is the second of its own nonce).
//
// The documentation is not clear on which it is: the example fits both
// readings, and "lastUsed: null if never used" can only ever be seen if the
// answer leaves the asking call out. Keywarden must be right with either:
// with the default every answer shows only Keywarden's own check, so a
// verdict built on other programs' uses (review.RotationOf) says it cannot
// tell; with this option it can, and tests of those verdicts use it.
func WithKeyInfoBeforeCall() Option {
	return func(c *config) { c.infoBeforeCall = true }
}

// Use stamps the key as another program's authenticated call at the
// exchange clock would (a bot placing an order, a tax tool reading the
// ledger): its lastUsed becomes now. It is not recorded in Calls, which
// holds what Keywarden sent, and leaves the key's rate counter and nonce
// alone, as a call inside the key's nonce window does whose nonce is below
// the last one (the exchange reports the highest): the harder case for
// Keywarden, which cannot then tell the use from the nonce. A test that
// needs the program's nonces sets Key.Nonce. It reports whether the key was
// in the table.
func (e *Exchange) Use(apiKey string) bool {
	now := e.cfg.now()
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.keys[apiKey]
	if !ok {
		return false
	}
	s.key.LastUsed = now
	return true
}
