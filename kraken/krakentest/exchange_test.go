package krakentest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

func allPermissionsBut(except ...kraken.Permission) []kraken.Permission {
	var out []kraken.Permission
	for _, p := range kraken.Catalogue {
		if !slices.Contains(except, p.Code) {
			out = append(out, p.Code)
		}
	}
	return out
}

func TestExchange_Permissions(t *testing.T) {
	tests := []struct {
		method  string
		params  url.Values
		needs   []kraken.Permission
		wantErr string // with exactly the needed permissions
	}{
		{method: "Balance", needs: perms(kraken.QueryFunds)},
		{method: "OpenOrders", needs: perms(kraken.QueryOpenTrades)},
		{method: "ClosedOrders", needs: perms(kraken.QueryClosedTrades)},
		{method: "TradesHistory", needs: perms(kraken.QueryClosedTrades)},
		{method: "Ledgers", needs: perms(kraken.QueryLedger)},
		{method: "QueryLedgers", params: url.Values{"id": {"L4UESK-KG3EQ-UFO4T5"}}, needs: perms(kraken.QueryLedger)},
		{method: "ExportStatus", params: url.Values{"report": {"ledgers"}}, needs: perms(kraken.ExportData)},
		{method: "AddExport", params: url.Values{"report": {"ledgers"}, "description": {"tax"}}, needs: perms(kraken.ExportData)},
		{method: "GetWebSocketsToken", needs: perms(kraken.CreateWSToken)},
		{method: "DepositMethods", params: url.Values{"asset": {"XBT"}}, needs: perms(kraken.AddFunds, kraken.QueryFunds)},
		{method: "DepositAddresses", params: url.Values{"asset": {"XBT"}, "method": {"Bitcoin"}}, needs: perms(kraken.AddFunds)},
		{method: "WithdrawMethods", needs: perms(kraken.WithdrawFunds, kraken.QueryFunds)},
		{method: "Withdraw", params: url.Values{"asset": {"XBT"}, "key": {"cold"}, "amount": {"0.1"}}, needs: perms(kraken.WithdrawFunds)},
		{
			method: "AddOrder",
			params: url.Values{"validate": {"true"}, "pair": {"XBTUSD"}, "type": {"buy"}, "ordertype": {"market"}, "volume": {"0.0001"}},
			needs:  perms(kraken.ModifyTrades),
		},
		{method: "CancelOrder", params: url.Values{"cl_ord_id": {"keywarden-probe"}}, needs: perms(kraken.CloseTrades), wantErr: "EOrder:Unknown order"},
		{method: "GetApiKeyInfo"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" answers without a permission denial when it has "+permNames(tt.needs), func(t *testing.T) {
			ex, _ := newTestExchange(t)
			k := ex.AddKey(Key{Permissions: tt.needs})
			if got := call(t, ex, k, tt.method, 1, tt.params); got.errString() != tt.wantErr {
				t.Errorf("error = %q, want %q", got.errString(), tt.wantErr)
			}
		})
		for _, missing := range tt.needs {
			t.Run(tt.method+" is denied without "+string(missing), func(t *testing.T) {
				ex, _ := newTestExchange(t)
				k := ex.AddKey(Key{Permissions: allPermissionsBut(missing)})
				if got := call(t, ex, k, tt.method, 1, tt.params); got.errString() != "EGeneral:Permission denied" {
					t.Errorf("error = %q, want EGeneral:Permission denied", got.errString())
				}
			})
		}
	}

	t.Run("an unknown method answers unknown method", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		k := ex.AddKey(Key{Permissions: allPermissionsBut()})
		if got := call(t, ex, k, "TradeBalanceX", 1, nil); got.errString() != "EGeneral:Unknown method" {
			t.Errorf("error = %q, want EGeneral:Unknown method", got.errString())
		}
	})
}

func permNames(ps []kraken.Permission) string {
	if len(ps) == 0 {
		return "no permission"
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = string(p)
	}
	return strings.Join(names, " and ")
}

