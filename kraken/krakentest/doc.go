// Package krakentest is a simulated Kraken exchange for tests and the app's
// demo mode.
//
// An Exchange serves the private Spot REST API (POST /0/private/<Method>)
// from a table of keys, the way the project's notes on the exchange
// (KRAKEN.md) describe the real one: it verifies API-Sign with its own
// code, enforces each key's nonce and nonce window, requires the key's 2FA
// code on every call, keeps the per-key rate counter, locks a key out after
// repeated failed calls, enforces permissions on the probe methods and
// answers GetApiKeyInfo from its table. AddKey, UpdateKey and DeleteKey
// stand for the owner's actions on the website. The account has one ledger
// (AddLedgerEntry stands for activity on the account), which Ledgers pages
// through 50 entries at a time, newest first, between exclusive start and
// end bounds, and QueryLedgers reads by ID; both need "Query Ledger
// Entries" and cost 2 on the counter.
//
// It reads form-encoded bodies (with or without a Content-Type) and JSON
// ones, accepts nonces of any scale (13, 16 or 19 digits: a larger one
// raises the key's last nonce for every program), and refuses a request
// without a User-Agent. AddOrder and CancelOrder are off the REST counter.
// InjectFault and FailWith make it answer a method with any error string,
// and PeerCall sends a request shaped like another client's, for tests.
//
// Every request is recorded as a Call, and one that would have changed the
// account on the real exchange (an order, a withdrawal, a new deposit
// address, an export) is flagged Unsafe, so a test can assert that a
// client never sends one.
//
// Where the exchange's behaviour is not documented, the simulation takes
// the cautious choice (the one that catches more client mistakes) and says
// so next to the code; each option's comment gives its default.
package krakentest
