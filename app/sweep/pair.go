package sweep

import (
	"bytes"
	"strings"
)

// PairLines is how many lines apart an API key and a private key may be
// and still be taken for a pair, in a file that does not name Kraken.
const PairLines = 5

// docHits turns what one document holds into hits (without Path, Place
// and Next): each stored key's parts, and the Kraken-shaped keys not in
// the vault, paired by nearness or, in a file that mentions Kraken, by the
// names they are given.
func docHits(doc []byte, finds []found, keys []Key) []Hit {
	var hits []Hit
	type seenKey struct {
		key  int
		part Part
		line int
	}
	seen := map[seenKey]bool{}
	fields := map[seenKey]string{} // line 0: the first name given to a key's part
	var apis, privs []found
	for _, f := range finds {
		if f.key < 0 {
			if f.part == PartAPIKey {
				apis = append(apis, f)
			} else {
				privs = append(privs, f)
			}
			continue
		}
		sk := seenKey{f.key, f.part, f.line}
		if seen[sk] {
			continue
		}
		seen[sk] = true
		field := fieldBefore(doc, f.off)
		if first := (seenKey{f.key, f.part, 0}); fields[first] == "" {
			fields[first] = field
		}
		k := keys[f.key]
		hits = append(hits, Hit{Line: f.line, Kind: KindStored, Part: f.part, Key: &KeyRef{ID: k.ID, Name: k.Name},
			Form: f.form, Field: field})
	}
	for i := range hits {
		h := &hits[i]
		ki := keyIndex(keys, h.Key.ID)
		h.keyField = fields[seenKey{ki, PartAPIKey, 0}]
		h.secretField = fields[seenKey{ki, PartPrivateKey, 0}]
	}
	return append(hits, unknownHits(doc, apis, privs)...)
}

func keyIndex(keys []Key, id string) int {
	for i, k := range keys {
		if k.ID == id {
			return i
		}
	}
	return -1
}

// unknownHits pairs the API-key-shaped and private-key-shaped values not
// in the vault: each private key with the nearest API key at most
// PairLines lines away, when there is evidence they are a Kraken key
// (pairEvidence); then, in a file that mentions Kraken, the rest
// that are given credential-like names, in order. A value left alone is
// reported only in a file that mentions Kraken and under such a name.
func unknownHits(doc []byte, apis, privs []found) []Hit {
	if len(apis)+len(privs) == 0 {
		return nil
	}
	apis, privs = uniqueFinds(apis), uniqueFinds(privs)
	usedAPI := make([]bool, len(apis))
	usedPriv := make([]bool, len(privs))
	var hits []Hit
	pair := func(a, p found) {
		hits = append(hits, unknownHit(doc, &a, &p))
	}
	for pi, p := range privs {
		best, bestDist := -1, PairLines+1
		for ai, a := range apis {
			if usedAPI[ai] {
				continue
			}
			if d := abs(a.line - p.line); d < bestDist {
				best, bestDist = ai, d
			}
		}
		if best >= 0 && pairEvidence(doc, apis[best], p) {
			usedAPI[best], usedPriv[pi] = true, true
			pair(apis[best], p)
		}
	}
	if !mentionsKraken(doc) {
		return hits
	}
	var restAPI, restPriv []found
	for i, a := range apis {
		if !usedAPI[i] && credentialName(fieldBefore(doc, a.off)) {
			restAPI = append(restAPI, a)
		}
	}
	for i, p := range privs {
		if !usedPriv[i] && credentialName(fieldBefore(doc, p.off)) {
			restPriv = append(restPriv, p)
		}
	}
	for len(restAPI) > 0 && len(restPriv) > 0 {
		pair(restAPI[0], restPriv[0])
		restAPI, restPriv = restAPI[1:], restPriv[1:]
	}
	for _, a := range restAPI {
		hits = append(hits, unknownHit(doc, &a, nil))
	}
	for _, p := range restPriv {
		hits = append(hits, unknownHit(doc, nil, &p))
	}
	return hits
}