func TestExchange_Results(t *testing.T) {
	all := allPermissionsBut()
	tests := []struct {
		name    string
		method  string
		params  url.Values
		want    string // the result, as JSON; "" to skip
		wantErr string
		check   func(t *testing.T, result json.RawMessage)
	}{
		{name: "Balance shows an empty USD balance", method: "Balance", want: `{"ZUSD":"0.0000"}`},
		{name: "OpenOrders lists no orders", method: "OpenOrders", want: `{"open":{}}`},
		{name: "ExportStatus lists no exports", method: "ExportStatus", params: url.Values{"report": {"ledgers"}}, want: `[]`},
		{name: "ExportStatus needs a report kind", method: "ExportStatus", wantErr: "EGeneral:Invalid arguments"},
		{name: "ExportStatus refuses an unknown report kind", method: "ExportStatus", params: url.Values{"report": {"orders"}}, wantErr: "EGeneral:Invalid arguments"},
		{name: "QueryLedgers needs ids", method: "QueryLedgers", wantErr: "EGeneral:Invalid arguments"},
		{name: "DepositMethods needs an asset", method: "DepositMethods", wantErr: "EGeneral:Invalid arguments"},
		{
			name: "GetWebSocketsToken gives a token for 900 seconds", method: "GetWebSocketsToken",
			check: func(t *testing.T, result json.RawMessage) {
				var got struct {
					Token   string `json:"token"`
					Expires int    `json:"expires"`
				}
				if err := json.Unmarshal(result, &got); err != nil || got.Token == "" || got.Expires != 900 {
					t.Errorf("result = %s, want a token that expires in 900", result)
				}
			},
		},
		{
			name:   "AddOrder with validate=true describes the order without a txid",
			method: "AddOrder",
			params: url.Values{"validate": {"true"}, "pair": {"XBTUSD"}, "type": {"buy"}, "ordertype": {"limit"}, "price": {"27500.0"}, "volume": {"1.25"}},
			want:   `{"descr":{"order":"buy 1.25 XBTUSD @ limit 27500.0"}}`,
		},
		{
			name:    "AddOrder checks its arguments",
			method:  "AddOrder",
			params:  url.Values{"validate": {"true"}, "pair": {"XBTUSD"}, "type": {"hold"}, "ordertype": {"market"}, "volume": {"1"}},
			wantErr: "EGeneral:Invalid arguments",
		},
		{name: "CancelOrder needs a txid or a cl_ord_id", method: "CancelOrder", wantErr: "EGeneral:Invalid arguments"},
		{name: "CancelOrder by txid finds no order", method: "CancelOrder", params: url.Values{"txid": {"OUF4EM-FRGI2-MQMWZD"}}, wantErr: "EOrder:Unknown order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, _ := newTestExchange(t)
			k := ex.AddKey(Key{Permissions: all})
			got := call(t, ex, k, tt.method, 1, tt.params)
			if got.errString() != tt.wantErr {
				t.Fatalf("error = %q, want %q", got.errString(), tt.wantErr)
			}
			if tt.wantErr != "" && got.Result != nil {
				t.Errorf("an error answer carries a result: %s", got.Result)
			}
			if tt.want != "" && string(got.Result) != tt.want {
				t.Errorf("result = %s, want %s", got.Result, tt.want)
			}
			if tt.check != nil {
				tt.check(t, got.Result)
			}
		})
	}
}

