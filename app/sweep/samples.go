package sweep

// publishedSamples are key values printed in the exchange's own
// documentation, without their padding. They are nobody's key, yet sit in
// countless tests, tutorials and client libraries, so they are never
// reported as keys not in Keywarden (a copy of a stored key is still
// reported: the person stored it).
var publishedSamples = map[string]bool{
	// The API key of GetApiKeyInfo's documented example result.
	"4/SDrDBcOOPnm3nPlNfEMMJDeRcIVqPz+QhRxIodyZbI9po/aVRiHsgX": true,
	// The private key of the REST authentication guide's worked signing
	// example (kraken's sign test reproduces it).
	"kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg": true,
}
