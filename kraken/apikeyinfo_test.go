package kraken_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

// withField returns the documented example with one field's JSON value
// replaced, or removed when value is "".
func withField(field, value string) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(documentedKeyInfo), &m); err != nil {
		panic(err)
	}
	if value == "" {
		delete(m, field)
	} else {
		m[field] = json.RawMessage(value)
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func documentedWant() kraken.KeyInfo {
	return kraken.KeyInfo{
		Name:        "my-api-key",
		APIKey:      testAPIKey,
		Nonce:       1772627060997,
		NonceWindow: 0,
		Permissions: []kraken.Permission{kraken.QueryFunds, kraken.WithdrawFunds, kraken.QueryOpenTrades, kraken.ModifyTrades},
		IBAN:        "AA88 N84G WOAK NMOI",
		Created:     time.Unix(1772542900, 0).UTC(),
		Modified:    time.Unix(1772543095, 0).UTC(),
		LastUsed:    time.Unix(1772627061, 0).UTC(),
		IPAllowlist: []string{},
	}
}

// parseKeyInfoTests is the table of TestParseKeyInfo and the seed corpus of
// FuzzParseKeyInfo.
var parseKeyInfoTests = []struct {
	name    string
	in      string
	want    func(k *kraken.KeyInfo) // changes to documentedWant; nil with wantErr
	wantErr bool
}{
	{"the documented example is read field by field", documentedKeyInfo, func(*kraken.KeyInfo) {}, false},
	{"a key never used has a null lastUsed and a zero time", withField("lastUsed", "null"), func(k *kraken.KeyInfo) { k.LastUsed = time.Time{} }, false},
	{"a missing lastUsed is a zero time", withField("lastUsed", ""), func(k *kraken.KeyInfo) { k.LastUsed = time.Time{} }, false},
	{"an expiry date is read", withField("validUntil", `"1800000000"`), func(k *kraken.KeyInfo) { k.ValidUntil = time.Unix(1800000000, 0).UTC() }, false},
	{"a query window is read", withField("queryFrom", `"1600000000"`), func(k *kraken.KeyInfo) { k.QueryFrom = time.Unix(1600000000, 0).UTC() }, false},
	{"an empty timestamp string is a zero time", withField("createdTime", `""`), func(k *kraken.KeyInfo) { k.Created = time.Time{} }, false},
	{"a timestamp sent as a number is read", withField("modifiedTime", `1772543096`), func(k *kraken.KeyInfo) { k.Modified = time.Unix(1772543096, 0).UTC() }, false},
	{"a nonce sent as a number is read", withField("nonce", `1772627060998`), func(k *kraken.KeyInfo) { k.Nonce = 1772627060998 }, false},
	{"the largest nonce is read", withField("nonce", `"18446744073709551615"`), func(k *kraken.KeyInfo) { k.Nonce = 1<<64 - 1 }, false},
	{"a nonce window is read", withField("nonceWindow", `5000`), func(k *kraken.KeyInfo) { k.NonceWindow = 5000 }, false},
	{"a nonce window sent as a string is read", withField("nonceWindow", `"5000"`), func(k *kraken.KeyInfo) { k.NonceWindow = 5000 }, false},
	{"an IP allow-list is read", withField("ipAllowlist", `["192.0.2.1","2001:db8::/32"]`), func(k *kraken.KeyInfo) { k.IPAllowlist = []string{"192.0.2.1", "2001:db8::/32"} }, false},
	{"a null IP allow-list is empty", withField("ipAllowlist", `null`), func(k *kraken.KeyInfo) { k.IPAllowlist = []string{} }, false},
	{"unknown permission codes are kept", withField("permissions", `["query-funds","future-thing"]`), func(k *kraken.KeyInfo) { k.Permissions = []kraken.Permission{"query-funds", "future-thing"} }, false},
	{"an empty permission list means none", withField("permissions", `[]`), func(k *kraken.KeyInfo) { k.Permissions = []kraken.Permission{} }, false},
	{"unknown fields are ignored", withField("somethingNew", `{"a":[1,2]}`), func(*kraken.KeyInfo) {}, false},

	{"the whole envelope is refused: pass the result", `{"error":[],"result":` + documentedKeyInfo + `}`, nil, true},
	{"a missing permission list is refused", withField("permissions", ""), nil, true},
	{"a null permission list is refused", withField("permissions", `null`), nil, true},
	{"a permission that is not a string is refused", withField("permissions", `["query-funds",7]`), nil, true},
	{"a nonce that is not a number is refused", withField("nonce", `"abc"`), nil, true},
	{"a negative nonce is refused", withField("nonce", `"-1"`), nil, true},
	{"a nonce over 64 bits is refused", withField("nonce", `"18446744073709551616"`), nil, true},
	{"a nonce as a float is refused", withField("nonce", `1.5e12`), nil, true},
	{"a nonce as an object is refused", withField("nonce", `{}`), nil, true},
	{"a negative nonce window is refused", withField("nonceWindow", `-1`), nil, true},
	{"a huge nonce window is refused", withField("nonceWindow", `99999999999`), nil, true},
	{"a timestamp with a fraction is refused", withField("createdTime", `"1772542900.5"`), nil, true},
	{"a negative timestamp is refused", withField("validUntil", `"-5"`), nil, true},
	{"a timestamp after the year 9999 is refused", withField("queryTo", `"253402300800"`), nil, true},
	{"a timestamp as a date string is refused", withField("lastUsed", `"2026-03-04"`), nil, true},
	{"a name that is not a string is refused", withField("apiKeyName", `12`), nil, true},
	{"an allow-list of numbers is refused", withField("ipAllowlist", `[1]`), nil, true},
	{"an array is refused", `[]`, nil, true},
	{"null is refused", `null`, nil, true},
	{"an empty input is refused", ``, nil, true},
	{"truncated JSON is refused", documentedKeyInfo[:40], nil, true},
	{"trailing data is refused", documentedKeyInfo + `{}`, nil, true},
}

func TestParseKeyInfo(t *testing.T) {
	for _, tt := range parseKeyInfoTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := kraken.ParseKeyInfo([]byte(tt.in))
			if tt.wantErr {
				if !errors.Is(err, kraken.ErrBadResponse) {
					t.Fatalf("ParseKeyInfo error = %v, want ErrBadResponse", err)
				}
				if got != nil {
					t.Errorf("ParseKeyInfo returned %+v with the error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseKeyInfo: %v", err)
			}
			want := documentedWant()
			tt.want(&want)
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("ParseKeyInfo =\n%+v\nwant\n%+v", *got, want)
			}
		})
	}
}