func TestExchange_Unsafe(t *testing.T) {
	order := url.Values{"pair": {"XBTUSD"}, "type": {"buy"}, "ordertype": {"market"}, "volume": {"0.0001"}}
	with := func(v url.Values, k, val string) url.Values {
		out := cloneValues(v)
		out.Set(k, val)
		return out
	}
	tests := []struct {
		name   string
		method string
		params url.Values
		sign   bool // sign correctly; otherwise the signature is wrong
		want   bool
	}{
		{"an order with validate=true is safe", "AddOrder", with(order, "validate", "true"), true, false},
		{"an order without validate is unsafe", "AddOrder", order, true, true},
		{"an order with validate=1 is unsafe", "AddOrder", with(order, "validate", "1"), true, true},
		{"an order with validate=false is unsafe", "AddOrder", with(order, "validate", "false"), true, true},
		{"an unsafe order is flagged even when the signature is wrong", "AddOrder", order, false, true},
		{"a cancel by cl_ord_id is safe", "CancelOrder", url.Values{"cl_ord_id": {"probe"}}, true, false},
		{"a cancel by txid is unsafe", "CancelOrder", url.Values{"txid": {"12345"}}, true, true},
		{"listing deposit addresses is safe", "DepositAddresses", url.Values{"asset": {"XBT"}, "method": {"Bitcoin"}}, true, false},
		{"a new deposit address is unsafe", "DepositAddresses", url.Values{"asset": {"XBT"}, "method": {"Bitcoin"}, "new": {"true"}}, true, true},
		{"a withdrawal is unsafe", "Withdraw", url.Values{"asset": {"XBT"}, "key": {"k"}, "amount": {"1"}}, true, true},
		{"an export request is unsafe", "AddExport", url.Values{"report": {"ledgers"}, "description": {"d"}}, true, true},
		{"an export status is safe", "ExportStatus", url.Values{"report": {"ledgers"}}, true, false},
		{"a deposit method list is safe", "DepositMethods", url.Values{"asset": {"XBT"}}, true, false},
		{"a balance is safe", "Balance", nil, true, false},
		{"cancelling all orders is unsafe though not offered", "CancelAll", nil, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, _ := newTestExchange(t)
			k := ex.AddKey(Key{Permissions: allPermissionsBut()})
			if !tt.sign {
				_, k.PrivateKey = NewKeyPair()
			}
			call(t, ex, k, tt.method, 1, tt.params)
			calls := ex.Calls()
			if len(calls) != 1 {
				t.Fatalf("got %d calls, want 1", len(calls))
			}
			if calls[0].Unsafe != tt.want {
				t.Errorf("Unsafe = %v, want %v (answer %q)", calls[0].Unsafe, tt.want, calls[0].Errors)
			}
		})
	}
}

