package keys_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

// TestService_ExecSecret: the service itself refuses to hand a revoked or
// leaked key to a program, even while the keyring still holds its secret
// (a revocation Kraken did not confirm, a leak not yet revoked), and says
// why in words of its own; an active or parked key is handed out.
func TestService_ExecSecret(t *testing.T) {
	tests := []struct {
		name    string
		mark    func(t *testing.T, f *fixture, id string)
		wantWhy string // "" means handed out
	}{
		{"an active key is handed out", func(*testing.T, *fixture, string) {}, ""},
		{"a parked key is handed out", func(t *testing.T, f *fixture, id string) {
			if _, err := f.svc.Edit(id, keys.Edit{Name: "freqtrade-vps", Parked: true}); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"a leaked key is refused", func(t *testing.T, f *fixture, id string) {
			if _, err := f.svc.MarkCompromised(id, "found in a paste"); err != nil {
				t.Fatal(err)
			}
		}, "has leaked"},
		{"a key revoked without Kraken's confirmation is refused", func(t *testing.T, f *fixture, id string) {
			if _, err := f.svc.Revoke(context.Background(), id, "", true); err != nil {
				t.Fatal(err)
			}
		}, "is revoked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			rec, _ := f.add(t, "freqtrade-vps")
			tt.mark(t, f, rec.ID)
			if !f.hasSecret(t, rec.ID) {
				t.Fatal("the keyring lost the secret: the refusal would not be the service's")
			}
			sec, err := f.svc.ExecSecret(rec.ID)
			if tt.wantWhy == "" {
				if err != nil || sec.APIKey == "" {
					t.Fatalf("ExecSecret = %v, want the secret", err)
				}
				return
			}
			var not *keys.NotAllowedError
			if !errors.As(err, &not) || not.Action != keys.ActExec {
				t.Fatalf("ExecSecret err = %v, want a NotAllowedError for exec", err)
			}
			if sec != (vault.Secret{}) {
				t.Error("a refused key's secret was returned")
			}
			msg := keys.UserMessage(err)
			if !strings.Contains(msg, tt.wantWhy) || !strings.Contains(msg, "freqtrade-vps") {
				t.Errorf("UserMessage = %q, want the key's name and %q", msg, tt.wantWhy)
			}
			if ok, why := keys.Can(f.record(t, rec.ID), keys.ActExec); ok || why != not.Why {
				t.Errorf("Can = %v, %q; want the refusal with the same words", ok, why)
			}
		})
	}
}
