package review

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

var looksDefaultTests = []struct {
	name string
	want bool
}{
	{"api-key-1605316109249", true},
	{"API-KEY-1605316109249", true},
	{"api key 1", true},
	{"API Key", true},
	{"apikey", true},
	{"key", true},
	{"Key 2", true},
	{"my-api-key", true},
	{"My API key", true},
	{"kraken_api_key", true},
	{"new key", true},
	{"test", true},
	{"test2", true},
	{"Testing", true},
	{"default", true},
	{"kraken", true},
	{"123", true},
	{"", true},
	{"   ", true},
	{"koinly-tax-import-2026-11", false},
	{"freqtrade VPS", false},
	{"Key for Koinly", false},
	{"testnet-bot", false},
	{"home-server-dashboard", false},
	{"cointracker", false},
	{"api-key-1605316109249-koinly", false},
}

func TestLooksDefaultName(t *testing.T) {
	for _, tc := range looksDefaultTests {
		t.Run(tc.name, func(t *testing.T) {
			if got := LooksDefaultName(tc.name); got != tc.want {
				t.Errorf("LooksDefaultName(%q) = %v, want %v", tc.name, got, tc.want)
			}
		})
	}
}

var suggestTests = []struct {
	name    string
	service string
	purpose vault.Purpose
	want    string
}{
	{"a tax tool", "Koinly", vault.PurposeTaxImport, "koinly-tax-import-2026-11"},
	{"a dashboard", "Home Server", vault.PurposeDashboard, "home-server-dashboard-2026-11"},
	{"a trading bot", "freqtrade @ VPS #2", vault.PurposeTradingBot, "freqtrade-vps-2-trading-bot-2026-11"},
	{"a custom key says only where", "my script", vault.PurposeCustom, "my-script-2026-11"},
	{"no service: the purpose", "", vault.PurposeTaxImport, "tax-import-2026-11"},
	{"neither service nor purpose", " ", vault.PurposeCustom, "kraken-key-2026-11"},
	{"a service of symbols only", "!!!", "", "kraken-key-2026-11"},
	{"a long service is cut",
		"a very long service name that goes on and on", vault.PurposeDashboard, "a-very-long-service-name-that-go-dashboard-2026-11"},
	{"letters outside ASCII split words", "Bücher", vault.PurposeCustom, "b-cher-2026-11"},
}

func TestSuggestName(t *testing.T) {
	at := time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)
	for _, tc := range suggestTests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SuggestName(tc.service, tc.purpose, at); got != tc.want {
				t.Errorf("SuggestName(%q, %q) = %q, want %q", tc.service, tc.purpose, got, tc.want)
			}
		})
	}
	t.Run("the month is taken in UTC", func(t *testing.T) {
		local := time.Date(2026, 12, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600))
		if got := SuggestName("koinly", vault.PurposeTaxImport, local); got != "koinly-tax-import-2026-11" {
			t.Errorf("got %q", got)
		}
	})
}

var slugName = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func FuzzSuggestName(f *testing.F) {
	for _, tc := range suggestTests {
		f.Add(tc.service, string(tc.purpose), int64(1795000000))
	}
	for _, tc := range looksDefaultTests {
		f.Add(tc.name, "", int64(-62135596800)) // year 1
	}
	f.Fuzz(func(t *testing.T, service, purpose string, unix int64) {
		got := SuggestName(service, vault.Purpose(purpose), time.Unix(unix, 0))
		if !slugName.MatchString(got) {
			t.Errorf("SuggestName(%q, %q) = %q: not lower-case words joined by hyphens", service, purpose, got)
		}
		if LooksDefaultName(got) {
			t.Errorf("SuggestName(%q, %q) = %q looks like a default name", service, purpose, got)
		}
		if len(got) > 2*maxServiceSlug+len("-2006-01") {
			t.Errorf("SuggestName(%q, %q) = %q is too long", service, purpose, got)
		}
	})
}

func FuzzLooksDefaultName(f *testing.F) {
	for _, tc := range looksDefaultTests {
		f.Add(tc.name)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := LooksDefaultName(name)
		if padded := LooksDefaultName("  " + name + "\t"); padded != got {
			t.Errorf("LooksDefaultName(%q) = %v, but %v with spaces around", name, got, padded)
		}
		if isASCII(name) && LooksDefaultName(strings.ToUpper(name)) != got {
			t.Errorf("LooksDefaultName(%q) depends on case", name)
		}
	})
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