func TestExchange_GetApiKeyInfo(t *testing.T) {
	ex, clock := newTestExchange(t)
	created := clock.Now().Add(-48 * time.Hour)
	k := ex.AddKey(Key{
		Name:        "my-api-key",
		Permissions: perms(kraken.QueryFunds, kraken.WithdrawFunds, kraken.QueryOpenTrades, kraken.ModifyTrades),
		NonceWindow: 5,
		Created:     created,
		ValidUntil:  clock.Now().Add(90 * 24 * time.Hour),
	})

	got := call(t, ex, k, "GetApiKeyInfo", 1772627060997, nil)
	if got.errString() != "" {
		t.Fatalf("error = %q", got.errString())
	}
	var info map[string]any
	if err := json.Unmarshal(got.Result, &info); err != nil {
		t.Fatal(err)
	}

	t.Run("every documented field is there and no other", func(t *testing.T) {
		want := []string{"apiKey", "apiKeyName", "createdTime", "iban", "ipAllowlist", "lastUsed", "modifiedTime",
			"nonce", "nonceWindow", "permissions", "queryFrom", "queryTo", "validUntil"}
		var keys []string
		for k := range info {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, want) {
			t.Errorf("fields = %v, want %v", keys, want)
		}
	})

	t.Run("each field has the documented type and value", func(t *testing.T) {
		now := strconv.FormatInt(clock.Now().Unix(), 10)
		tests := []struct {
			field string
			want  any
		}{
			{"apiKeyName", "my-api-key"},
			{"apiKey", k.APIKey},
			{"nonce", "1772627060997"},
			{"nonceWindow", float64(5)},
			{"permissions", []any{"query-funds", "withdraw-funds", "query-open-trades", "modify-trades"}},
			{"iban", ex.IBAN()},
			{"validUntil", strconv.FormatInt(k.ValidUntil.Unix(), 10)},
			{"queryFrom", "0"},
			{"queryTo", "0"},
			{"createdTime", strconv.FormatInt(created.Unix(), 10)},
			{"modifiedTime", strconv.FormatInt(created.Unix(), 10)},
			{"ipAllowlist", []any{}},
			{"lastUsed", now},
		}
		for _, tt := range tests {
			got := info[tt.field]
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(tt.want)
			if string(gotJSON) != string(wantJSON) {
				t.Errorf("%s = %s (%T), want %s (%T)", tt.field, gotJSON, got, wantJSON, tt.want)
			}
		}
	})

	t.Run("an edit on the website shows in the next read", func(t *testing.T) {
		clock.Advance(time.Hour)
		ok := ex.UpdateKey(k.APIKey, func(k *Key) {
			k.Permissions = perms(kraken.QueryFunds)
			k.IPAllowlist = []string{"203.0.113.7", "2001:db8::/32"}
			k.APIKey = "changed" // the website cannot do this; ignored
		})
		if !ok {
			t.Fatal("UpdateKey = false")
		}
		got := call(t, ex, k, "GetApiKeyInfo", 1772627060998, nil)
		var info struct {
			Permissions []string `json:"permissions"`
			IPAllowlist []string `json:"ipAllowlist"`
			Modified    string   `json:"modifiedTime"`
		}
		if err := json.Unmarshal(got.Result, &info); err != nil {
			t.Fatal(err)
		}
		want := strconv.FormatInt(clock.Now().Unix(), 10)
		if !slices.Equal(info.Permissions, []string{"query-funds"}) || len(info.IPAllowlist) != 2 || info.Modified != want {
			t.Errorf("after the edit: %+v, want query-funds, two IP entries, modified %s", info, want)
		}
	})

	t.Run("a fresh key was never used", func(t *testing.T) {
		fresh := ex.AddKey(Key{})
		got, _ := ex.Key(fresh.APIKey)
		if !got.LastUsed.IsZero() {
			t.Errorf("LastUsed = %v, want zero", got.LastUsed)
		}
		ex.mu.Lock()
		result, _ := getAPIKeyInfo(ex, ex.keys[fresh.APIKey], nil, clock.Now())
		ex.mu.Unlock()
		b, err := json.Marshal(result)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), `"lastUsed":null`) || !strings.Contains(string(b), `"nonce":"0"`) {
			t.Errorf("GetApiKeyInfo for a fresh key = %s, want lastUsed null and nonce \"0\"", b)
		}
	})

	t.Run("a key's check is its use", func(t *testing.T) {
		fresh := ex.AddKey(Key{})
		got := call(t, ex, fresh, "GetApiKeyInfo", 42, nil)
		var info struct {
			LastUsed *string `json:"lastUsed"`
		}
		if err := json.Unmarshal(got.Result, &info); err != nil {
			t.Fatal(err)
		}
		if want := strconv.FormatInt(clock.Now().Unix(), 10); info.LastUsed == nil || *info.LastUsed != want {
			t.Errorf("lastUsed = %v, want %s", info.LastUsed, want)
		}
	})
}

func TestExchange_WithoutKeyInfo(t *testing.T) {
	ex, _ := newTestExchange(t, WithoutKeyInfo())
	k := ex.AddKey(Key{Permissions: perms(kraken.QueryFunds)})
	if got := call(t, ex, k, "GetApiKeyInfo", 10, nil); got.errString() != "EGeneral:Unknown method" {
		t.Errorf("GetApiKeyInfo: error = %q, want EGeneral:Unknown method", got.errString())
	}
	if got := call(t, ex, k, "Balance", 10, nil); got.errString() != "EAPI:Invalid nonce" {
		t.Errorf("GetApiKeyInfo did not use its nonce: Balance error = %q, want EAPI:Invalid nonce", got.errString())
	}
	if got := call(t, ex, k, "Balance", 11, nil); got.errString() != "" {
		t.Errorf("the probes still work: Balance error = %q", got.errString())
	}
}

