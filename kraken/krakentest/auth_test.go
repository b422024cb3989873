package krakentest

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
	"github.com/pquerna/otp/totp"
)

func TestExchange_DocumentedSignatureExample(t *testing.T) {
	// The worked example of [AUTH]: a limit order, buy 1.25 XBTUSD at 37500.
	ex, _ := newTestExchange(t)
	k := ex.AddKey(Key{
		PrivateKey:  "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==",
		Permissions: []kraken.Permission{kraken.ModifyTrades},
	})
	got := send(t, ex, rawRequest{
		method:      "AddOrder",
		apiKey:      k.APIKey,
		apiSign:     "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==",
		contentType: "application/x-www-form-urlencoded",
		body:        []byte("nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25"),
	})
	if got.errString() != "" {
		t.Fatalf("the documented example was refused: %s", got.errString())
	}
	calls := ex.Calls()
	if len(calls) != 1 || !calls[0].Unsafe {
		t.Errorf("an order without validate=true must be flagged Unsafe; calls = %+v", calls)
	}
}

func TestExchange_Signature(t *testing.T) {
	ex, _ := newTestExchange(t, WithLockoutAfter(0))
	k := ex.AddKey(Key{Permissions: []kraken.Permission{kraken.QueryFunds}})
	_, otherPrivate := NewKeyPair()
	var n nonces

	tests := []struct {
		name string
		req  func(nonce uint64) rawRequest
		want string
	}{
		{
			name: "a correct signature is accepted",
			req: func(nonce uint64) rawRequest {
				body := formBody(nonce, nil)
				return rawRequest{method: "Balance", apiKey: k.APIKey, body: body,
					apiSign: testSign(k.PrivateKey, "/0/private/Balance", strconv.FormatUint(nonce, 10), body)}
			},
		},
		{
			name: "another private key is refused",
			req: func(nonce uint64) rawRequest {
				body := formBody(nonce, nil)
				return rawRequest{method: "Balance", apiKey: k.APIKey, body: body,
					apiSign: testSign(otherPrivate, "/0/private/Balance", strconv.FormatUint(nonce, 10), body)}
			},
			want: "EAPI:Invalid signature",
		},
		{
			name: "a signature for another method is refused",
			req: func(nonce uint64) rawRequest {
				body := formBody(nonce, nil)
				return rawRequest{method: "Balance", apiKey: k.APIKey, body: body,
					apiSign: testSign(k.PrivateKey, "/0/private/OpenOrders", strconv.FormatUint(nonce, 10), body)}
			},
			want: "EAPI:Invalid signature",
		},
		{
			name: "a body changed after signing is refused",
			req: func(nonce uint64) rawRequest {
				body := formBody(nonce, nil)
				sign := testSign(k.PrivateKey, "/0/private/Balance", strconv.FormatUint(nonce, 10), body)
				return rawRequest{method: "Balance", apiKey: k.APIKey, apiSign: sign,
					body: append(body, []byte("&asset=XBT")...)}
			},
			want: "EAPI:Invalid signature",
		},
		{
			name: "a signature without the nonce prefix is refused",
			req: func(nonce uint64) rawRequest {
				body := formBody(nonce, nil)
				return rawRequest{method: "Balance", apiKey: k.APIKey, body: body,
					apiSign: testSign(k.PrivateKey, "/0/private/Balance", "", body)}
			},
			want: "EAPI:Invalid signature",
		},
		{
			name: "a missing signature is refused",
			req: func(nonce uint64) rawRequest {
				return rawRequest{method: "Balance", apiKey: k.APIKey, body: formBody(nonce, nil)}
			},
			want: "EAPI:Invalid signature",
		},
		{
			name: "a signature that is not base64 is refused",
			req: func(nonce uint64) rawRequest {
				return rawRequest{method: "Balance", apiKey: k.APIKey, body: formBody(nonce, nil), apiSign: "not base64!"}
			},
			want: "EAPI:Invalid signature",
		},
		{
			name: "an unknown API key is refused",
			req: func(nonce uint64) rawRequest {
				other, _ := NewKeyPair()
				body := formBody(nonce, nil)
				return rawRequest{method: "Balance", apiKey: other, body: body,
					apiSign: testSign(k.PrivateKey, "/0/private/Balance", strconv.FormatUint(nonce, 10), body)}
			},
			want: "EAPI:Invalid key",
		},
		{
			name: "a missing API key is refused",
			req: func(nonce uint64) rawRequest {
				return rawRequest{method: "Balance", body: formBody(nonce, nil)}
			},
			want: "EAPI:Invalid key",
		},
		{
			name: "a JSON body with a number nonce is accepted",
			req: func(nonce uint64) rawRequest {
				ns := strconv.FormatUint(nonce, 10)
				body := []byte(`{"nonce":` + ns + `}`)
				return rawRequest{method: "Balance", apiKey: k.APIKey, body: body, contentType: "application/json",
					apiSign: testSign(k.PrivateKey, "/0/private/Balance", ns, body)}
			},
		},
		{
			name: "a JSON body with a string nonce is accepted",
			req: func(nonce uint64) rawRequest {
				ns := strconv.FormatUint(nonce, 10)
				body := []byte(`{"nonce": "` + ns + `", "asset": "XBT"}`)
				return rawRequest{method: "Balance", apiKey: k.APIKey, body: body, contentType: "application/json; charset=utf-8",
					apiSign: testSign(k.PrivateKey, "/0/private/Balance", ns, body)}
			},
		},
		{
			name: "a JSON body re-encoded after signing is refused",
			req: func(nonce uint64) rawRequest {
				ns := strconv.FormatUint(nonce, 10)
				signed := []byte(`{"nonce": ` + ns + `}`)
				return rawRequest{method: "Balance", apiKey: k.APIKey, body: []byte(`{"nonce":` + ns + `}`), contentType: "application/json",
					apiSign: testSign(k.PrivateKey, "/0/private/Balance", ns, signed)}
			},
			want: "EAPI:Invalid signature",
		},
		{
			name: "a malformed JSON body is refused",
			req: func(nonce uint64) rawRequest {
				body := []byte(`{"nonce":`)
				return rawRequest{method: "Balance", apiKey: k.APIKey, body: body, contentType: "application/json",
					apiSign: testSign(k.PrivateKey, "/0/private/Balance", "", body)}
			},
			want: "EGeneral:Invalid arguments",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := send(t, ex, tt.req(n.Next()))
			if got.errString() != tt.want {
				t.Errorf("error = %q, want %q", got.errString(), tt.want)
			}
			if got.Status != http.StatusOK {
				t.Errorf("HTTP status = %d, want 200", got.Status)
			}
		})
	}
}

