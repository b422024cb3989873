package kraken

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// Tier is the account's verification tier, which sets how fast its keys'
// call counters decay and how high they may go.
type Tier int

// The verification tiers. Starter is the most cautious and the default.
const (
	Starter Tier = iota
	Intermediate
	Pro
)

// String returns the tier's name as the website spells it.
func (t Tier) String() string {
	switch t {
	case Starter:
		return "Starter"
	case Intermediate:
		return "Intermediate"
	case Pro:
		return "Pro"
	}
	return fmt.Sprintf("Tier(%d)", int(t))
}

// limits returns the counter's maximum and its decay per second. An unknown
// tier gets Starter's limits, the strictest.
func (t Tier) limits() (maxCount, decayPerSecond float64) {
	switch t {
	case Intermediate:
		return 20, 0.5
	case Pro:
		return 20, 1
	}
	return 15, 0.33
}

// CallCost returns how much a call to the private method adds to the key's
// REST call counter: 2 for ledger and trade-history calls, 0 for AddOrder
// and CancelOrder, 1 for all others. The exchange's rate-limit guide puts
// order placing and cancelling on a separate trading limiter (per pair,
// penalising short-lived orders), which Keywarden does not model: it sends
// at most one validate-only AddOrder and one CancelOrder of no order per
// probe run. ccxt costs them 0 as well.
func CallCost(method string) int {
	switch method {
	case "Ledgers", "QueryLedgers", "TradesHistory":
		return 2
	case "AddOrder", "CancelOrder":
		return 0
	}
	return 1
}

// Clock is where a Client reads the time and waits. Tests replace it with
// WithClock to check waiting without sleeping.
type Clock interface {
	Now() time.Time
	// Sleep waits for d, or until ctx ends, which it then returns.
	Sleep(ctx context.Context, d time.Duration) error
}

// systemClock is the real Clock.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RateCounter models a key's call counter on the exchange: each call adds
// its cost, and the counter decays continuously at the tier's rate, never
// below zero. A call that would take it over the tier's maximum must wait.
// It is safe for concurrent use; share one between Clients of the same key.
type RateCounter struct {
	mu    sync.Mutex
	tier  Tier
	count float64   // the counter's value at `at`
	at    time.Time // when count was last brought up to date
}

// NewRateCounter returns an empty counter for a key of the given tier.
func NewRateCounter(tier Tier) *RateCounter {
	return &RateCounter{tier: tier}
}

// Tier returns the tier the counter models.
func (r *RateCounter) Tier() Tier {
	return r.tier
}

// level is the counter's value at now; r.mu must be held.
func (r *RateCounter) level(now time.Time) float64 {
	if r.at.IsZero() || !now.After(r.at) {
		return r.count
	}
	_, decay := r.tier.limits()
	return math.Max(0, r.count-decay*now.Sub(r.at).Seconds())
}

// Level returns the counter's value at now.
func (r *RateCounter) Level(now time.Time) float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.level(now)
}

// Delay says how long after now a call of the given cost must wait so the
// counter stays within the tier's maximum; zero means it fits now. A cost
// above the maximum waits until the counter is empty. Delay changes nothing.
func (r *RateCounter) Delay(cost int, now time.Time) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.delay(cost, now)
}

func (r *RateCounter) delay(cost int, now time.Time) time.Duration {
	maxCount, decay := r.tier.limits()
	level := r.level(now)
	excess := level + float64(cost) - maxCount
	if float64(cost) > maxCount {
		excess = level
	}
	if excess <= 1e-9 {
		return 0
	}
	return time.Duration(math.Ceil(excess / decay * float64(time.Second)))
}

// Charge adds cost to the counter at now.
func (r *RateCounter) Charge(cost int, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.charge(cost, now)
}

func (r *RateCounter) charge(cost int, now time.Time) {
	r.count = r.level(now) + float64(cost)
	if now.After(r.at) {
		r.at = now
	}
}

// Fill sets the counter to its maximum at now, for when the exchange says
// the key is over its limit: the next call then waits for the counter to
// decay instead of failing again.
func (r *RateCounter) Fill(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	maxCount, _ := r.tier.limits()
	r.count = maxCount
	if now.After(r.at) {
		r.at = now
	}
}

// Wait blocks until a call of the given cost fits, then charges it. It
// returns ctx's error, charging nothing, if ctx ends first. A nil clock
// means the system clock.
func (r *RateCounter) Wait(ctx context.Context, cost int, clock Clock) error {
	if clock == nil {
		clock = systemClock{}
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		r.mu.Lock()
		now := clock.Now()
		d := r.delay(cost, now)
		if d == 0 {
			r.charge(cost, now)
			r.mu.Unlock()
			return nil
		}
		r.mu.Unlock()
		if err := clock.Sleep(ctx, d); err != nil {
			return err
		}
	}
}