// unknownHit is the hit for a key not in the vault; a or p may be nil.
func unknownHit(doc []byte, a, p *found) Hit {
	h := Hit{Kind: KindUnknown, pair: &secretPair{}}
	switch {
	case a != nil && p != nil:
		h.Part, h.Line, h.PrivateLine = PartPair, a.line, p.line
	case a != nil:
		h.Part, h.Line = PartAPIKey, a.line
	default:
		h.Part, h.Line = PartPrivateKey, p.line
	}
	h.Form = FormPlain
	if a != nil {
		h.pair.apiKey = a.value
		h.Hint = a.value[len(a.value)-4:]
		h.keyField = fieldBefore(doc, a.off)
		h.Field = h.keyField
		h.Form = a.form
	}
	if p != nil {
		h.pair.privateKey = p.value
		h.secretField = fieldBefore(doc, p.off)
		if h.Field == "" {
			h.Field = h.secretField
		}
		if h.Form == FormPlain {
			h.Form = p.form
		}
	}
	return h
}

// uniqueFinds drops repeats of the same value on the same line.
func uniqueFinds(fs []found) []found {
	out := fs[:0:0]
	for _, f := range fs {
		dup := false
		for _, g := range out {
			if g.value == f.value && g.line == f.line {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, f)
		}
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// pairEvidence reports whether an API-key-shaped and a private-key-shaped
// value near each other are more than two random strings of the right
// lengths (a request ID above a signature): the file names Kraken, or
// both are given credential names (key, secret, api, …), or one is and
// the file speaks of an exchange (a bot's config: freqtrade's "exchange",
// ccxt).
func pairEvidence(doc []byte, a, p found) bool {
	if mentionsKraken(doc) {
		return true
	}
	ka, kp := credentialName(nameBefore(doc, a.off)), credentialName(nameBefore(doc, p.off))
	return ka && kp || (ka || kp) && mentionsExchange(doc)
}

// mentionsExchange reports whether the document speaks of an exchange.
func mentionsExchange(doc []byte) bool {
	for _, w := range []string{"exchange", "Exchange", "EXCHANGE", "ccxt"} {
		if bytes.Contains(doc, []byte(w)) {
			return true
		}
	}
	return false
}

// nameBefore returns the name a value is given (fieldBefore) or, failing
// that, the word just before it on its line ("key" in "key VALUE").
func nameBefore(doc []byte, off int) string {
	if f := fieldBefore(doc, off); f != "" {
		return f
	}
	i := off - 1
	for i >= 0 && (doc[i] == ' ' || doc[i] == '\t' || doc[i] == '"' || doc[i] == '\'') {
		i--
	}
	end := i + 1
	for i >= 0 && isNameByte(doc[i]) && end-i <= maxField {
		i--
	}
	return string(doc[i+1 : end])
}

// mentionsKraken reports whether the document names Kraken, in any case
// a person or a program writes it.
func mentionsKraken(doc []byte) bool {
	return bytes.Contains(doc, []byte("raken")) || bytes.Contains(doc, []byte("RAKEN"))
}

// credentialName reports whether a name is one a key is given: it holds
// "key", "secret", "priv", "api" or "token".
func credentialName(name string) bool {
	name = strings.ToLower(name)
	for _, w := range []string{"key", "secret", "priv", "api", "token"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// maxField is the longest name fieldBefore returns: longer ones may be
// values themselves (a key written as "apikey:secret").
const maxField = 40

// fieldBefore returns the name a value starting at doc[off] is given on
// its line: KRAKEN_API_KEY in `export KRAKEN_API_KEY="…"`, secret in
// `"secret": "…"`, --api-key in `--api-key …`. It returns "" when there is
// none it can be sure of.
func fieldBefore(doc []byte, off int) string {
	i := off - 1
	skip := func(set string) {
		for i >= 0 && strings.IndexByte(set, doc[i]) >= 0 {
			i--
		}
	}
	skip(" \t\"'`")
	sep := false
	if i >= 0 && (doc[i] == '=' || doc[i] == ':') {
		sep = true
		i--
		skip(" \t\"'`")
	}
	end := i + 1
	for i >= 0 && isNameByte(doc[i]) {
		i--
	}
	name := string(doc[i+1 : end])
	if name == "" || len(name) > maxField {
		return ""
	}
	if !sep && !strings.HasPrefix(name, "-") && !(envName(name) && strings.Contains(name, "_")) {
		// `word value` without "=" or ":" names nothing, unless it is a
		// flag or a variable's name (fish: set -x KRAKEN_API_KEY value).
		return ""
	}
	return name
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.'
}
