// Package kraken talks to the Kraken exchange's private REST API for the one
// thing Keywarden needs: finding out what an API key really can do.
//
// It signs requests (Sign) over the exact form-encoded body it sends, with
// a User-Agent, as the exchange's REST reference asks and every other
// client does. Nonces are strictly increasing on the key's scale
// (milliseconds by default, microseconds or nanoseconds with
// WithNonceScale, to match the other programs that use the key; see
// NonceScaleOf). It reads a key back with GetApiKeyInfo (Client.APIKeyInfo)
// and, where that call is not offered, probes permissions with
// side-effect-free calls (Client.Probe), counting only answers that show the
// permission check passed.
//
// A larger nonce from one program makes every smaller one fail for good, so
// Keywarden never raises a key's scale by itself and never retries an
// "invalid nonce"; the error says what is likely happening instead.
//
// A probe counts a permission as granted only when the answer shows the
// check passed: a result, or the call's own validation error (EOrder:…,
// EFunding:…, EGeneral:Invalid arguments). "Permission denied" means not
// granted. Anything else (an unknown method, an answer this package does not
// know) leaves the permission unknown and quotes what Kraken said.
// Throttling, lockouts, outages, invalid sessions, a locked account or a
// disabled feature stop the probes and say why. (An older rule, "any other
// answer means the check passed", read throttling as "can move money out".)
//
// The exchange's error strings map to sentinel errors (KnownErrors);
// strings it does not know are quoted, never guessed at. Every text from
// outside is scrubbed of the secrets the request carried, in every
// encoding an echo could give them (base64, hex, escapes, and runs that
// decode to them), and capped (MaxQuoted); the exchange's own words also
// lose every long base64 or hexadecimal run. It imports the standard library only; the simulated exchange
// in kraken/krakentest stands in for the real one in tests.
package kraken
