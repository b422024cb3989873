package krakentest

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

// keyInfoAnswer is the part of GetApiKeyInfo's answer the use tests read.
type keyInfoAnswer struct {
	Nonce    string  `json:"nonce"`
	LastUsed *string `json:"lastUsed"`
}

func askKeyInfo(t *testing.T, ex *Exchange, k Key, nonce uint64) keyInfoAnswer {
	t.Helper()
	got := call(t, ex, k, "GetApiKeyInfo", nonce, nil)
	if got.errString() != "" {
		t.Fatalf("GetApiKeyInfo: %s", got.errString())
	}
	var info keyInfoAnswer
	if err := json.Unmarshal(got.Result, &info); err != nil {
		t.Fatal(err)
	}
	return info
}

func unixText(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func TestExchange_Use(t *testing.T) {
	t.Run("another program's use is the key's last use", func(t *testing.T) {
		ex, clock := newTestExchange(t, WithKeyInfoBeforeCall())
		k := ex.AddKey(Key{Permissions: perms(kraken.QueryFunds)})
		used := clock.Now()
		if !ex.Use(k.APIKey) {
			t.Fatal("Use = false for a key in the table")
		}
		clock.Advance(time.Minute)
		info := askKeyInfo(t, ex, k, 10)
		if info.LastUsed == nil || *info.LastUsed != unixText(used) {
			t.Errorf("lastUsed = %v, want the other program's %s", info.LastUsed, unixText(used))
		}
		if got, _ := ex.Key(k.APIKey); !got.LastUsed.Equal(clock.Now()) {
			t.Errorf("after the check the key's LastUsed = %v, want the check's %v", got.LastUsed, clock.Now())
		}
		if n := len(ex.Calls()); n != 1 {
			t.Errorf("Calls holds %d calls, want only the check", n)
		}
	})
	t.Run("a key not in the table", func(t *testing.T) {
		ex, _ := newTestExchange(t)
		if ex.Use("no such key") {
			t.Error("Use = true for a key not in the table")
		}
	})
	t.Run("by default the answer shows the asking call", func(t *testing.T) {
		ex, clock := newTestExchange(t)
		k := ex.AddKey(Key{Permissions: perms(kraken.QueryFunds)})
		ex.Use(k.APIKey)
		clock.Advance(time.Minute)
		info := askKeyInfo(t, ex, k, 10)
		if info.LastUsed == nil || *info.LastUsed != unixText(clock.Now()) || info.Nonce != "10" {
			t.Errorf("answer = %+v, want lastUsed %s and nonce 10 (the call's own)", info, unixText(clock.Now()))
		}
	})
}

func TestExchange_WithKeyInfoBeforeCall(t *testing.T) {
	ex, clock := newTestExchange(t, WithKeyInfoBeforeCall())
	k := ex.AddKey(Key{Permissions: perms(kraken.QueryFunds)})
	first := askKeyInfo(t, ex, k, 10)
	if first.LastUsed != nil || first.Nonce != "0" {
		t.Errorf("first answer = %+v, want lastUsed null and nonce 0 (never used before)", first)
	}
	at := clock.Now()
	clock.Advance(time.Minute)
	second := askKeyInfo(t, ex, k, 20)
	if second.LastUsed == nil || *second.LastUsed != unixText(at) || second.Nonce != "10" {
		t.Errorf("second answer = %+v, want lastUsed %s and nonce 10 (the first call)", second, unixText(at))
	}
}
