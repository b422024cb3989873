package kraken_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/keywarden/keywarden/kraken"
)

func TestTier_String(t *testing.T) {
	tests := []struct {
		tier kraken.Tier
		want string
	}{
		{kraken.Starter, "Starter"},
		{kraken.Intermediate, "Intermediate"},
		{kraken.Pro, "Pro"},
		{kraken.Tier(7), "Tier(7)"},
	}
	for _, tt := range tests {
		if got := tt.tier.String(); got != tt.want {
			t.Errorf("Tier(%d).String() = %q, want %q", int(tt.tier), got, tt.want)
		}
	}
}

func TestCallCost(t *testing.T) {
	tests := []struct {
		method string
		want   int
	}{
		{"Ledgers", 2},
		{"QueryLedgers", 2},
		{"TradesHistory", 2},
		{"Balance", 1},
		{"GetApiKeyInfo", 1},
		{"AddOrder", 0},
		{"CancelOrder", 0},
	}
	for _, tt := range tests {
		if got := kraken.CallCost(tt.method); got != tt.want {
			t.Errorf("CallCost(%q) = %d, want %d", tt.method, got, tt.want)
		}
	}
}

// secondsOf returns a duration of s seconds, rounded up to the nanosecond.
func secondsOf(s float64) time.Duration { return time.Duration(math.Ceil(s * 1e9)) }

func TestRateCounter_Delay(t *testing.T) {
	t0 := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	type charge struct {
		cost int
		at   time.Duration // after t0
	}
	tests := []struct {
		name    string
		tier    kraken.Tier
		charges []charge
		cost    int
		at      time.Duration
		want    time.Duration
	}{
		{"an empty counter lets a call through", kraken.Starter, nil, 1, 0, 0},
		{"a call that reaches the maximum exactly fits", kraken.Starter, []charge{{14, 0}}, 1, 0, 0},
		{"a full Starter counter waits one unit at 0.33 per second", kraken.Starter, []charge{{15, 0}}, 1, 0, secondsOf(1 / 0.33)},
		{"a ledger call on a nearly full Starter counter waits for two units less one", kraken.Starter, []charge{{14, 0}}, 2, 0, secondsOf(1 / 0.33)},
		{"the wait shrinks as the counter decays", kraken.Starter, []charge{{15, 0}}, 1, time.Second, secondsOf((15 - 0.33 + 1 - 15) / 0.33)},
		{"after the wait the call fits", kraken.Starter, []charge{{15, 0}}, 1, secondsOf(1 / 0.33), 0},
		{"a full Intermediate counter decays 0.5 per second", kraken.Intermediate, []charge{{20, 0}}, 2, 0, 4 * time.Second},
		{"Intermediate allows 20", kraken.Intermediate, []charge{{19, 0}}, 1, 0, 0},
		{"a full Pro counter decays 1 per second", kraken.Pro, []charge{{20, 0}}, 1, 0, time.Second},
		{"Pro forgets ten calls in ten seconds", kraken.Pro, []charge{{20, 0}}, 10, 10 * time.Second, 0},
		{"the counter never decays below zero", kraken.Starter, []charge{{5, 0}, {15, time.Hour}}, 1, time.Hour, secondsOf(1 / 0.33)},
		{"charges add up", kraken.Pro, []charge{{10, 0}, {10, 0}}, 1, 0, time.Second},
		{"an unknown tier gets Starter's limits", kraken.Tier(9), []charge{{15, 0}}, 1, 0, secondsOf(1 / 0.33)},
		{"a cost above the maximum waits for an empty counter", kraken.Pro, []charge{{3, 0}}, 25, 0, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := kraken.NewRateCounter(tt.tier)
			for _, c := range tt.charges {
				r.Charge(c.cost, t0.Add(c.at))
			}
			got := r.Delay(tt.cost, t0.Add(tt.at))
			if diff := got - tt.want; diff < -time.Microsecond || diff > time.Microsecond {
				t.Errorf("Delay(%d) = %v, want %v", tt.cost, got, tt.want)
			}
			// Delay changes nothing.
			if again := r.Delay(tt.cost, t0.Add(tt.at)); again != got {
				t.Errorf("second Delay = %v, first %v", again, got)
			}
		})
	}
}

func TestRateCounter_Fill(t *testing.T) {
	t0 := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	r := kraken.NewRateCounter(kraken.Pro)
	r.Fill(t0)
	if got, want := r.Level(t0), 20.0; got != want {
		t.Errorf("Level after Fill = %v, want %v", got, want)
	}
	if got, want := r.Delay(1, t0), time.Second; got != want {
		t.Errorf("Delay after Fill = %v, want %v", got, want)
	}
}

func TestRateCounter_Wait(t *testing.T) {
	t.Run("a call that fits is charged without waiting", func(t *testing.T) {
		clock := newFakeClock()
		r := kraken.NewRateCounter(kraken.Starter)
		if err := r.Wait(t.Context(), 2, clock); err != nil {
			t.Fatal(err)
		}
		if got := clock.Slept(); got != 0 {
			t.Errorf("slept %v, want 0", got)
		}
		if got := r.Level(clock.Now()); got != 2 {
			t.Errorf("Level = %v, want 2", got)
		}
	})
	t.Run("a call over the maximum waits until it fits, then is charged", func(t *testing.T) {
		clock := newFakeClock()
		r := kraken.NewRateCounter(kraken.Intermediate)
		r.Charge(20, clock.Now())
		if err := r.Wait(t.Context(), 2, clock); err != nil {
			t.Fatal(err)
		}
		if got, want := clock.Slept(), 4*time.Second; got != want {
			t.Errorf("slept %v, want %v", got, want)
		}
		if got := r.Level(clock.Now()); math.Abs(got-20) > 1e-9 {
			t.Errorf("Level = %v, want 20", got)
		}
	})
	t.Run("a cancelled context ends the wait and charges nothing", func(t *testing.T) {
		clock := newFakeClock()
		r := kraken.NewRateCounter(kraken.Pro)
		r.Charge(20, clock.Now())
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := r.Wait(ctx, 1, clock); !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait = %v, want context.Canceled", err)
		}
		if got := r.Level(clock.Now()); got != 20 {
			t.Errorf("Level = %v, want 20", got)
		}
	})
	t.Run("the system clock really waits", func(t *testing.T) {
		r := kraken.NewRateCounter(kraken.Pro)
		r.Charge(20, time.Now().Add(-980*time.Millisecond))
		start := time.Now()
		if err := r.Wait(t.Context(), 1, nil); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < 10*time.Millisecond || waited > 2*time.Second {
			t.Errorf("waited %v, want about 20ms", waited)
		}
	})
}
