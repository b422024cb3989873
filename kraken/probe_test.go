package kraken_test

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

// probeNeeds is what each safe probe needs on the exchange; any method not
// listed here must never be called.
var probeNeeds = map[string][]kraken.Permission{
	"Balance":            {kraken.QueryFunds},
	"OpenOrders":         {kraken.QueryOpenTrades},
	"ClosedOrders":       {kraken.QueryClosedTrades},
	"Ledgers":            {kraken.QueryLedger},
	"ExportStatus":       {kraken.ExportData},
	"GetWebSocketsToken": {kraken.CreateWSToken},
	"DepositMethods":     {kraken.QueryFunds, kraken.AddFunds},
	"WithdrawMethods":    {kraken.QueryFunds, kraken.WithdrawFunds},
	"AddOrder":           {kraken.ModifyTrades},
	"CancelOrder":        {kraken.CloseTrades},
}

// permissionExchange answers like the exchange would for a key holding
// granted: "Permission denied" when a permission is missing, otherwise the
// answer each probe gets from a real account.
func permissionExchange(granted ...kraken.Permission) answerFunc {
	return func(r request) (int, string) {
		needs, known := probeNeeds[r.Method]
		if !known {
			return fail("EGeneral:Unknown method")
		}
		for _, p := range needs {
			if !slices.Contains(granted, p) {
				return fail("EGeneral:Permission denied")
			}
		}
		switch r.Method {
		case "AddOrder":
			return ok(`{"descr":{"order":"buy 0.00010000 XBTUSD @ limit 1.0"}}`)
		case "CancelOrder":
			return fail("EOrder:Unknown order")
		case "GetWebSocketsToken":
			return ok(`{"token":"1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw","expires":900}`)
		}
		return ok(`{}`)
	}
}

var allPermissions = func() []kraken.Permission {
	var out []kraken.Permission
	for _, p := range kraken.Catalogue {
		out = append(out, p.Code)
	}
	return out
}()

// statusesFor builds the want map: listed permissions get their status, the
// rest want.
func statusesFor(rest kraken.ProbeStatus, set map[kraken.ProbeStatus][]kraken.Permission) map[kraken.Permission]kraken.ProbeStatus {
	m := make(map[kraken.Permission]kraken.ProbeStatus)
	for _, p := range allPermissions {
		m[p] = rest
	}
	for s, perms := range set {
		for _, p := range perms {
			m[p] = s
		}
	}
	return m
}

var noSafeProbe = []kraken.Permission{kraken.EarnFunds, kraken.AddWithdrawAddress, kraken.UpdateWithdrawAddress}

