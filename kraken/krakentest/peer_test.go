package krakentest

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

// peerNonce returns a nonce of the given digit count at t, as a program of
// that scale writes it.
func peerNonce(t time.Time, digits int) string {
	switch digits {
	case 16:
		return strconv.FormatInt(t.UnixMicro(), 10)
	case 19:
		return strconv.FormatInt(t.UnixNano(), 10)
	}
	return strconv.FormatInt(t.UnixMilli(), 10)
}

func TestPeerCall(t *testing.T) {
	encodings := []struct {
		name string
		enc  PeerEncoding
	}{
		{"a form body", PeerForm},
		{"a form body without Content-Type", PeerFormNoContentType},
		{"a JSON body", PeerJSON},
	}
	for _, e := range encodings {
		for _, digits := range []int{13, 16, 19} {
			t.Run(e.name+" with a "+strconv.Itoa(digits)+"-digit nonce is accepted", func(t *testing.T) {
				ex, _ := newTestExchange(t)
				k := ex.AddKey(Key{Permissions: perms(kraken.QueryFunds), OTPPassword: "static pw&=+"})
				nonce := peerNonce(time.Now(), digits)
				errs, err := PeerCall(t.Context(), ex.URL(), k, PeerRequest{Method: "DepositMethods", Nonce: nonce,
					OTP: k.OTPPassword, Params: url.Values{"asset": {"XBT"}}, Encoding: e.enc})
				if err != nil {
					t.Fatal(err)
				}
				if len(errs) != 1 || errs[0] != errPermission {
					// DepositMethods needs add-funds: a permission answer
					// means the request was read, authenticated and routed.
					t.Fatalf("errors = %q, want only %q", errs, errPermission)
				}
				got, _ := ex.Key(k.APIKey)
				if strconv.FormatUint(got.Nonce, 10) != nonce {
					t.Errorf("the key's nonce = %d, want %s", got.Nonce, nonce)
				}
				calls := ex.Calls()
				if p := calls[len(calls)-1].Params; p.Get("asset") != "XBT" || p.Has("otp") || p.Has("nonce") {
					t.Errorf("parameters read = %v, want asset=XBT only", p)
				}
			})
		}
	}
}

func TestExchange_NonceScales(t *testing.T) {
	t.Run("a bigger nonce raises the key's last nonce for every program", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		k := ex.AddKey(Key{Permissions: perms(kraken.QueryFunds), NonceWindow: 1_000_000})
		now := time.Now()
		peer := func(nonce string) []string {
			t.Helper()
			errs, err := PeerCall(t.Context(), ex.URL(), k, PeerRequest{Method: "Balance", Nonce: nonce})
			if err != nil {
				t.Fatal(err)
			}
			return errs
		}
		if errs := peer(peerNonce(now, 13)); len(errs) != 0 {
			t.Fatalf("a millisecond call: %q", errs)
		}
		if errs := peer(peerNonce(now, 19)); len(errs) != 0 {
			t.Fatalf("a nanosecond call: %q", errs)
		}
		later := now.Add(time.Second)
		for _, digits := range []int{13, 16} {
			if errs := peer(peerNonce(later, digits)); len(errs) != 1 || errs[0] != errInvalidNonce {
				t.Errorf("a %d-digit call after a nanosecond one: %q, want %s even with a nonce window of a million", digits, errs, errInvalidNonce)
			}
		}
		if errs := peer(peerNonce(later, 19)); len(errs) != 0 {
			t.Errorf("a later nanosecond call: %q, want success", errs)
		}
	})
}

