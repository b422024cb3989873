package keys_test

import (
	"context"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// The question before a nonce scale change names each program and what
// happens to it; a scale the key has seen already locks nobody out.
func TestNonceScaleChange(t *testing.T) {
	r := vault.Record{Name: "bot", UsedBy: []string{"freqtrade", " Koinly "}}
	up := keys.NonceScaleChange(r, kraken.NonceNanoseconds)
	if !up.Danger || len(up.Programs) != 2 || !strings.HasPrefix(up.Programs[0], "freqtrade: ") || !strings.Contains(up.Programs[1], "for good") {
		t.Errorf("raising: %+v", up)
	}
	r.NonceSeen = kraken.NonceNanoseconds
	if same := keys.NonceScaleChange(r, kraken.NonceNanoseconds); same.Danger {
		t.Errorf("raising to a scale the key has seen: %+v, want no danger", same)
	}
	r.NonceScale = kraken.NonceNanoseconds
	if down := keys.NonceScaleChange(r, kraken.NonceMilliseconds); !down.Danger || !strings.Contains(down.Intro, "fail") {
		t.Errorf("lowering below what the key has seen: %+v", down)
	}
	r.UsedBy = nil
	if none := keys.NonceScaleChange(vault.Record{Name: "x"}, kraken.NonceMicroseconds); len(none.Programs) != 1 || !strings.Contains(none.Programs[0], "No program") {
		t.Errorf("no program recorded: %+v", none)
	}
}

// A check after the scale went up and back explains why it fails, and
// the key remembers the largest scale it saw across failed checks.
func TestCheck_afterScaleBackExplainsNonce(t *testing.T) {
	f := newFixture(t)
	rec, _ := f.add(t, "bot")
	ctx := context.Background()
	if _, err := f.svc.SetNonceScale(rec.ID, kraken.NonceMicroseconds); err != nil {
		t.Fatal(err)
	}
	if _, rb, err := f.svc.Check(ctx, rec.ID, ""); err != nil || rb.Outcome != vault.OutcomeOK {
		t.Fatalf("check at µs: %v %v", rb, err)
	}
	if _, err := f.svc.SetNonceScale(rec.ID, kraken.NonceMilliseconds); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		got, rb, err := f.svc.Check(ctx, rec.ID, "")
		if err != nil || rb.Outcome != vault.OutcomeError || !strings.Contains(rb.Problem, "already seen microseconds") {
			t.Errorf("check %d at ms: %q %v", i+1, rb.Problem, err)
		}
		if got.NonceSeen != kraken.NonceMicroseconds {
			t.Errorf("check %d: the key forgot it saw microseconds: %q", i+1, got.NonceSeen)
		}
	}
}