func TestClient_Probe(t *testing.T) {
	tests := []struct {
		name        string
		granted     []kraken.Permission
		want        map[kraken.Permission]kraken.ProbeStatus
		wantMethods []string
	}{
		{
			name:    "a key with every permission is found granted where a probe exists",
			granted: allPermissions,
			want:    statusesFor(kraken.ProbeGranted, map[kraken.ProbeStatus][]kraken.Permission{kraken.ProbeUnknown: noSafeProbe}),
			wantMethods: []string{"Balance", "OpenOrders", "ClosedOrders", "Ledgers", "ExportStatus", "GetWebSocketsToken",
				"DepositMethods", "WithdrawMethods", "AddOrder", "CancelOrder"},
		},
		{
			name:    "a read-only dashboard key is found read-only",
			granted: []kraken.Permission{kraken.QueryFunds, kraken.QueryOpenTrades, kraken.QueryClosedTrades},
			want: statusesFor(kraken.ProbeNotGranted, map[kraken.ProbeStatus][]kraken.Permission{
				kraken.ProbeGranted: {kraken.QueryFunds, kraken.QueryOpenTrades, kraken.QueryClosedTrades},
				kraken.ProbeUnknown: noSafeProbe,
			}),
			wantMethods: []string{"Balance", "OpenOrders", "ClosedOrders", "Ledgers", "ExportStatus", "GetWebSocketsToken",
				"DepositMethods", "WithdrawMethods", "AddOrder", "CancelOrder"},
		},
		{
			name:    "without query-funds, deposit and withdraw are unknown and not probed",
			granted: []kraken.Permission{kraken.AddFunds, kraken.WithdrawFunds, kraken.ModifyTrades},
			want: statusesFor(kraken.ProbeNotGranted, map[kraken.ProbeStatus][]kraken.Permission{
				kraken.ProbeGranted: {kraken.ModifyTrades},
				kraken.ProbeUnknown: append([]kraken.Permission{kraken.AddFunds, kraken.WithdrawFunds}, noSafeProbe...),
			}),
			wantMethods: []string{"Balance", "OpenOrders", "ClosedOrders", "Ledgers", "ExportStatus", "GetWebSocketsToken",
				"AddOrder", "CancelOrder"},
		},
		{
			name:    "a key with no permission is found holding none",
			granted: nil,
			want: statusesFor(kraken.ProbeNotGranted, map[kraken.ProbeStatus][]kraken.Permission{
				kraken.ProbeUnknown: append([]kraken.Permission{kraken.AddFunds, kraken.WithdrawFunds}, noSafeProbe...),
			}),
			wantMethods: []string{"Balance", "OpenOrders", "ClosedOrders", "Ledgers", "ExportStatus", "GetWebSocketsToken",
				"AddOrder", "CancelOrder"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := newFakeExchange(t, permissionExchange(tt.granted...))
			got, err := newTestClient(t, ex).Probe(t.Context(), nil)
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			if !reflect.DeepEqual(got.Status, tt.want) {
				t.Errorf("Probe statuses:")
				for _, p := range allPermissions {
					if got.Status[p] != tt.want[p] {
						t.Errorf("  %s = %v, want %v", p, got.Status[p], tt.want[p])
					}
				}
			}
			if gotMethods := ex.Methods(); !slices.Equal(gotMethods, tt.wantMethods) {
				t.Errorf("methods called = %v, want %v", gotMethods, tt.wantMethods)
			}
		})
	}
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestClient_Probe_sendsOnlySafeCalls(t *testing.T) {
	ex := newFakeExchange(t, permissionExchange(allPermissions...))
	c := newTestClient(t, ex)
	for range 2 {
		if _, err := c.Probe(t.Context(), nil); err != nil {
			t.Fatalf("Probe: %v", err)
		}
	}

	// The exact parameters of every probe, besides the nonce.
	wantParams := map[string]map[string]any{
		"ExportStatus":   {"report": "ledgers"},
		"DepositMethods": {"asset": "XBT"},
		"AddOrder": {"validate": "true", "pair": "XBTUSD", "type": "buy", "ordertype": "limit",
			"price": "1", "volume": "0.0001"},
	}
	var orderIDs []string
	for _, r := range ex.Requests() {
		if _, safe := probeNeeds[r.Method]; !safe {
			t.Errorf("Probe called %s, which is not in the safe list", r.Method)
			continue
		}
		if !r.SignatureOK {
			t.Errorf("%s: bad signature", r.Method)
		}
		params := make(map[string]any)
		for k, v := range r.Params {
			if k != "nonce" {
				params[k] = v
			}
		}
		if r.Method == "CancelOrder" {
			id, _ := params["cl_ord_id"].(string)
			if len(params) != 1 || !uuidV4.MatchString(id) {
				t.Errorf("CancelOrder sent %v, want only a cl_ord_id UUID", params)
			}
			if _, err := strconv.ParseInt(id, 10, 64); err == nil {
				t.Errorf("CancelOrder sent an integer id %q, which could cancel real orders", id)
			}
			orderIDs = append(orderIDs, id)
			continue
		}
		want := wantParams[r.Method]
		if want == nil {
			want = map[string]any{}
		}
		if !reflect.DeepEqual(params, want) {
			t.Errorf("%s sent %v, want %v", r.Method, params, want)
		}
	}
	if len(orderIDs) != 2 || orderIDs[0] == orderIDs[1] {
		t.Errorf("cl_ord_ids = %v, want two different ones", orderIDs)
	}
}

func TestClient_Probe_stopsAtAuthError(t *testing.T) {
	for _, msg := range []string{"EAPI:Invalid key", "EAPI:Invalid signature", "EAPI:Invalid nonce", "EGeneral:Temporary lockout"} {
		for _, at := range []int{1, 4} {
			t.Run(fmt.Sprintf("%s on call %d stops probing at once", msg, at), func(t *testing.T) {
				var mu sync.Mutex
				calls := 0
				grantAll := permissionExchange(allPermissions...)
				ex := newFakeExchange(t, func(r request) (int, string) {
					mu.Lock()
					defer mu.Unlock()
					calls++
					if calls >= at {
						return fail(msg)
					}
					return grantAll(r)
				})
				got, err := newTestClient(t, ex).Probe(t.Context(), nil)
				if !kraken.IsAuthError(err) {
					t.Fatalf("Probe error = %v, want an auth error", err)
				}
				if got != nil {
					t.Errorf("Probe returned %+v with the error", got)
				}
				if n := len(ex.Requests()); n != at {
					t.Errorf("the exchange got %d calls, want %d", n, at)
				}
			})
		}
	}
}

func TestClient_Probe_answers(t *testing.T) {
	// What the AddOrder probe's answer says about modify-trades.
	tests := []struct {
		name    string
		status  int
		body    string
		want    kraken.ProbeStatus
		wantErr error
	}{
		{"a validated order means granted", 200, `{"error":[],"result":{"descr":{"order":"x"}}}`, kraken.ProbeGranted, nil},
		{"an order error means granted", 200, `{"error":["EOrder:Insufficient funds"]}`, kraken.ProbeGranted, nil},
		{"an argument error means granted", 200, `{"error":["EGeneral:Invalid arguments:volume minimum not met"]}`, kraken.ProbeGranted, nil},
		{"a market in cancel-only mode means unknown", 200, `{"error":["EService:Market in cancel_only mode"]}`, kraken.ProbeUnknown, nil},
		{"an answer Keywarden does not know means unknown", 200, `{"error":["EFoo:Something new"]}`, kraken.ProbeUnknown, nil},
		{"too many requests stops probing", 200, `{"error":["EGeneral:Too many requests"]}`, 0, kraken.ErrThrottled},
		{"a locked account stops probing", 200, `{"error":["ETrade:User Locked"]}`, 0, kraken.ErrAccountLocked},
		{"permission denied means not granted", 200, `{"error":["EGeneral:Permission denied"]}`, kraken.ProbeNotGranted, nil},
		{"an unknown method means unknown", 200, `{"error":["EGeneral:Unknown method"]}`, kraken.ProbeUnknown, nil},
		{"an unavailable exchange stops probing", 200, `{"error":["EService:Unavailable"]}`, 0, kraken.ErrExchangeDown},
		{"a rate limit stops probing", 200, `{"error":["EAPI:Rate limit exceeded"]}`, 0, kraken.ErrRateLimited},
		{"throttling stops probing", 200, `{"error":["EService: Throttled: 1772627100"]}`, 0, kraken.ErrThrottled},
		{"an HTTP error stops probing", 502, ``, 0, kraken.ErrExchangeDown},
		{"an unreadable answer stops probing", 200, `{"error":`, 0, kraken.ErrBadResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			grantAll := permissionExchange(allPermissions...)
			ex := newFakeExchange(t, func(r request) (int, string) {
				if r.Method == "AddOrder" {
					return tt.status, tt.body
				}
				return grantAll(r)
			})
			got, err := newTestClient(t, ex).Probe(t.Context(), nil)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || got != nil {
					t.Fatalf("Probe = %v, %v; want nil, %v", got, err, tt.wantErr)
				}
				if last := ex.Methods()[len(ex.Methods())-1]; last != "AddOrder" {
					t.Errorf("probing went on to %s after the error", last)
				}
				return
			}
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			if s := got.Status[kraken.ModifyTrades]; s != tt.want {
				t.Errorf("modify-trades = %v, want %v", s, tt.want)
			}
			if s := got.Status[kraken.CloseTrades]; s != kraken.ProbeGranted {
				t.Errorf("probing did not go on: close-trades = %v", s)
			}
		})
	}
}