func TestExchange_KeyLifetime(t *testing.T) {
	t.Run("a deleted key is invalid from then on", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		k := ex.AddKey(Key{})
		if got := call(t, ex, k, "GetApiKeyInfo", 1, nil); got.errString() != "" {
			t.Fatal(got.errString())
		}
		if !ex.DeleteKey(k.APIKey) {
			t.Fatal("DeleteKey = false")
		}
		if got := call(t, ex, k, "GetApiKeyInfo", 2, nil); got.errString() != "EAPI:Invalid key" {
			t.Errorf("error = %q, want EAPI:Invalid key", got.errString())
		}
		if ex.DeleteKey(k.APIKey) {
			t.Error("deleting twice: DeleteKey = true")
		}
		if _, ok := ex.Key(k.APIKey); ok {
			t.Error("Key still finds the deleted key")
		}
		if ex.UpdateKey(k.APIKey, func(*Key) {}) {
			t.Error("UpdateKey = true for a deleted key")
		}
	})

	t.Run("an expired key is invalid", func(t *testing.T) {
		ex, clock := newTestExchange(t)
		k := ex.AddKey(Key{ValidUntil: clock.Now().Add(time.Hour)})
		if got := call(t, ex, k, "GetApiKeyInfo", 1, nil); got.errString() != "" {
			t.Fatalf("before expiry: %s", got.errString())
		}
		clock.Advance(time.Hour)
		if got := call(t, ex, k, "GetApiKeyInfo", 2, nil); got.errString() != "EAPI:Invalid key" {
			t.Errorf("at expiry: error = %q, want EAPI:Invalid key", got.errString())
		}
	})

	t.Run("AddKey fills in what the website would", func(t *testing.T) {
		ex, clock := newTestExchange(t)
		k := ex.AddKey(Key{})
		apiKey, _ := base64.StdEncoding.DecodeString(k.APIKey)
		secret, _ := base64.StdEncoding.DecodeString(k.PrivateKey)
		checks := []struct {
			what string
			got  any
			want any
		}{
			{"API key length", len(k.APIKey), 56},
			{"API key bytes", len(apiKey), 42},
			{"private key length", len(k.PrivateKey), 88},
			{"private key bytes", len(secret), 64},
			{"created", k.Created, clock.Now()},
			{"modified", k.Modified, clock.Now()},
			{"name", k.Name, "api-key-" + strconv.FormatInt(clock.Now().Unix(), 10)},
			{"IBAN", k.IBAN, ex.IBAN()},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
			}
		}
	})

	t.Run("AddKey refuses a duplicate", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		k := ex.AddKey(Key{})
		defer func() {
			if recover() == nil {
				t.Error("AddKey accepted the same API key twice")
			}
		}()
		ex.AddKey(Key{APIKey: k.APIKey})
	})
}

func TestExchange_Routing(t *testing.T) {
	t.Run("a path prefix serves the API and the signature covers the exchange's path", func(t *testing.T) {
		ex, _ := newTestExchange(t, WithPathPrefix("/kraken/"))
		if !strings.HasSuffix(ex.URL(), "/kraken") {
			t.Fatalf("URL = %q, want it to end in /kraken", ex.URL())
		}
		k := ex.AddKey(Key{})
		if got := call(t, ex, k, "GetApiKeyInfo", 1, nil); got.errString() != "" {
			t.Errorf("signed over /0/private/: error = %q", got.errString())
		}
		body := formBody(2, nil)
		got := send(t, ex, rawRequest{method: "GetApiKeyInfo", apiKey: k.APIKey, body: body,
			apiSign: testSign(k.PrivateKey, "/kraken/0/private/GetApiKeyInfo", "2", body)})
		if got.errString() != "EAPI:Invalid signature" {
			t.Errorf("signed over the prefix: error = %q, want EAPI:Invalid signature", got.errString())
		}
		got = send(t, ex, rawRequest{path: "/0/private/GetApiKeyInfo", apiKey: k.APIKey, body: formBody(3, nil)})
		if got.Status != http.StatusNotFound {
			t.Errorf("without the prefix: status = %d, want 404", got.Status)
		}
	})

	t.Run("only POST is served", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		got := send(t, ex, rawRequest{method: "Balance", httpMethod: http.MethodGet})
		if got.Status != http.StatusMethodNotAllowed {
			t.Errorf("status = %d, want 405", got.Status)
		}
	})

	t.Run("public and unknown paths are not served", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		got := send(t, ex, rawRequest{path: "/0/public/Time"})
		if got.Status != http.StatusNotFound {
			t.Errorf("status = %d, want 404", got.Status)
		}
	})
}

