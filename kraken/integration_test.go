package kraken_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// These tests run the client against the simulated exchange of package
// krakentest, written apart from this package and from the same facts.

// newSimulation starts a simulated exchange under a path prefix whose clock
// is the client's fake clock, so rate-counter waits pass without sleeping.
func newSimulation(t *testing.T, opts ...krakentest.Option) (*krakentest.Exchange, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	clock.now = time.Now() // TOTP codes and the key's timestamps follow real time
	ex := krakentest.New(append([]krakentest.Option{krakentest.WithPathPrefix("/kraken"), krakentest.WithClock(clock.Now)}, opts...)...)
	t.Cleanup(ex.Close)
	return ex, clock
}

func simulatedClient(t *testing.T, ex *krakentest.Exchange, clock *fakeClock, k krakentest.Key, opts ...kraken.Option) *kraken.Client {
	t.Helper()
	opts = append([]kraken.Option{kraken.WithBaseURL(ex.URL()), kraken.WithClock(clock)}, opts...)
	c, err := kraken.NewClient(k.APIKey, k.PrivateKey, opts...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// assertNoUnsafeCall fails if the exchange saw a call that could change the account.
func assertNoUnsafeCall(t *testing.T, ex *krakentest.Exchange) {
	t.Helper()
	for _, c := range ex.Calls() {
		if c.Unsafe {
			t.Errorf("unsafe call %s %v", c.Method, c.Params)
		}
	}
}

func TestIntegration_APIKeyInfo(t *testing.T) {
	ex, clock := newSimulation(t)
	perms := []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger, kraken.ExportData}
	k := ex.AddKey(krakentest.Key{Name: "tax-tool", Permissions: perms, NonceWindow: 0})
	c := simulatedClient(t, ex, clock, k)

	info, err := c.APIKeyInfo(t.Context(), "")
	if err != nil {
		t.Fatalf("APIKeyInfo: %v", err)
	}
	if info.Name != "tax-tool" || info.APIKey != k.APIKey || !slices.Equal(info.Permissions, perms) {
		t.Errorf("APIKeyInfo = %+v, want name tax-tool, the key and %v", info, perms)
	}
	if info.LastUsed.IsZero() {
		t.Error("LastUsed is zero after a call")
	}
	calls := ex.Calls()
	if len(calls) != 1 || len(calls[0].Errors) != 0 {
		t.Fatalf("calls = %+v, want one successful call", calls)
	}
	if info.Nonce != calls[0].Nonce {
		t.Errorf("Nonce = %d, want the call's own %d", info.Nonce, calls[0].Nonce)
	}
	if info.SentNonce != calls[0].Nonce {
		t.Errorf("SentNonce = %d, want the nonce sent, %d", info.SentNonce, calls[0].Nonce)
	}
	assertNoUnsafeCall(t, ex)
}

// totpCode is RFC 6238 with SHA-1, 6 digits and 30 s steps, written here so
// this package's tests need nothing outside the standard library.
func totpCode(secret string, at time.Time) string {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		panic(err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(at.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", code%1_000_000)
}

func TestIntegration_APIKeyInfo_twoFactor(t *testing.T) {
	const seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	tests := []struct {
		name    string
		key     krakentest.Key
		otp     func(now time.Time) string
		wantErr error
	}{
		{"a TOTP key with a fresh code answers", krakentest.Key{OTPSecret: seed}, func(now time.Time) string { return totpCode(seed, now) }, nil},
		{"a TOTP key without a code is refused as permission denied", krakentest.Key{OTPSecret: seed}, func(time.Time) string { return "" }, kraken.ErrPermissionDenied},
		{"a TOTP key with a wrong code is refused as an invalid signature", krakentest.Key{OTPSecret: seed}, func(now time.Time) string { return totpCode(seed, now.Add(-time.Hour)) }, kraken.ErrInvalidSignature},
		{"a static-password key with its password answers", krakentest.Key{OTPPassword: "correct horse"}, func(time.Time) string { return "correct horse" }, nil},
		{"a key without 2FA needs no code", krakentest.Key{}, func(time.Time) string { return "" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, clock := newSimulation(t)
			k := ex.AddKey(tt.key)
			_, err := simulatedClient(t, ex, clock, k).APIKeyInfo(t.Context(), tt.otp(clock.Now()))
			if tt.wantErr == nil && err != nil {
				t.Fatalf("APIKeyInfo: %v", err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("APIKeyInfo error = %v, want %v", err, tt.wantErr)
			}
			if n := len(ex.Calls()); n != 1 {
				t.Errorf("the exchange got %d calls, want 1", n)
			}
		})
	}
}

func TestIntegration_authErrors(t *testing.T) {
	otherPrivate := func() string { _, p := krakentest.NewKeyPair(); return p }()
	tests := []struct {
		name  string
		setup func(ex *krakentest.Exchange) krakentest.Key // the key pair the client uses
		want  error
	}{
		{"a deleted key is an invalid key", func(ex *krakentest.Exchange) krakentest.Key {
			k := ex.AddKey(krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds}})
			ex.DeleteKey(k.APIKey)
			return k
		}, kraken.ErrInvalidKey},
		{"a wrong private key is an invalid signature", func(ex *krakentest.Exchange) krakentest.Key {
			k := ex.AddKey(krakentest.Key{})
			k.PrivateKey = otherPrivate
			return k
		}, kraken.ErrInvalidSignature},
		{"a key another program pushed to microsecond nonces is an invalid nonce", func(ex *krakentest.Exchange) krakentest.Key {
			return ex.AddKey(krakentest.Key{Nonce: uint64(time.Now().UnixMicro())})
		}, kraken.ErrInvalidNonce},
	}
	for _, tt := range tests {
		for _, via := range []string{"APIKeyInfo", "Probe"} {
			t.Run(tt.name+", reported once by "+via, func(t *testing.T) {
				ex, clock := newSimulation(t, krakentest.WithoutKeyInfo())
				c := simulatedClient(t, ex, clock, tt.setup(ex))
				var err error
				if via == "APIKeyInfo" {
					_, err = c.APIKeyInfo(t.Context(), "")
				} else {
					_, err = c.Probe(t.Context(), nil)
				}
				if !errors.Is(err, tt.want) || !kraken.IsAuthError(err) {
					t.Fatalf("%s error = %v, want %v", via, err, tt.want)
				}
				if n := len(ex.Calls()); n != 1 {
					t.Errorf("the exchange got %d calls, want exactly 1", n)
				}
				if calls := ex.Calls(); len(calls) == 1 && calls[0].Nonce > uint64(time.Now().UnixMilli()+60_000) {
					t.Errorf("nonce %d is above millisecond scale", calls[0].Nonce)
				}
			})
		}
	}
}

func TestIntegration_Probe(t *testing.T) {
	tests := []struct {
		name  string
		perms []kraken.Permission
	}{
		{"a tax-tool key", []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger, kraken.ExportData, kraken.QueryClosedTrades}},
		{"a read-only dashboard key", []kraken.Permission{kraken.QueryFunds, kraken.QueryOpenTrades, kraken.QueryClosedTrades}},
		{"a trading bot key", []kraken.Permission{kraken.QueryFunds, kraken.QueryOpenTrades, kraken.QueryClosedTrades, kraken.ModifyTrades, kraken.CloseTrades, kraken.CreateWSToken}},
		{"a funding key", []kraken.Permission{kraken.QueryFunds, kraken.AddFunds, kraken.WithdrawFunds}},
		{"a key with every permission", allPermissions},
		{"a key with none", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is found out by probing when GetApiKeyInfo is missing", func(t *testing.T) {
			ex, clock := newSimulation(t, krakentest.WithoutKeyInfo())
			k := ex.AddKey(krakentest.Key{Permissions: tt.perms})
			c := simulatedClient(t, ex, clock, k)

			if _, err := c.APIKeyInfo(t.Context(), ""); !errors.Is(err, kraken.ErrUnknownMethod) {
				t.Fatalf("APIKeyInfo error = %v, want ErrUnknownMethod", err)
			}
			got, err := c.Probe(t.Context(), nil)
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			var want []kraken.Permission
			for _, p := range kraken.SortPermissions(tt.perms) {
				if !slices.Contains(noSafeProbe, p) {
					want = append(want, p)
				}
			}
			if g := got.Granted(); !slices.Equal(g, want) {
				t.Errorf("Granted = %v, want %v", g, want)
			}
			for _, p := range noSafeProbe {
				if got.Status[p] != kraken.ProbeUnknown {
					t.Errorf("%s = %v, want unknown", p, got.Status[p])
				}
			}
			assertNoUnsafeCall(t, ex)
			for _, call := range ex.Calls() {
				if len(call.Errors) > 0 && call.Errors[0] != "EGeneral:Permission denied" &&
					call.Errors[0] != "EOrder:Unknown order" && call.Errors[0] != "EGeneral:Unknown method" {
					t.Errorf("%s answered %v", call.Method, call.Errors)
				}
			}
		})
	}
}

