package sweep

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/kraken"
)

// Fixed, made-up values of the right shapes for the pair table and the
// fuzz seeds (the fuzzer needs the same input every run). They are not
// keys: no exchange has them.
var (
	seedAPI  = strings.Repeat("Ab3d", 14)                            // 56 characters
	seedPriv = strings.Repeat("Zy9x", 21) + "1Q" + "=="              // 88 characters, 64 bytes
	seedAPI2 = strings.Repeat("Qw7e", 13) + "Rt5y"                   // another API key shape
	seedHex  = strings.Repeat("0123456789abcdef", 4)[:56]            // a hex digest: not a key
	seedLong = strings.Repeat("Ab3d", 30)                            // a long base64 run: not a key
	seedBad  = strings.Repeat("Zy9x", 21) + "1Q" + "=" + "=" + "Zy9" // a private key run that goes on

	// The exchange's published examples (kraken's tests use them): the
	// API key of GetApiKeyInfo's example result and the private key of
	// the authentication guide's signing example.
	docAPI  = "4/SDrDBcOOPnm3nPlNfEMMJDeRcIVqPz+QhRxIodyZbI9po/aVRiHsgX"
	docPriv = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="
)

// pairCases are documents and how many unknown hits of which parts they
// hold. The same table seeds FuzzUnknownPairs.
var pairCases = []struct {
	name  string
	doc   string
	parts []Part
}{
	{"a pair on adjacent lines in a Kraken file", "# Kraken\n" + seedAPI + "\n" + seedPriv + "\n", []Part{PartPair}},
	{"a pair on adjacent lines, nothing says Kraken", seedAPI + "\n" + seedPriv + "\n", nil},
	{"a pair on one line", "key " + seedAPI + " secret " + seedPriv, []Part{PartPair}},
	{"private key first", "kraken\n" + seedPriv + "\n\n" + seedAPI, []Part{PartPair}},
	{"five lines apart", "kraken\n" + seedAPI + strings.Repeat("\n", 5) + seedPriv, []Part{PartPair}},
	{"both named, no Kraken", "API_KEY=" + seedAPI + "\nAPI_SECRET=" + seedPriv + "\n", []Part{PartPair}},
	{"one named in a file about an exchange", "exchange: x\napi_key: " + seedAPI + "\n" + seedPriv + "\n", []Part{PartPair}},
	{"one named, nothing about an exchange", "api_key: " + seedAPI + "\nsignature: " + seedPriv + "\n", nil},
	{"a request ID above a signature (issue 21)", "GET /v1/orders 200\nrequest_id: " + seedAPI + "\nsignature: " + seedPriv + "\n", nil},
	{"the documented example pair in a Kraken test (issue 21)", "# kraken signing test\napi_key = \"" + docAPI + "\"\nsecret = \"" + docPriv + "\"\n", nil},
	{"the documented example private key beside another key", "# kraken\napi_key = \"" + seedAPI + "\"\nsecret = \"" + docPriv + "\"\n", []Part{PartAPIKey}},
	{"six lines apart, no Kraken", seedAPI + strings.Repeat("\n", 6) + seedPriv, nil},
	{"far apart, named, in a Kraken file", "# kraken\nKRAKEN_API_KEY=" + seedAPI + strings.Repeat("\n", 20) + "KRAKEN_API_SECRET=" + seedPriv, []Part{PartPair}},
	{"far apart, unnamed, in a Kraken file", "# kraken\n" + seedAPI + strings.Repeat("\n", 20) + seedPriv, nil},
	{"a lone API key, named, in a Kraken file", "exchange: Kraken\napi_key: " + seedAPI, []Part{PartAPIKey}},
	{"a lone private key, named, in a Kraken file", "KRAKEN_PRIVATE_KEY=" + seedPriv, []Part{PartPrivateKey}},
	{"a lone API key, no Kraken", "api_key: " + seedAPI, nil},
	{"a lone private key, no Kraken", "secret: " + seedPriv, nil},
	{"two pairs", "KRAKEN\n" + seedAPI + "\n" + seedPriv + "\n\n\n\n\n\n\n\n" + seedAPI2 + "\n" + seedPriv, []Part{PartPair, PartPair}},
	{"a hex digest beside a private key", seedHex + "\n" + seedPriv, nil},
	{"a long run beside a private key", seedLong + "\n" + seedPriv, nil},
	{"a private key run that goes on", seedAPI + "\n" + seedBad, nil},
	{"a private key that is not 64 bytes", seedAPI + "\n" + strings.Repeat("Zy9x", 22), nil},
	{"JSON-escaped pair", `{"key":"` + strings.ReplaceAll(seedAPI, "d", `\/`) + `",` + "\n" + `"secret":"` + seedPriv + `"}`, []Part{PartPair}},
	{"empty", "", nil},
}

