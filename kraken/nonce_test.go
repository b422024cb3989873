package kraken

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestNonceSource_Next(t *testing.T) {
	t0 := time.UnixMilli(1772627060997)
	tests := []struct {
		name  string
		times []time.Time // what the clock says at each call
		want  []int64
	}{
		{"each call takes the clock's milliseconds", []time.Time{t0, t0.Add(5 * time.Millisecond)}, []int64{1772627060997, 1772627061002}},
		{"calls in the same millisecond get last plus one", []time.Time{t0, t0, t0.Add(999 * time.Microsecond)}, []int64{1772627060997, 1772627060998, 1772627060999}},
		{"the clock catching up takes over again", []time.Time{t0, t0, t0.Add(10 * time.Millisecond)}, []int64{1772627060997, 1772627060998, 1772627061007}},
		{"a clock stepping back never lowers the nonce", []time.Time{t0, t0.Add(-time.Hour)}, []int64{1772627060997, 1772627060998}},
		{"sub-millisecond time never reaches the nonce", []time.Time{t0.Add(123456 * time.Nanosecond)}, []int64{1772627060997}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := 0
			s := &nonceSource{now: func() time.Time { i++; return tt.times[i-1] }}
			for j, want := range tt.want {
				if got := s.next(); got != want {
					t.Errorf("call %d: next() = %d, want %d", j, got, want)
				}
			}
		})
	}
}

func TestNonceSource_Next_concurrent(t *testing.T) {
	const goroutines, perGoroutine = 32, 200
	var mu sync.Mutex
	clock := time.UnixMilli(1772627060997)
	s := &nonceSource{now: func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(50 * time.Microsecond) // 20 calls per millisecond
		return clock
	}}

	got := make([][]int64, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for range perGoroutine {
				got[g] = append(got[g], s.next())
			}
		})
	}
	wg.Wait()

	seen := make(map[int64]bool)
	for g, nonces := range got {
		for i, n := range nonces {
			if seen[n] {
				t.Fatalf("nonce %d issued twice", n)
			}
			seen[n] = true
			if i > 0 && n <= nonces[i-1] {
				t.Fatalf("goroutine %d: nonce %d after %d, not increasing in issue order", g, n, nonces[i-1])
			}
		}
	}
	// Never above millisecond scale: at most one ahead of the clock per call.
	if limit := clock.UnixMilli() + goroutines*perGoroutine; s.last > limit {
		t.Errorf("last nonce %d runs ahead of the clock's %d ms", s.last, clock.UnixMilli())
	}
}

func TestProcessNonces_areMilliseconds(t *testing.T) {
	before := time.Now().UnixMilli()
	got := processNonces[NonceMilliseconds].next()
	after := time.Now().UnixMilli()
	// Other tests in this process may have taken a few nonces ahead.
	if got < before || got > after+10000 {
		t.Errorf("processNonces.next() = %d, want milliseconds near %d", got, before)
	}
}

func TestKeyLock(t *testing.T) {
	t.Run("one API key has one lock across the process", func(t *testing.T) {
		first, second := lockFor("key-a"), lockFor("key-a")
		if first != second {
			t.Error("two locks for the same key")
		}
		if lockFor("key-a") == lockFor("key-b") {
			t.Error("two keys share a lock")
		}
	})
	t.Run("waiting for a held lock ends with the context", func(t *testing.T) {
		l := lockFor("key-held")
		if err := l.lock(context.Background()); err != nil {
			t.Fatal(err)
		}
		defer l.unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if err := l.lock(ctx); err != context.DeadlineExceeded {
			t.Errorf("lock on a held lock = %v, want DeadlineExceeded", err)
		}
	})
}
