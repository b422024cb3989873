package cli_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// A bot uses the key with nanosecond nonces (as many Go clients do): after
// its first call every millisecond check fails with "Invalid nonce". The
// person sets the key's nonce scale to nanoseconds, and the check passes.
func TestNonceScale_switchToTheBotsScale(t *testing.T) {
	f := newFixture(t)
	rec, k := f.add("freqtrade-vps", []kraken.Permission{kraken.QueryFunds}, "--used-by", "freqtrade")
	nonce := strconv.FormatInt(time.Now().UnixNano(), 10)
	if errs, err := krakentest.PeerCall(context.Background(), f.ex.URL(), k, krakentest.PeerRequest{Method: "Balance", Nonce: nonce}); err != nil || len(errs) > 0 {
		t.Fatalf("the bot's call: %v %v", errs, err)
	}

	res := f.run("", "check", rec.Name)
	if res.code == 0 || !strings.Contains(res.out+res.err, "nanosecond") {
		t.Fatalf("check after the bot's nanosecond call: exit %d, want a failure that names nanoseconds\n%v", res.code, res)
	}
	if r := f.record(rec.Name); r.NonceScale != "" {
		t.Fatalf("Keywarden raised the scale by itself to %q", r.NonceScale)
	}

	res = f.run("", "nonce-scale", rec.Name, "ns")
	if res.code != 0 || !strings.Contains(res.out, "nanosecond nonces (19 digits)") {
		t.Fatalf("nonce-scale ns: %v", res)
	}
	if r := f.record(rec.Name); r.NonceScale != kraken.NonceNanoseconds {
		t.Fatalf("the record's scale is %q", r.NonceScale)
	}
	if res = f.run("", "check", rec.Name); res.code != 0 {
		t.Fatalf("check with the nanosecond scale: %v", res)
	}
	if res = f.run("", "nonce-scale", rec.Name, "hours"); res.code != 2 {
		t.Errorf("a scale that is none: %v", res)
	}
}
