package remind

import (
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

func TestCheckDue(t *testing.T) {
	checkedAgo := func(d time.Duration) func(r *vault.Record) {
		return func(r *vault.Record) { r.LastCheck.At = t0.Add(-d) }
	}
	tests := []struct {
		name   string
		record vault.Record
		state  State
		want   bool
	}{
		{name: "a key never checked is due at once", record: taxKey(func(r *vault.Record) { r.LastCheck = nil }), want: true},
		{name: "checked 23 hours ago: not yet", record: taxKey(checkedAgo(23 * time.Hour)), want: false},
		{name: "checked 24 hours ago: due", record: taxKey(checkedAgo(24 * time.Hour)), want: true},
		{name: "checked a week ago: due", record: taxKey(checkedAgo(7 * day)), want: true},
		{
			name:   "a background check started an hour ago counts, even if its result was not saved",
			record: taxKey(checkedAgo(3 * day)),
			state:  State{Checked: sent(t0.Add(-time.Hour), "k1")},
			want:   false,
		},
		{name: "a key whose 2FA code is typed: never", record: taxKey(checkedAgo(7*day), noChecks), want: false},
		{
			name:   "a key whose 2FA code is typed: never, even when asked for",
			record: taxKey(checkedAgo(7*day), noChecks),
			state:  State{AutoCheck: map[string]bool{"k1": true}},
			want:   false,
		},
		{name: "a key with its 2FA seed in the keyring: due", record: taxKey(checkedAgo(7*day), func(r *vault.Record) { r.TwoFA = vault.TwoFASeed }), want: true},
		{name: "a trading-bot key: off by default", record: botKey(checkedAgo(7 * day)), want: false},
		{
			name:   "a trading-bot key the person opted in",
			record: botKey(checkedAgo(7 * day)),
			state:  State{AutoCheck: map[string]bool{"k2": true}},
			want:   true,
		},
		{
			name:   "a key a running program uses: off by default",
			record: taxKey(checkedAgo(7 * day)),
			state:  State{InUse: map[string]bool{"k1": true}},
			want:   false,
		},
		{
			name:   "a key a running program uses, opted in",
			record: taxKey(checkedAgo(7 * day)),
			state:  State{InUse: map[string]bool{"k1": true}, AutoCheck: map[string]bool{"k1": true}},
			want:   true,
		},
		{
			name:   "a tax key the person opted out",
			record: taxKey(checkedAgo(7 * day)),
			state:  State{AutoCheck: map[string]bool{"k1": false}},
			want:   false,
		},
		{name: "a parked key: due, to see whether anything uses it", record: taxKey(checkedAgo(7*day), func(r *vault.Record) { r.Status = vault.StatusParked }), want: true},
		{name: "a revoked key: never", record: taxKey(checkedAgo(7*day), func(r *vault.Record) { r.Status = vault.StatusRevoked }), want: false},
		{name: "a leaked key: never", record: taxKey(checkedAgo(7*day), func(r *vault.Record) { r.Status = vault.StatusCompromised }), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := len(CheckDue([]vault.Record{tt.record}, tt.state, t0)) == 1
			if got != tt.want {
				t.Errorf("CheckDue: due = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCanAutoCheck(t *testing.T) {
	tests := []struct {
		name   string
		record vault.Record
		want   bool
	}{
		{name: "an active key can", record: taxKey(), want: true},
		{name: "a key whose code is typed cannot, and says why", record: taxKey(noChecks), want: false},
		{name: "a revoked key cannot, and says why", record: taxKey(func(r *vault.Record) { r.Status = vault.StatusRevoked }), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := CanAutoCheck(tt.record)
			if ok != tt.want || (why == "") != ok {
				t.Errorf("CanAutoCheck = %v, %q; want %v with a reason exactly when not", ok, why, tt.want)
			}
		})
	}
}