func TestExchange_Nonce(t *testing.T) {
	tests := []struct {
		name   string
		window int
		before []uint64 // accepted, in this order
		nonce  uint64
		want   string
	}{
		{name: "a larger nonce is accepted", before: []uint64{100}, nonce: 101},
		{name: "the same nonce is refused", before: []uint64{100}, nonce: 100, want: "EAPI:Invalid nonce"},
		{name: "a smaller nonce is refused", before: []uint64{100}, nonce: 99, want: "EAPI:Invalid nonce"},
		{name: "the first nonce may be anything positive", nonce: 1},
		{name: "within the window a smaller unseen nonce is accepted", window: 10, before: []uint64{100}, nonce: 95},
		{name: "the window's lower edge is accepted", window: 10, before: []uint64{100}, nonce: 90},
		{name: "below the window is refused", window: 10, before: []uint64{100}, nonce: 89, want: "EAPI:Invalid nonce"},
		{name: "within the window a used nonce is refused", window: 10, before: []uint64{95, 100}, nonce: 95, want: "EAPI:Invalid nonce"},
		{name: "within the window the last nonce is refused", window: 10, before: []uint64{100}, nonce: 100, want: "EAPI:Invalid nonce"},
		{name: "within the window a nonce used out of order is refused", window: 10, before: []uint64{100, 97}, nonce: 97, want: "EAPI:Invalid nonce"},
		{name: "the window follows the largest nonce", window: 10, before: []uint64{100, 120}, nonce: 105, want: "EAPI:Invalid nonce"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, _ := newTestExchange(t, WithLockoutAfter(0))
			k := ex.AddKey(Key{NonceWindow: tt.window, Tier: kraken.Pro})
			for _, n := range tt.before {
				if got := call(t, ex, k, "GetApiKeyInfo", n, nil); got.errString() != "" {
					t.Fatalf("setting up with nonce %d: %s", n, got.errString())
				}
			}
			got := call(t, ex, k, "GetApiKeyInfo", tt.nonce, nil)
			if got.errString() != tt.want {
				t.Errorf("error = %q, want %q", got.errString(), tt.want)
			}
		})
	}

	t.Run("a nonce from before the key was added is the floor", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		k := ex.AddKey(Key{Nonce: 1772627060997000}) // a bot once used microseconds
		if got := call(t, ex, k, "GetApiKeyInfo", 1772627061000, nil); got.errString() != "EAPI:Invalid nonce" {
			t.Errorf("error = %q, want EAPI:Invalid nonce", got.errString())
		}
	})

	t.Run("a refused call does not use up its nonce", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		k := ex.AddKey(Key{})
		wrong := k
		_, wrong.PrivateKey = NewKeyPair()
		if got := call(t, ex, wrong, "GetApiKeyInfo", 200, nil); got.errString() != "EAPI:Invalid signature" {
			t.Fatalf("error = %q, want EAPI:Invalid signature", got.errString())
		}
		if got := call(t, ex, k, "GetApiKeyInfo", 150, nil); got.errString() != "" {
			t.Errorf("error = %q, want success", got.errString())
		}
		if got, _ := ex.Key(k.APIKey); got.Nonce != 150 {
			t.Errorf("Key().Nonce = %d, want 150", got.Nonce)
		}
	})

	t.Run("a call refused for a missing permission uses its nonce", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		k := ex.AddKey(Key{})
		if got := call(t, ex, k, "Balance", 300, nil); got.errString() != "EGeneral:Permission denied" {
			t.Fatalf("error = %q, want EGeneral:Permission denied", got.errString())
		}
		if got := call(t, ex, k, "GetApiKeyInfo", 300, nil); got.errString() != "EAPI:Invalid nonce" {
			t.Errorf("error = %q, want EAPI:Invalid nonce", got.errString())
		}
	})

	for _, tt := range []struct{ name, body string }{
		{"a missing nonce is refused", "asset=XBT"},
		{"a nonce that is not a number is refused", "nonce=abc"},
		{"a zero nonce is refused", "nonce=0"},
		{"a negative nonce is refused", "nonce=-5"},
		{"a nonce above 64 bits is refused", "nonce=18446744073709551616"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ex, _ := newTestExchange(t)
			k := ex.AddKey(Key{})
			body := []byte(tt.body)
			nonce := url.Values{}
			if v, err := url.ParseQuery(tt.body); err == nil {
				nonce = v
			}
			got := send(t, ex, rawRequest{method: "GetApiKeyInfo", apiKey: k.APIKey, body: body,
				apiSign: testSign(k.PrivateKey, "/0/private/GetApiKeyInfo", nonce.Get("nonce"), body)})
			if got.errString() != "EAPI:Invalid nonce" {
				t.Errorf("error = %q, want EAPI:Invalid nonce", got.errString())
			}
		})
	}
}