func TestParseKeyInfo_errorsNameTheFieldNotTheValue(t *testing.T) {
	_, err := kraken.ParseKeyInfo([]byte(withField("nonce", `"`+testPrivateKey+`"`)))
	if err == nil {
		t.Fatal("ParseKeyInfo accepted a nonce that is not a number")
	}
	if !strings.Contains(err.Error(), "nonce") {
		t.Errorf("error %q does not name the field", err)
	}
	assertNoSecret(t, err.Error())
}

// encodeKeyInfo writes k the way GetApiKeyInfo documents its result.
func encodeKeyInfo(k *kraken.KeyInfo) []byte {
	ts := func(t time.Time) string {
		if t.IsZero() {
			return "0"
		}
		return strconv.FormatInt(t.Unix(), 10)
	}
	var lastUsed any
	if !k.LastUsed.IsZero() {
		lastUsed = ts(k.LastUsed)
	}
	b, err := json.Marshal(map[string]any{
		"apiKeyName":   k.Name,
		"apiKey":       k.APIKey,
		"nonce":        strconv.FormatUint(k.Nonce, 10),
		"nonceWindow":  k.NonceWindow,
		"permissions":  k.Permissions,
		"iban":         k.IBAN,
		"validUntil":   ts(k.ValidUntil),
		"queryFrom":    ts(k.QueryFrom),
		"queryTo":      ts(k.QueryTo),
		"createdTime":  ts(k.Created),
		"modifiedTime": ts(k.Modified),
		"ipAllowlist":  k.IPAllowlist,
		"lastUsed":     lastUsed,
	})
	if err != nil {
		panic(err)
	}
	return b
}

func FuzzParseKeyInfo(f *testing.F) {
	for _, tt := range parseKeyInfoTests {
		f.Add([]byte(tt.in))
	}
	minTime, maxTime := time.Unix(0, 0), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := kraken.ParseKeyInfo(data)
		if err != nil {
			if !errors.Is(err, kraken.ErrBadResponse) {
				t.Fatalf("error %v does not match ErrBadResponse", err)
			}
			if got != nil {
				t.Fatalf("ParseKeyInfo returned %+v with the error", got)
			}
			return
		}
		if got.Permissions == nil || got.IPAllowlist == nil {
			t.Fatalf("nil slices in %+v", got)
		}
		if got.NonceWindow < 0 {
			t.Fatalf("negative nonce window %d", got.NonceWindow)
		}
		for _, tm := range []time.Time{got.ValidUntil, got.QueryFrom, got.QueryTo, got.Created, got.Modified, got.LastUsed} {
			if !tm.IsZero() && (tm.Before(minTime) || !tm.Before(maxTime)) {
				t.Fatalf("time %v out of range", tm)
			}
		}
		// What was read, written back in the documented form, reads the same.
		again, err := kraken.ParseKeyInfo(encodeKeyInfo(got))
		if err != nil {
			t.Fatalf("re-reading %+v: %v", got, err)
		}
		if !reflect.DeepEqual(again, got) {
			t.Fatalf("round trip changed\n%+v\ninto\n%+v", got, again)
		}
	})
}