func TestClient_Probe_otp(t *testing.T) {
	t.Run("each call gets a fresh code from the otp function", func(t *testing.T) {
		ex := newFakeExchange(t, permissionExchange(allPermissions...))
		n := 0
		otp := func() string { n++; return fmt.Sprintf("%06d", n) }
		if _, err := newTestClient(t, ex).Probe(t.Context(), otp); err != nil {
			t.Fatalf("Probe: %v", err)
		}
		reqs := ex.Requests()
		if n != len(reqs) {
			t.Errorf("otp asked %d times for %d calls", n, len(reqs))
		}
		for i, r := range reqs {
			if want := fmt.Sprintf("%06d", i+1); r.Params["otp"] != want {
				t.Errorf("call %d (%s): otp = %v, want %s", i, r.Method, r.Params["otp"], want)
			}
		}
	})
	t.Run("no otp function sends no otp", func(t *testing.T) {
		ex := newFakeExchange(t, permissionExchange(allPermissions...))
		if _, err := newTestClient(t, ex).Probe(t.Context(), nil); err != nil {
			t.Fatalf("Probe: %v", err)
		}
		for _, r := range ex.Requests() {
			if otp, ok := r.Params["otp"]; ok {
				t.Errorf("%s sent otp %v", r.Method, otp)
			}
		}
	})
}

