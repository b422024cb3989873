// Package kraken talks to the Kraken exchange's private REST API for the one
// thing Keywarden needs: finding out what an API key really can do.
//
// It signs requests (Sign), keeps nonces strictly increasing at millisecond
// scale, reads a key back with GetApiKeyInfo (Client.APIKeyInfo), and, where
// that call is not offered, probes permissions with side-effect-free calls
// (Client.Probe). It imports the standard library only; the simulated
// exchange in kraken/krakentest stands in for the real one in tests.
package kraken