func TestUnknownHits(t *testing.T) {
	if err := kraken.CheckKeyShape(seedAPI, seedPriv); err != nil {
		t.Fatalf("the seed values are not key-shaped: %v", err)
	}
	sc := scanner{m: newMatcher(nil)}
	for _, tt := range pairCases {
		t.Run(tt.name, func(t *testing.T) {
			doc := []byte(tt.doc)
			hits := docHits(doc, sc.scan(doc), nil)
			var got []Part
			for _, h := range hits {
				got = append(got, h.Part)
			}
			if len(got) != len(tt.parts) {
				t.Fatalf("parts %v, want %v", got, tt.parts)
			}
			for i := range got {
				if got[i] != tt.parts[i] {
					t.Fatalf("parts %v, want %v", got, tt.parts)
				}
			}
		})
	}
}

// A stored key is never also reported as a key not in the vault.
func TestUnknownHits_StoredKeysAreNotUnknown(t *testing.T) {
	k := newKey(t, "k", "")
	doc := []byte(k.APIKey + "\n" + k.PrivateKey + "\n")
	sc := scanner{m: newMatcher([]Key{k})}
	for _, h := range docHits(doc, sc.scan(doc), []Key{k}) {
		if h.Kind != KindStored {
			t.Errorf("reported as %s: %s", h.Kind, h.What())
		}
	}
}

// FuzzUnknownPairs feeds the scanner and the pair detector anything: they
// must not panic, every pair they report must be key-shaped and come from
// the document, and no exported field may hold a value found.
func FuzzUnknownPairs(f *testing.F) {
	for _, tt := range pairCases {
		f.Add([]byte(tt.doc))
	}
	k := Key{ID: "id", Name: "stored", APIKey: seedAPI2, PrivateKey: seedPriv}
	sc := scanner{m: newMatcher([]Key{k})}
	f.Fuzz(func(t *testing.T, doc []byte) {
		lines := bytes.Count(doc, []byte("\n")) + 1
		for _, h := range docHits(doc, sc.scan(doc), []Key{k}) {
			if h.Line < 1 || h.Line > lines || h.PrivateLine > lines {
				t.Fatalf("line %d/%d of %d", h.Line, h.PrivateLine, lines)
			}
			b, err := json.Marshal(h)
			if err != nil {
				t.Fatal(err)
			}
			api, priv, ok := h.Pair()
			if h.Kind == KindStored {
				if ok {
					t.Fatal("a stored key's hit hands out values")
				}
				continue
			}
			if h.Part == PartPair {
				if err := kraken.CheckKeyShape(api, priv); err != nil {
					t.Fatalf("a pair that is not key-shaped: %v", err)
				}
			}
			for _, v := range []string{api, priv} {
				if v == "" {
					continue
				}
				if bytes.Contains(b, []byte(v[:20])) {
					t.Fatal("the JSON holds a value found")
				}
				if !bytes.Contains(normalise(doc), []byte(strings.TrimRight(v, "=")[:20])) {
					t.Fatal("a value that is not in the document")
				}
			}
		}
	})
}

// normalise undoes the escapes the scanner undoes.
func normalise(doc []byte) []byte {
	r := strings.NewReplacer(`\/`, "/", `\u002f`, "/", `\u002F`, "/", `\u002b`, "+", `\u002B`, "+", `\u003d`, "=", `\u003D`, "=",
		"%2F", "/", "%2f", "/", "%2B", "+", "%2b", "+", "%3D", "=", "%3d", "=")
	return []byte(r.Replace(string(doc)))
}