func TestIntegration_concurrentCallsKeepNonceOrder(t *testing.T) {
	ex, clock := newSimulation(t)
	k := ex.AddKey(krakentest.Key{Tier: kraken.Pro}) // no nonce window: any reordering fails
	first := simulatedClient(t, ex, clock, k, kraken.WithTier(kraken.Pro))
	second := simulatedClient(t, ex, clock, k, kraken.WithRateCounter(first.RateCounter()))

	const calls = 50
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for i := range calls {
		c := first
		if i%2 == 1 {
			c = second
		}
		wg.Go(func() {
			_, err := c.APIKeyInfo(t.Context(), "")
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("APIKeyInfo: %v", err)
		}
	}
	got := ex.Calls()
	if len(got) != calls {
		t.Fatalf("the exchange got %d calls, want %d", len(got), calls)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Nonce <= got[i-1].Nonce {
			t.Errorf("call %d: nonce %d after %d", i, got[i].Nonce, got[i-1].Nonce)
		}
	}
}

func TestIntegration_rateCounterKeepsUnderTheLimit(t *testing.T) {
	for _, tier := range []kraken.Tier{kraken.Starter, kraken.Intermediate, kraken.Pro} {
		t.Run("a "+tier.String()+" key is never answered with a rate limit", func(t *testing.T) {
			ex, clock := newSimulation(t)
			k := ex.AddKey(krakentest.Key{Tier: tier})
			c := simulatedClient(t, ex, clock, k, kraken.WithTier(tier))
			for i := range 40 {
				if _, err := c.APIKeyInfo(t.Context(), ""); err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
			}
			if clock.Slept() == 0 {
				t.Error("40 calls went through without waiting")
			}
		})
	}
}