func TestClient_Probe_pacedByRateCounter(t *testing.T) {
	ex := newFakeExchange(t, permissionExchange(allPermissions...))
	clock := newFakeClock()
	counter := kraken.NewRateCounter(kraken.Starter)
	counter.Charge(15, clock.Now()) // a key another program just used up
	c := newTestClient(t, ex, kraken.WithClock(clock), kraken.WithRateCounter(counter))
	if _, err := c.Probe(t.Context(), nil); err != nil {
		t.Fatalf("Probe: %v", err)
	}
	// Ten calls, Ledgers costing 2, AddOrder and CancelOrder nothing (the
	// trading limiter): 9 units, each taking 1/0.33 s to decay.
	want := secondsOf(9 / 0.33)
	if got := clock.Slept(); got < want-time.Millisecond || got > want+100*time.Millisecond {
		t.Errorf("slept %v, want about %v", got, want)
	}
	if level := counter.Level(clock.Now()); level > 15+1e-9 {
		t.Errorf("counter at %v, over the Starter maximum", level)
	}
}

func TestProbeResult(t *testing.T) {
	r := &kraken.ProbeResult{Status: map[kraken.Permission]kraken.ProbeStatus{
		kraken.ModifyTrades:  kraken.ProbeGranted,
		kraken.QueryFunds:    kraken.ProbeGranted,
		kraken.WithdrawFunds: kraken.ProbeNotGranted,
		kraken.EarnFunds:     kraken.ProbeUnknown,
	}}
	t.Run("Granted lists the granted permissions in the website's order", func(t *testing.T) {
		if got, want := r.Granted(), []kraken.Permission{kraken.QueryFunds, kraken.ModifyTrades}; !slices.Equal(got, want) {
			t.Errorf("Granted = %v, want %v", got, want)
		}
	})
	t.Run("Unknown counts a permission missing from the map as unknown", func(t *testing.T) {
		got := r.Unknown()
		if slices.Contains(got, kraken.WithdrawFunds) || !slices.Contains(got, kraken.EarnFunds) || !slices.Contains(got, kraken.ExportData) {
			t.Errorf("Unknown = %v", got)
		}
	})
	t.Run("statuses read in plain words", func(t *testing.T) {
		for s, want := range map[kraken.ProbeStatus]string{kraken.ProbeGranted: "granted", kraken.ProbeNotGranted: "not granted", kraken.ProbeUnknown: "unknown"} {
			if got := s.String(); got != want {
				t.Errorf("String() = %q, want %q", got, want)
			}
		}
	})
}

func TestClient_Probe_ordersAreOffTheRESTCounter(t *testing.T) {
	t.Run("the trading limiter's answer stops probing without filling the REST counter", func(t *testing.T) {
		grantAll := permissionExchange(allPermissions...)
		ex := newFakeExchange(t, func(r request) (int, string) {
			if r.Method == "AddOrder" {
				return fail("EOrder:Rate limit exceeded")
			}
			return grantAll(r)
		})
		clock := newFakeClock()
		c := newTestClient(t, ex, kraken.WithClock(clock))
		if _, err := c.Probe(t.Context(), nil); !errors.Is(err, kraken.ErrRateLimited) {
			t.Fatalf("Probe error = %v, want ErrRateLimited", err)
		}
		// Eight REST calls before AddOrder, Ledgers costing 2.
		if got := c.RateCounter().Level(clock.Now()); got != 9 {
			t.Errorf("REST counter = %v, want 9: the order limiter is another counter", got)
		}
	})
}