func TestExchange_Calls(t *testing.T) {
	ex, clock := newTestExchange(t)
	k := ex.AddKey(Key{Permissions: perms(kraken.ExportData)})
	call(t, ex, k, "ExportStatus", 7, url.Values{"report": {"ledgers"}})
	call(t, ex, k, "Balance", 7, nil)

	want := []Call{
		{Method: "ExportStatus", APIKey: k.APIKey, Nonce: 7, Params: url.Values{"report": {"ledgers"}}, Errors: []string{}, At: clock.Now()},
		{Method: "Balance", APIKey: k.APIKey, Nonce: 7, Params: url.Values{}, Errors: []string{"EAPI:Invalid nonce"}, At: clock.Now()},
	}
	got := ex.Calls()
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("Calls() =\n%s\nwant\n%s", gotJSON, wantJSON)
	}

	got[0].Params.Set("report", "changed")
	if again := ex.Calls(); again[0].Params.Get("report") != "ledgers" {
		t.Error("Calls returns the exchange's own maps")
	}
	ex.ResetCalls()
	if got := ex.Calls(); len(got) != 0 {
		t.Errorf("after ResetCalls: %d calls", len(got))
	}
}

func TestExchange_Latency(t *testing.T) {
	t.Run("an answer waits for the latency", func(t *testing.T) {
		ex := New(WithLatency(50 * time.Millisecond))
		defer ex.Close()
		k := ex.AddKey(Key{})
		start := time.Now()
		if got := call(t, ex, k, "GetApiKeyInfo", 1, nil); got.errString() != "" {
			t.Fatal(got.errString())
		}
		if took := time.Since(start); took < 50*time.Millisecond {
			t.Errorf("answered after %v, want at least 50ms", took)
		}
	})

	t.Run("a client that gives up may still have used its nonce", func(t *testing.T) {
		ex := New()
		defer ex.Close()
		ex.SetLatency(time.Minute)
		k := ex.AddKey(Key{})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := sendRaw(ctx, ex, signed(k, "GetApiKeyInfo", 5, nil))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want a deadline", err)
		}
		if got, _ := ex.Key(k.APIKey); got.Nonce != 5 {
			t.Errorf("Key().Nonce = %d, want 5", got.Nonce)
		}
	})

	t.Run("Close does not wait for pending answers", func(t *testing.T) {
		ex := New(WithLatency(time.Hour))
		k := ex.AddKey(Key{})
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			sendRaw(ctx, ex, signed(k, "GetApiKeyInfo", 1, nil))
		}()
		for len(ex.Calls()) == 0 {
			time.Sleep(time.Millisecond)
		}
		done := make(chan struct{})
		go func() { ex.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			t.Fatal("Close is still waiting for an answer")
		}
	})
}

func TestExchange_Concurrency(t *testing.T) {
	ex := New(WithLockoutAfter(0))
	defer ex.Close()
	const keys, callsPerKey = 4, 10
	var wg sync.WaitGroup
	errs := make(chan string, keys*callsPerKey)
	for range keys {
		k := ex.AddKey(Key{Tier: kraken.Pro, NonceWindow: 1000, Permissions: perms(kraken.QueryFunds)})
		var n nonces
		for range callsPerKey {
			wg.Go(func() {
				got, err := sendRaw(context.Background(), ex, signed(k, "Balance", n.Next(), nil))
				switch {
				case err != nil:
					errs <- err.Error()
				case got.errString() != "":
					errs <- got.errString()
				}
			})
		}
		wg.Go(func() {
			ex.UpdateKey(k.APIKey, func(k *Key) { k.Name = "renamed" })
			ex.Key(k.APIKey)
			ex.Calls()
			ex.Counter(k.APIKey)
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("a concurrent call failed: %s", e)
	}
	if got := len(ex.Calls()); got != keys*callsPerKey {
		t.Errorf("recorded %d calls, want %d", got, keys*callsPerKey)
	}
}
