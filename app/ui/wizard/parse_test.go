package wizard

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

var ipTests = []struct {
	in      string
	want    []string
	wantErr string // part of the message; "" for no error
}{
	{"", nil, ""},
	{"203.0.113.7", []string{"203.0.113.7"}, ""},
	{"203.0.113.7, 198.51.100.0/24\n2001:db8::/48", []string{"203.0.113.7", "198.51.100.0/24", "2001:db8::/48"}, ""},
	{" 203.0.113.7 ;203.0.113.7\n\n", []string{"203.0.113.7"}, ""},
	{"2001:DB8::7", []string{"2001:db8::7"}, ""},
	{"10.0.0.300", nil, `"10.0.0.300" is not an IP address`},
	{"203.0.113.7, example.com", nil, `"example.com" is not an IP address`},
	{"203.0.113.7/24", nil, "Did you mean 203.0.113.0/24?"},
	{"203.0.113.0/33", nil, `"203.0.113.0/33" is not an IP range`},
	{"fe80::1%eth0", nil, "is not an IP address"},
}

func TestParseIPList(t *testing.T) {
	for _, tt := range ipTests {
		got, err := parseIPList(tt.in)
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("parseIPList(%q) error %v, want one containing %q", tt.in, err, tt.wantErr)
		case tt.wantErr == "" && err != nil:
			t.Errorf("parseIPList(%q) error %v", tt.in, err)
		case !slices.Equal(got, tt.want):
			t.Errorf("parseIPList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseIPList(f *testing.F) {
	for _, tt := range ipTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := parseIPList(in)
		if err != nil {
			return
		}
		// Canonical output reads back as itself.
		again, err := parseIPList(strings.Join(got, "\n"))
		if err != nil || !slices.Equal(again, got) {
			t.Errorf("%q → %q → %q, %v", in, got, again, err)
		}
	})
}