func TestExchange_UserAgent(t *testing.T) {
	ex, _ := newTestExchange(t)
	k := ex.AddKey(Key{Permissions: perms(kraken.QueryFunds)})
	r := signed(k, "Balance", 1772627060997, nil)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, ex.URL()+"/0/private/Balance", strings.NewReader(string(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("API-Key", r.apiKey)
	req.Header.Set("API-Sign", r.apiSign)
	req.Header.Set("Content-Type", r.contentType)
	req.Header.Set("User-Agent", "") // Go then sends none
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	calls := ex.Calls()
	if len(calls) != 1 || strings.Join(calls[0].Errors, ";") != errNoUserAgent {
		t.Fatalf("calls = %+v, want one answered %s", calls, errNoUserAgent)
	}
	if got, _ := ex.Key(k.APIKey); got.Nonce != 0 {
		t.Errorf("the refused call used nonce %d", got.Nonce)
	}
	if got := call(t, ex, k, "Balance", 1772627060997, nil); got.errString() != "" {
		t.Errorf("the same call with a User-Agent: %q, want success", got.errString())
	}
}

func TestExchange_InjectFault(t *testing.T) {
	t.Run("a method's fault answers instead of the exchange and uses no nonce", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		k := ex.AddKey(Key{Permissions: perms(kraken.QueryFunds)})
		ex.FailWith("Balance", "EGeneral:Too many requests")
		if got := call(t, ex, k, "Balance", 5, nil); got.errString() != "EGeneral:Too many requests" {
			t.Fatalf("error = %q, want the fault", got.errString())
		}
		if got, _ := ex.Key(k.APIKey); got.Nonce != 0 || ex.Counter(k.APIKey) != 0 {
			t.Errorf("nonce %d, counter %v after a fault; want both untouched", got.Nonce, ex.Counter(k.APIKey))
		}
		if got := call(t, ex, k, "GetApiKeyInfo", 6, nil); got.errString() != "" {
			t.Errorf("another method: %q, want success", got.errString())
		}
		ex.FailWith("Balance")
		if got := call(t, ex, k, "Balance", 7, nil); got.errString() != "" {
			t.Errorf("after removing the fault: %q, want success", got.errString())
		}
	})
	t.Run("AnyMethod applies to methods without a fault of their own", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		k := ex.AddKey(Key{Permissions: perms(kraken.QueryFunds)})
		ex.FailWith(AnyMethod, "EService:Unavailable")
		ex.FailWith("Balance", "EDatabase:Internal error", "EGeneral:Internal error")
		if got := call(t, ex, k, "OpenOrders", 1, nil); got.errString() != "EService:Unavailable" {
			t.Errorf("OpenOrders: %q", got.errString())
		}
		if got := call(t, ex, k, "Balance", 2, nil); got.errString() != "EDatabase:Internal error; EGeneral:Internal error" {
			t.Errorf("Balance: %q", got.errString())
		}
	})
	t.Run("a fault sees the request body as sent", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		k := ex.AddKey(Key{})
		ex.InjectFault("GetApiKeyInfo", func(r FaultRequest) []string {
			return []string{"EGeneral:Invalid arguments:" + string(r.Body)}
		})
		got := call(t, ex, k, "GetApiKeyInfo", 9, url.Values{"otp": {"my pw"}})
		if want := "EGeneral:Invalid arguments:nonce=9&otp=my+pw"; got.errString() != want {
			t.Errorf("error = %q, want %q", got.errString(), want)
		}
	})
}

func TestExchange_OrdersAreOffTheRESTCounter(t *testing.T) {
	ex, _ := newTestExchange(t)
	k := ex.AddKey(Key{Permissions: perms(kraken.ModifyTrades, kraken.CloseTrades)})
	var n nonces
	order := url.Values{"validate": {"true"}, "pair": {"XBTUSD"}, "type": {"buy"}, "ordertype": {"limit"}, "price": {"1"}, "volume": {"0.0001"}}
	for i := range 30 { // twice a Starter key's maximum
		if got := call(t, ex, k, "AddOrder", n.Next(), order); got.errString() != "" {
			t.Fatalf("AddOrder %d: %q", i+1, got.errString())
		}
		if got := call(t, ex, k, "CancelOrder", n.Next(), url.Values{"cl_ord_id": {"x"}}); got.errString() != errUnknownOrder {
			t.Fatalf("CancelOrder %d: %q", i+1, got.errString())
		}
	}
	if got := ex.Counter(k.APIKey); got != 0 {
		t.Errorf("REST counter = %v after orders only, want 0", got)
	}
}