func TestExchange_TwoFactor(t *testing.T) {
	const seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	ex, clock := newTestExchange(t, WithLockoutAfter(0))
	totpKey := ex.AddKey(Key{OTPSecret: seed, Tier: kraken.Pro})
	passKey := ex.AddKey(Key{OTPPassword: "correct horse", Tier: kraken.Pro})
	code := func(d time.Duration) string {
		c, err := totp.GenerateCode(seed, clock.Now().Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	wrongCode := func() string {
		near := map[string]bool{code(-30 * time.Second): true, code(0): true, code(30 * time.Second): true}
		for i := 0; ; i++ {
			c := strconv.Itoa(100000 + i)
			if !near[c] {
				return c
			}
		}
	}
	var n nonces

	tests := []struct {
		name string
		key  Key
		otp  *string
		want string
	}{
		{name: "the current TOTP code is accepted", key: totpKey, otp: ptr(code(0))},
		{name: "the previous period's code is accepted", key: totpKey, otp: ptr(code(-30 * time.Second))},
		{name: "the next period's code is accepted", key: totpKey, otp: ptr(code(30 * time.Second))},
		{name: "a code two periods old is refused as a bad signature", key: totpKey, otp: ptr(code(-60 * time.Second)), want: "EAPI:Invalid signature"},
		{name: "a wrong code is refused as a bad signature", key: totpKey, otp: ptr(wrongCode()), want: "EAPI:Invalid signature"},
		{name: "a code of the wrong length is refused as a bad signature", key: totpKey, otp: ptr("12345"), want: "EAPI:Invalid signature"},
		{name: "a missing code is refused as permission denied", key: totpKey, want: "EGeneral:Permission denied"},
		{name: "the static password is accepted", key: passKey, otp: ptr("correct horse")},
		{name: "a wrong static password is refused as a bad signature", key: passKey, otp: ptr("correct horsf"), want: "EAPI:Invalid signature"},
		{name: "an empty static password is refused as a bad signature", key: passKey, otp: ptr(""), want: "EAPI:Invalid signature"},
		{name: "a missing static password is refused as permission denied", key: passKey, want: "EGeneral:Permission denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := url.Values{}
			if tt.otp != nil {
				params.Set("otp", *tt.otp)
			}
			got := call(t, ex, tt.key, "GetApiKeyInfo", n.Next(), params)
			if got.errString() != tt.want {
				t.Errorf("error = %q, want %q", got.errString(), tt.want)
			}
		})
	}

	t.Run("a JSON body carries the code too", func(t *testing.T) {
		ns := strconv.FormatUint(n.Next(), 10)
		body := []byte(`{"nonce":` + ns + `,"otp":"` + code(0) + `"}`)
		got := send(t, ex, rawRequest{method: "GetApiKeyInfo", apiKey: totpKey.APIKey, body: body, contentType: "application/json",
			apiSign: testSign(totpKey.PrivateKey, "/0/private/GetApiKeyInfo", ns, body)})
		if got.errString() != "" {
			t.Errorf("error = %q, want success", got.errString())
		}
	})

	t.Run("the code is checked at the exchange clock", func(t *testing.T) {
		old := code(0)
		clock.Advance(2 * time.Minute)
		got := call(t, ex, totpKey, "GetApiKeyInfo", n.Next(), url.Values{"otp": {old}})
		if got.errString() != "EAPI:Invalid signature" {
			t.Errorf("error = %q, want EAPI:Invalid signature", got.errString())
		}
	})

	t.Run("the otp is not logged among the parameters", func(t *testing.T) {
		for _, c := range ex.Calls() {
			if c.Params.Has("otp") || c.Params.Has("nonce") {
				t.Fatalf("call %s logged otp or nonce: %v", c.Method, c.Params)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestExchange_Lockout(t *testing.T) {
	t.Run("repeated bad signatures lock the key for 15 minutes", func(t *testing.T) {
		ex, clock := newTestExchange(t, WithLockoutAfter(3))
		k := ex.AddKey(Key{Tier: kraken.Pro})
		wrong := k
		_, wrong.PrivateKey = NewKeyPair()
		var n nonces
		for i := range 3 {
			if got := call(t, ex, wrong, "GetApiKeyInfo", n.Next(), nil); got.errString() != "EAPI:Invalid signature" {
				t.Fatalf("failure %d: error = %q, want EAPI:Invalid signature", i+1, got.errString())
			}
		}
		steps := []struct {
			after time.Duration
			want  string
		}{
			{0, "EGeneral:Temporary lockout"},
			{14*time.Minute + 59*time.Second, "EGeneral:Temporary lockout"},
			{time.Second, ""},
		}
		for _, s := range steps {
			clock.Advance(s.after)
			if got := call(t, ex, k, "GetApiKeyInfo", n.Next(), nil); got.errString() != s.want {
				t.Errorf("after +%v: error = %q, want %q", s.after, got.errString(), s.want)
			}
		}
	})

	t.Run("bad nonces and bad codes count too", func(t *testing.T) {
		ex, _ := newTestExchange(t, WithLockoutAfter(3))
		k := ex.AddKey(Key{OTPPassword: "pw", Tier: kraken.Pro})
		if got := call(t, ex, k, "GetApiKeyInfo", 100, url.Values{"otp": {"pw"}}); got.errString() != "" {
			t.Fatalf("error = %q", got.errString())
		}
		failures := []struct {
			nonce uint64
			otp   string
			want  string
		}{
			{50, "pw", "EAPI:Invalid nonce"},
			{101, "nope", "EAPI:Invalid signature"},
			{102, "", "EAPI:Invalid signature"},
		}
		for _, f := range failures {
			if got := call(t, ex, k, "GetApiKeyInfo", f.nonce, url.Values{"otp": {f.otp}}); got.errString() != f.want {
				t.Fatalf("error = %q, want %q", got.errString(), f.want)
			}
		}
		if got := call(t, ex, k, "GetApiKeyInfo", 103, url.Values{"otp": {"pw"}}); got.errString() != "EGeneral:Temporary lockout" {
			t.Errorf("error = %q, want EGeneral:Temporary lockout", got.errString())
		}
		if ex.LockedUntil(k.APIKey).IsZero() {
			t.Error("LockedUntil is zero during a lockout")
		}
	})

	t.Run("failures spread over more than 15 minutes do not lock", func(t *testing.T) {
		ex, clock := newTestExchange(t, WithLockoutAfter(2))
		k := ex.AddKey(Key{})
		if got := call(t, ex, k, "GetApiKeyInfo", 100, nil); got.errString() != "" {
			t.Fatal(got.errString())
		}
		for range 3 {
			if got := call(t, ex, k, "GetApiKeyInfo", 1, nil); got.errString() != "EAPI:Invalid nonce" {
				t.Fatalf("error = %q, want EAPI:Invalid nonce", got.errString())
			}
			clock.Advance(16 * time.Minute)
		}
		if got := call(t, ex, k, "GetApiKeyInfo", 101, nil); got.errString() != "" {
			t.Errorf("error = %q, want success", got.errString())
		}
	})

	t.Run("the default locks after five failures", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		k := ex.AddKey(Key{Tier: kraken.Pro})
		if got := call(t, ex, k, "GetApiKeyInfo", 100, nil); got.errString() != "" {
			t.Fatal(got.errString())
		}
		var got []string
		for range DefaultLockoutAfter + 1 {
			got = append(got, call(t, ex, k, "GetApiKeyInfo", 100, nil).errString())
		}
		want := "EGeneral:Temporary lockout"
		if got[DefaultLockoutAfter-1] == want || got[DefaultLockoutAfter] != want {
			t.Errorf("answers = %q, want the lockout from call %d on", got, DefaultLockoutAfter+1)
		}
	})

	t.Run("unknown keys lock nothing", func(t *testing.T) {
		ex, _ := newTestExchange(t, WithLockoutAfter(1))
		k := ex.AddKey(Key{})
		unknown := k
		unknown.APIKey, _ = NewKeyPair()
		for range 3 {
			if got := call(t, ex, unknown, "GetApiKeyInfo", 100, nil); got.errString() != "EAPI:Invalid key" {
				t.Fatalf("error = %q, want EAPI:Invalid key", got.errString())
			}
		}
		if got := call(t, ex, k, "GetApiKeyInfo", 100, nil); got.errString() != "" {
			t.Errorf("error = %q, want success", got.errString())
		}
	})

	t.Run("zero disables lockouts", func(t *testing.T) {
		ex, _ := newTestExchange(t, WithLockoutAfter(0))
		k := ex.AddKey(Key{Tier: kraken.Pro})
		for range 10 {
			call(t, ex, k, "GetApiKeyInfo", 0, nil)
		}
		if got := call(t, ex, k, "GetApiKeyInfo", 1, nil); got.errString() != "" {
			t.Errorf("error = %q, want success", got.errString())
		}
	})
}

func TestExchange_RateLimit(t *testing.T) {
	tests := []struct {
		name    string
		tier    kraken.Tier
		method  string
		params  url.Values
		perm    kraken.Permission
		allowed int           // calls in a burst
		refill  time.Duration // time until one more call fits
	}{
		{"a Starter key takes 15 calls, then one per 3.03 s", kraken.Starter, "Balance", nil, kraken.QueryFunds, 15, 3031 * time.Millisecond},
		{"an Intermediate key takes 20 calls, then one per 2 s", kraken.Intermediate, "Balance", nil, kraken.QueryFunds, 20, 2 * time.Second},
		{"a Pro key takes 20 calls, then one per second", kraken.Pro, "Balance", nil, kraken.QueryFunds, 20, time.Second},
		{"ledger calls cost two", kraken.Starter, "Ledgers", nil, kraken.QueryLedger, 7, 3031 * time.Millisecond},
		{"ledger queries cost two", kraken.Pro, "QueryLedgers", url.Values{"id": {"L4UESK-KG3EQ-UFO4T5"}}, kraken.QueryLedger, 10, 2 * time.Second},
		{"trade history costs two", kraken.Intermediate, "TradesHistory", nil, kraken.QueryClosedTrades, 10, 4 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, clock := newTestExchange(t)
			k := ex.AddKey(Key{Tier: tt.tier, Permissions: []kraken.Permission{tt.perm}})
			var n nonces
			for i := range tt.allowed {
				if got := call(t, ex, k, tt.method, n.Next(), tt.params); got.errString() != "" {
					t.Fatalf("call %d: error = %q", i+1, got.errString())
				}
			}
			if got := call(t, ex, k, tt.method, n.Next(), tt.params); got.errString() != "EAPI:Rate limit exceeded" {
				t.Fatalf("call %d: error = %q, want EAPI:Rate limit exceeded", tt.allowed+1, got.errString())
			}
			clock.Advance(tt.refill - 50*time.Millisecond)
			if got := call(t, ex, k, tt.method, n.Next(), tt.params); got.errString() != "EAPI:Rate limit exceeded" {
				t.Errorf("just before the refill: error = %q, want EAPI:Rate limit exceeded", got.errString())
			}
			clock.Advance(50 * time.Millisecond)
			if got := call(t, ex, k, tt.method, n.Next(), tt.params); got.errString() != "" {
				t.Errorf("after the refill: error = %q, want success", got.errString())
			}
		})
	}

	t.Run("failed calls count too", func(t *testing.T) {
		ex, _ := newTestExchange(t, WithLockoutAfter(0))
		k := ex.AddKey(Key{})
		for range 15 {
			call(t, ex, k, "Balance", 0, nil) // bad nonce
		}
		if got := call(t, ex, k, "GetApiKeyInfo", 1, nil); got.errString() != "EAPI:Rate limit exceeded" {
			t.Errorf("error = %q, want EAPI:Rate limit exceeded", got.errString())
		}
	})

	t.Run("the counter decays to zero and no further", func(t *testing.T) {
		ex, clock := newTestExchange(t)
		k := ex.AddKey(Key{Tier: kraken.Pro})
		for i := range 5 {
			call(t, ex, k, "GetApiKeyInfo", uint64(i+1), nil)
		}
		steps := []struct {
			after time.Duration
			want  float64
		}{{0, 5}, {2 * time.Second, 3}, {time.Hour, 0}}
		for _, s := range steps {
			clock.Advance(s.after)
			if got := ex.Counter(k.APIKey); got != s.want {
				t.Errorf("after +%v: Counter = %v, want %v", s.after, got, s.want)
			}
		}
	})
}