func TestSameIPs(t *testing.T) {
	tests := []struct {
		a, b []string
		want bool
	}{
		{nil, nil, true},
		{[]string{"203.0.113.7"}, []string{"203.0.113.7/32"}, true},
		{[]string{"2001:db8::7/128"}, []string{"2001:DB8::7"}, true},
		{[]string{"198.51.100.0/24", "203.0.113.7"}, []string{"203.0.113.7", "198.51.100.0/24"}, true},
		{[]string{"203.0.113.7"}, nil, false},
		{[]string{"203.0.113.7"}, []string{"203.0.113.8"}, false},
	}
	for _, tt := range tests {
		if got := sameIPs(tt.a, tt.b); got != tt.want {
			t.Errorf("sameIPs(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

var seedTests = []struct {
	in, want, wantErr string
}{
	{"JBSWY3DPEHPK3PXP", "JBSWY3DPEHPK3PXP", ""},
	{"jbsw y3dp-ehpk 3pxp", "JBSWY3DPEHPK3PXP", ""},
	{"JBSWY3DPEHPK3PXP====", "JBSWY3DPEHPK3PXP", ""},
	{"otpauth://totp/Kraken:key?secret=jbswy3dpehpk3pxp&issuer=Kraken", "JBSWY3DPEHPK3PXP", ""},
	{"otpauth://totp/Kraken:key?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30", "JBSWY3DPEHPK3PXP", ""},
	{"", "", "Paste the authenticator seed"},
	{"JBSWY3DP", "", "too short"},
	{"JBSWY3DPEHPK3PX1", "", "not an authenticator seed"},
	{"otpauth://hotp/Kraken:key?secret=JBSWY3DPEHPK3PXP&counter=1", "", "HOTP"},
	{"otpauth://totp/Kraken:key?secret=JBSWY3DPEHPK3PXP&digits=8", "", "not 6 digits"},
	{"otpauth://totp/Kraken:key?issuer=Kraken", "", "no seed"},
	{"otpauth://totp/%zz", "", "cannot be read"},
	// Found by the fuzzer: a part of the fixed help text, which the old
	// property took for the input repeated.
	{"tpauth:/", "", "not an authenticator seed"},
}

func TestParseOTPSeed(t *testing.T) {
	for _, tt := range seedTests {
		got, err := parseOTPSeed(tt.in)
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("parseOTPSeed(%q) error %v, want one containing %q", tt.in, err, tt.wantErr)
		case tt.wantErr == "" && err != nil:
			t.Errorf("parseOTPSeed(%q) error %v", tt.in, err)
		case got != tt.want:
			t.Errorf("parseOTPSeed(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// seedProblems are every message parseOTPSeed may give.
var seedProblems = []problem{seedMissing, seedBadLink, seedHOTP, seedOddCodes, seedNoSecret, seedNotBase32, seedTooShort}

func FuzzParseOTPSeed(f *testing.F) {
	for _, tt := range seedTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		seed, err := parseOTPSeed(in)
		if err != nil {
			// A message about a seed must never repeat any of it: it is
			// one of the fixed sentences, whatever was pasted. (Looking
			// for the input in the message instead fails on inputs such
			// as "tpauth:/", which the fixed help text itself contains.)
			if p, ok := err.(problem); !ok || !slices.Contains(seedProblems, p) {
				t.Errorf("error %q is not one of the fixed messages", err)
			}
			return
		}
		if again, err := parseOTPSeed(seed); err != nil || again != seed {
			t.Errorf("%q → %q → %q, %v", in, seed, again, err)
		}
	})
}

func TestParseExpiry(t *testing.T) {
	now := time.Date(2026, 11, 27, 22, 0, 0, 0, time.UTC)
	tests := []struct {
		in      string
		want    time.Time
		wantErr string
	}{
		{"2026-11-28", time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), ""},
		{" 2027-02-25 ", time.Date(2027, 2, 25, 0, 0, 0, 0, time.UTC), ""},
		{"2026-11-27", time.Time{}, "after today"},
		{"2025-01-01", time.Time{}, "after today"},
		{"25/02/2027", time.Time{}, "year-month-day"},
		{"2027-02-30", time.Time{}, "year-month-day"},
		{"", time.Time{}, "No expiry"},
	}
	for _, tt := range tests {
		got, err := parseExpiry(tt.in, now, time.UTC)
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("parseExpiry(%q) error %v, want one containing %q", tt.in, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || !got.Equal(tt.want)):
			t.Errorf("parseExpiry(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseNonceWindow(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{{"", 0, true}, {"0", 0, true}, {" 12 ", 12, true}, {"-1", 0, false}, {"1.5", 0, false}, {"ten", 0, false}, {"99999999999", 0, false}}
	for _, tt := range tests {
		got, err := parseNonceWindow(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseNonceWindow(%q) = %d, %v", tt.in, got, err)
		}
	}
}

func TestSplitServices(t *testing.T) {
	got := splitServices(" Koinly,, freqtrade on  my VPS ; koinly\nCoinTracker ")
	want := []string{"Koinly", "freqtrade on my VPS", "CoinTracker"}
	if !slices.Equal(got, want) {
		t.Errorf("splitServices = %q, want %q", got, want)
	}
}

func TestCleanKey(t *testing.T) {
	if got := cleanKey(" ab\tc\r\nd \u00a0"); got != "abcd" {
		t.Errorf("cleanKey = %q", got)
	}
}

func TestShapeProblems_neverEchoTheKey(t *testing.T) {
	for _, in := range []string{"abc", strings.Repeat("Z", 55), strings.Repeat("Zz9+", 22), strings.Repeat("Z!", 28)} {
		for _, msg := range []string{apiShapeProblem(in), privateShapeProblem(in)} {
			if msg == "" {
				t.Errorf("%d characters accepted", len(in))
			}
			if strings.Contains(msg, in) {
				t.Errorf("message %q repeats the key", msg)
			}
		}
	}
}

func TestCompare(t *testing.T) {
	loc := time.FixedZone("CET", 3600)
	exp := time.Date(2027, 2, 25, 0, 0, 0, 0, loc)
	p := plan{Name: "koinly", Perms: []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}, IPs: []string{"203.0.113.7"}, Expires: exp, NonceWindow: 0}
	rb := vault.Readback{Outcome: vault.OutcomeOK, Name: "koinly", Permissions: []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger},
		IPAllowlist: []string{"203.0.113.7/32"}, ValidUntil: exp.Add(23 * time.Hour).UTC()}

	t.Run("same day and the same address written differently are no difference", func(t *testing.T) {
		if d := differences(compare(p, rb, loc)); len(d) != 0 {
			t.Errorf("differences %+v", d)
		}
	})
	t.Run("each difference is found and explained", func(t *testing.T) {
		rb := rb
		rb.Permissions = []kraken.Permission{kraken.QueryFunds, kraken.WithdrawFunds}
		rb.IPAllowlist = nil
		rb.ValidUntil = time.Time{}
		d := differences(compare(p, rb, loc))
		var what []string
		for _, r := range d {
			what = append(what, r.What)
			if r.Explain == "" || r.Short == "" {
				t.Errorf("%s: no explanation", r.What)
			}
		}
		want := []string{"Funds – Withdraw", "Data – Query ledger entries", "IP allow-list", "Expiry"}
		if !slices.Equal(what, want) {
			t.Errorf("differences %q, want %q", what, want)
		}
		if !d[0].Danger || d[1].Danger || !d[2].Danger || !d[3].Danger {
			t.Errorf("danger flags wrong: %+v", d)
		}
	})
	t.Run("probes cannot tell some things", func(t *testing.T) {
		rb := vault.Readback{Outcome: vault.OutcomeOK, Probed: true, Permissions: []kraken.Permission{kraken.QueryFunds},
			Unknown: []kraken.Permission{kraken.QueryLedger}}
		rows := compare(p, rb, loc)
		if d := differences(rows); len(d) != 0 {
			t.Errorf("differences from a probed readback: %+v", d)
		}
		unknown := 0
		for _, r := range rows {
			if r.State == rowUnknown {
				unknown++
			}
		}
		if unknown != 5 { // name, query-ledger, IPs, expiry, nonce window
			t.Errorf("%d unknown rows, want 5", unknown)
		}
	})
	t.Run("an unknown permission counts as dangerous", func(t *testing.T) {
		rb := rb
		rb.Permissions = append(rb.Permissions, "new-thing")
		d := differences(compare(p, rb, loc))
		if len(d) != 1 || !d[0].Danger || !strings.Contains(d[0].What, "new-thing") {
			t.Errorf("differences %+v", d)
		}
	})
}

func TestChecklist(t *testing.T) {
	lines := checklist(plan{Name: "bot", Perms: []kraken.Permission{kraken.QueryFunds, kraken.ModifyTrades, kraken.CreateWSToken}, NonceWindow: 4})
	text := strings.Join(lines, "\n")
	for _, want := range []string{"• Funds – Query", "• Orders and trades – Create & modify orders",
		"• WebSocket interface – On", "Do not tick anything else", "IP allow-list: leave it empty", "Key expiration: leave it off",
		"Nonce window: set it to 4"} {
		if !strings.Contains(text, want) {
			t.Errorf("checklist lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, `Leave "WebSocket interface" off`) {
		t.Error("the checklist says to leave off a permission it asks to tick")
	}
}

func TestLifetimeDays(t *testing.T) {
	loc := time.UTC
	created := time.Date(2026, 11, 1, 14, 30, 0, 0, loc)
	tests := []struct {
		name    string
		expires time.Time
		want    int
	}{
		{"made in the afternoon, expiring at the start of a day 30 days on", time.Date(2026, 12, 1, 0, 0, 0, 0, loc), 30},
		{"expiring at the same time of day 30 days on", created.AddDate(0, 0, 30), 30},
		{"expiring late on the day 7 days on", time.Date(2026, 11, 8, 23, 0, 0, 0, loc), 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := lifetimeDays(created, tc.expires, loc); got != tc.want {
				t.Errorf("lifetimeDays = %d, want %d", got, tc.want)
			}
		})
	}
}
