package vault

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// Both implementations satisfy SecretStore.
var (
	_ SecretStore = (*Memory)(nil)
	_ SecretStore = (*Keyring)(nil)
)

func TestMemory(t *testing.T) {
	var m Memory // the zero value is ready
	if _, err := m.Get("a"); !errors.Is(err, ErrSecretNotFound) {
		t.Fatalf("Get of a missing ID: %v", err)
	}
	want := testSecret()
	if err := m.Set("a", want); err != nil {
		t.Fatal(err)
	}
	got, err := m.Get("a")
	if err != nil || got != want {
		t.Fatalf("round trip: %v", err)
	}
	if err := m.Set("", want); err == nil {
		t.Error("Set with an empty ID succeeded")
	}
	if ids := m.IDs(); len(ids) != 1 || ids[0] != "a" {
		t.Errorf("IDs() = %q", ids)
	}
	if err := m.Delete("a"); err != nil {
		t.Fatal(err)
	}
	if err := m.Delete("a"); !errors.Is(err, ErrSecretNotFound) {
		t.Errorf("second Delete: %v", err)
	}

	t.Run("SetError makes every call fail until cleared", func(t *testing.T) {
		m := NewMemory()
		locked := &KeyringError{Op: "get", Err: errors.New("collection is locked")}
		m.SetError(locked)
		if err := m.Set("a", want); !errors.Is(err, ErrKeyringUnavailable) {
			t.Errorf("Set: %v", err)
		}
		if _, err := m.Get("a"); !errors.Is(err, ErrKeyringUnavailable) {
			t.Errorf("Get: %v", err)
		}
		if err := m.Delete("a"); !errors.Is(err, ErrKeyringUnavailable) {
			t.Errorf("Delete: %v", err)
		}
		m.SetError(nil)
		if err := m.Set("a", want); err != nil {
			t.Errorf("after clearing: %v", err)
		}
	})

	t.Run("safe for concurrent use", func(t *testing.T) {
		m := NewMemory()
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				for i := range 200 {
					id := fmt.Sprintf("%d-%d", w, i%10)
					_ = m.Set(id, Secret{APIKey: id})
					if s, err := m.Get(id); err == nil && !strings.HasPrefix(s.APIKey, fmt.Sprint(w)) {
						t.Errorf("got another worker's secret")
					}
					if i%3 == 0 {
						_ = m.Delete(id)
					}
					_ = m.IDs()
				}
			})
		}
		wg.Wait()
	})
}

func TestSecret_NeverPrinted(t *testing.T) {
	s := testSecret()
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s", s, s, s, s), fmt.Sprint(&s)} {
		if strings.Contains(out, s.APIKey) || strings.Contains(out, s.PrivateKey) || strings.Contains(out, s.OTPSeed) {
			t.Errorf("a secret was printed: %s", out)
		}
	}
}
