package check_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func TestRunner_Check_nonceScale(t *testing.T) {
	f := newFixture(t)
	rec, k := f.add(t, krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds}, NonceWindow: 1_000_000}, vault.TwoFANone, kraken.QueryFunds)
	rec.UsedBy = []string{"gobot"}

	// The user's Go bot uses the key with nanosecond nonces, as Go clients do.
	bot := strconv.FormatInt(time.Now().UnixNano(), 10)
	if errs, err := krakentest.PeerCall(t.Context(), f.ex.URL(), k, krakentest.PeerRequest{Method: "Balance", Nonce: bot}); err != nil || len(errs) != 0 {
		t.Fatalf("the bot's call: %q, %v", errs, err)
	}

	t.Run("a millisecond check fails with the plain advice and is not retried", func(t *testing.T) {
		f.ex.ResetCalls()
		rb := f.runner.Check(context.Background(), rec, check.Options{}, time.Now())
		if rb.Outcome != vault.OutcomeError || rb.Unreached {
			t.Fatalf("readback %+v, want an error about the key", rb)
		}
		if rb.Problem != check.InvalidNonceAdvice("", rec.UsedBy) {
			t.Errorf("problem %q, want the nonce advice", rb.Problem)
		}
		for _, want := range []string{"gobot", "nanoseconds", "never a larger one"} {
			if !strings.Contains(rb.Problem, want) {
				t.Errorf("problem %q does not say %q", rb.Problem, want)
			}
		}
		if n := len(f.ex.Calls()); n != 1 {
			t.Errorf("%d calls, want 1", n)
		}
		if got, _ := f.ex.Key(k.APIKey); strconv.FormatUint(got.Nonce, 10) != bot {
			t.Errorf("the key's nonce moved to %d: Keywarden raised it by itself", got.Nonce)
		}
	})
	t.Run("the record switched to nanoseconds checks cleanly", func(t *testing.T) {
		rec := rec
		rec.NonceScale = kraken.NonceNanoseconds
		rb := f.runner.Check(context.Background(), rec, check.Options{}, time.Now())
		if rb.Outcome != vault.OutcomeOK {
			t.Fatalf("outcome %q (%s), want ok", rb.Outcome, rb.Problem)
		}
		if rb.NonceScale != kraken.NonceNanoseconds {
			t.Errorf("observed scale %q, want ns", rb.NonceScale)
		}
		check.Apply(&rec, rb)
		if rec.NonceScale != kraken.NonceNanoseconds {
			t.Errorf("Apply changed the record's scale to %q", rec.NonceScale)
		}
		calls := f.ex.Calls()
		if last := calls[len(calls)-1]; len(strconv.FormatUint(last.Nonce, 10)) != 19 {
			t.Errorf("nonce %d, want 19 digits", last.Nonce)
		}
	})
}

func TestInvalidNonceAdvice(t *testing.T) {
	tests := []struct {
		scale  kraken.NonceScale
		usedBy []string
		want   []string
	}{
		{"", nil, []string{"A program that uses this key", "microseconds (16 digits", "nanoseconds (19 digits", "never a larger one"}},
		{kraken.NonceMilliseconds, []string{"freqtrade", "koinly"}, []string{"(freqtrade, koinly)", "nonce scale"}},
		{kraken.NonceMicroseconds, []string{"bot"}, []string{"microsecond nonce", "set this key's nonce scale to nanoseconds", "nonce window"}},
		{kraken.NonceNanoseconds, []string{"bot"}, []string{"nanosecond nonce", "a program that uses this key (bot) called at the same moment", "nonce window"}},
	}
	for _, tt := range tests {
		t.Run("on a "+tt.scale.OrDefault().String()+" key", func(t *testing.T) {
			got := check.InvalidNonceAdvice(tt.scale, tt.usedBy)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("advice %q does not say %q", got, w)
				}
			}
			if len(got) > check.MaxProblem {
				t.Errorf("advice of %d characters, over MaxProblem", len(got))
			}
		})
	}
}

func TestSuggestedNonceScale(t *testing.T) {
	tests := []struct {
		name   string
		record kraken.NonceScale
		seen   kraken.NonceScale
		want   kraken.NonceScale
		wantOK bool
	}{
		{"a larger scale seen is suggested", "", kraken.NonceNanoseconds, kraken.NonceNanoseconds, true},
		{"microseconds seen on a millisecond key is suggested", kraken.NonceMilliseconds, kraken.NonceMicroseconds, kraken.NonceMicroseconds, true},
		{"the same scale is not", kraken.NonceMicroseconds, kraken.NonceMicroseconds, "", false},
		{"a smaller scale is not", kraken.NonceNanoseconds, kraken.NonceMilliseconds, "", false},
		{"nothing seen is not", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := vault.Record{NonceScale: tt.record, LastCheck: &vault.Readback{NonceScale: tt.seen}}
			got, ok := check.SuggestedNonceScale(rec)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("SuggestedNonceScale = %q, %v; want %q, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
	if _, ok := check.SuggestedNonceScale(vault.Record{}); ok {
		t.Error("a record never checked got a suggestion")
	}
}
