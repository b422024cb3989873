package ui

import (
	"testing"
	"time"
)

func TestRelative(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		d    time.Duration
		want string
	}{
		{"a week's snooze read a second later", 7*24*time.Hour - time.Second, "in 7 days"},
		{"a day's snooze read a minute later", 24*time.Hour - time.Minute, "in 1 day"},
		{"a few seconds ago", -10 * time.Second, "just now"},
		{"59 and a half minutes ago", -(59*time.Minute + 40*time.Second), "1 hour ago"},
		{"3 hours ahead", 3*time.Hour - 5*time.Second, "in 3 hours"},
		{"36 hours ago rounds to 2 days", -36 * time.Hour, "2 days ago"},
		{"90 days ahead", 90 * 24 * time.Hour, "in 3 months"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := relative(now.Add(tc.d), now); got != tc.want {
				t.Errorf("relative(now%+v) = %q, want %q", tc.d, got, tc.want)
			}
		})
	}
}
