package sweep

import (
	"net/url"
	"strings"
	"testing"
)

func TestScanner_FindsStoredKeysInEveryForm(t *testing.T) {
	k := newKey(t, "k", "/+")
	api, priv := k.APIKey, k.PrivateKey
	tests := []struct {
		name  string
		doc   string
		part  Part
		form  Form
		field string
	}{
		{"as is", priv + "\n", PartPrivateKey, FormPlain, ""},
		{"without its padding", strings.TrimRight(priv, "="), PartPrivateKey, FormPlain, ""},
		{"double-quoted in JSON", `{"secret": "` + priv + `"}`, PartPrivateKey, FormPlain, "secret"},
		{"JSON with escaped slashes", `{"secret":"` + strings.ReplaceAll(priv, "/", `\/`) + `"}`, PartPrivateKey, FormJSONEscaped, "secret"},
		{"JSON with \\u escapes", `{"key":"` + strings.NewReplacer("/", `\u002f`, "+", `\u002B`).Replace(api) + `"}`, PartAPIKey, FormJSONEscaped, "key"},
		{"single-quoted", "api_key = '" + api + "'", PartAPIKey, FormPlain, "api_key"},
		{"KEY=value", "KRAKEN_API_SECRET=" + priv, PartPrivateKey, FormPlain, "KRAKEN_API_SECRET"},
		{"export KEY=\"value\"", `export KRAKEN_API_KEY="` + api + `"`, PartAPIKey, FormPlain, "KRAKEN_API_KEY"},
		{"YAML", "kraken:\n  secret: " + priv + "\n", PartPrivateKey, FormPlain, "secret"},
		{"URL-encoded in a query", "https://x.example/?apikey=" + url.QueryEscape(api) + "&x=1", PartAPIKey, FormURLEncoded, "apikey"},
		{"URL-encoded with lower-case hex", "secret=" + strings.NewReplacer("%2F", "%2f", "%2B", "%2b", "%3D", "%3d").Replace(url.QueryEscape(priv)), PartPrivateKey, FormURLEncoded, "secret"},
		{"a flag", "bot --api-key " + api, PartAPIKey, FormPlain, "--api-key"},
		{"inside a longer base64 run", "keys/" + api + "/more", PartAPIKey, FormPlain, ""},
		{"key:secret", api + ":" + priv, PartAPIKey, FormPlain, ""},
		{"CRLF lines", "x\r\nKEY=" + api + "\r\n", PartAPIKey, FormPlain, "KEY"},
	}
	sc := scanner{m: newMatcher([]Key{k})}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := []byte(tt.doc)
			hits := docHits(doc, sc.scan(doc), []Key{k})
			var got *Hit
			for i := range hits {
				if hits[i].Kind == KindStored && hits[i].Part == tt.part {
					got = &hits[i]
				}
			}
			if got == nil {
				t.Fatalf("no %s found; hits:\n%s", tt.part, describe(hits))
			}
			if got.Form != tt.form || got.Field != tt.field || got.Key.Name != "k" {
				t.Errorf("form %s field %q, want %s %q", got.Form, got.Field, tt.form, tt.field)
			}
		})
	}
}

func TestScanner_LineNumbers(t *testing.T) {
	k := newKey(t, "k", "")
	doc := []byte("one\n\ntwo " + k.APIKey + "\nthree\n" + k.PrivateKey)
	sc := scanner{m: newMatcher([]Key{k})}
	hits := docHits(doc, sc.scan(doc), []Key{k})
	if len(hits) != 2 || hits[0].Line != 3 || hits[1].Line != 5 {
		t.Fatalf("hits:\n%s", describe(hits))
	}
}

func TestScanner_OneHitPerKeyPartAndLine(t *testing.T) {
	k := newKey(t, "k", "")
	doc := []byte(k.APIKey + " " + k.APIKey + "\n")
	sc := scanner{m: newMatcher([]Key{k})}
	if hits := docHits(doc, sc.scan(doc), []Key{k}); len(hits) != 1 {
		t.Fatalf("hits:\n%s", describe(hits))
	}
}

func TestScanner_NearMissesAreNotStoredKeys(t *testing.T) {
	k := newKey(t, "k", "")
	other := newKey(t, "other", "")
	sc := scanner{m: newMatcher([]Key{k})}
	for name, doc := range map[string]string{
		"one character changed": k.APIKey[:20] + flip(k.APIKey[20]) + k.APIKey[21:],
		"cut short":             k.APIKey[:55],
		"another key":           other.APIKey + " " + other.PrivateKey,
		"split by words":        k.PrivateKey[:40] + " and\n" + k.PrivateKey[40:],
	} {
		for _, h := range docHits([]byte(doc), sc.scan([]byte(doc)), []Key{k}) {
			if h.Kind == KindStored {
				t.Errorf("%s: found %s", name, h.What())
			}
		}
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

func TestFieldBefore(t *testing.T) {
	tests := []struct{ line, want string }{
		{`KRAKEN_API_KEY=VALUE`, "KRAKEN_API_KEY"},
		{`export KRAKEN_API_KEY="VALUE"`, "KRAKEN_API_KEY"},
		{`"secret": "VALUE"`, "secret"},
		{`  kraken_secret_key: VALUE`, "kraken_secret_key"},
		{`--api-secret=VALUE`, "--api-secret"},
		{`bot --secret VALUE`, "--secret"},
		{`set -x KRAKEN_API_SECRET VALUE`, "KRAKEN_API_SECRET"},
		{`word VALUE`, ""},
		{`VALUE`, ""},
		{`= VALUE`, ""},
		{strings.Repeat("A", 56) + `:VALUE`, ""},
	}
	for _, tt := range tests {
		off := strings.Index(tt.line, "VALUE")
		if got := fieldBefore([]byte(tt.line), off); got != tt.want {
			t.Errorf("fieldBefore(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}
