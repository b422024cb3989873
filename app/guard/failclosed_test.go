package guard

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// tamper is one way to damage, replace or hide guard.json in dir.
type tamper struct {
	name string
	do   func(t *testing.T, dir string) string // returns the folder the next guard opens
	// stuck: the state cannot be read or saved (it is not a regular file:
	// vault.ErrNotRegular), so every code is refused, naming the file.
	stuck bool
}

// stateTampers are the ways guard.json can be made to say nothing, or
// "off", while the seed stays in the keyring. Each returns the folder a
// guard is opened over afterwards.
func stateTampers() []tamper {
	write := func(body []byte) func(*testing.T, string) string {
		return func(t *testing.T, dir string) string {
			if err := os.WriteFile(filepath.Join(dir, StateName), body, 0o600); err != nil {
				t.Fatal(err)
			}
			return dir
		}
	}
	replace := func(make func(path string) error) func(*testing.T, string) string {
		return func(t *testing.T, dir string) string {
			path := filepath.Join(dir, StateName)
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			if err := make(path); err != nil {
				t.Fatal(err)
			}
			return dir
		}
	}
	padded := append([]byte(`{"schema":1,"enabled":true}`), []byte(strings.Repeat(" ", maxStateSize+1))...)
	list := []tamper{
		{"removed", replace(func(string) error { return nil }), false},
		{"emptied", write(nil), false},
		{"{}", write([]byte("{}")), false},
		{"garbage", write([]byte("\x00\xffnot json at all")), false},
		{"an unknown schema", write([]byte(`{"schema":99,"enabled":true}`)), false},
		{"switched off by hand", write([]byte(`{"schema":1,"enabled":false}`)), false},
		{"padded past 64 KiB", write(padded), false},
		{"a folder in its place", replace(func(p string) error { return os.Mkdir(p, 0o700) }), true},
		{"another config folder", func(t *testing.T, _ string) string { return t.TempDir() }, false},
	}
	if runtime.GOOS != "windows" { // symlinks need privileges there, and FIFOs do not exist
		list = append(list,
			tamper{"a symlink to /dev/null", replace(func(p string) error { return os.Symlink(os.DevNull, p) }), true},
			tamper{"a symlink to a missing file", replace(func(p string) error { return os.Symlink(filepath.Join(filepath.Dir(p), "gone"), p) }), false},
			tamper{"a FIFO", replace(mkfifo), true},
		)
	}
	return list
}

// TestGuard_failsClosed: with the seed in the keyring, no damage to
// guard.json turns app 2FA off, lets a code through without the lock a
// lost state stands for, or lets a new seed be enrolled over the old one.
func TestGuard_failsClosed(t *testing.T) {
	for _, tc := range stateTampers() {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			mem := vault.NewMemory()
			if err := mem.Set(SeedID, vault.Secret{OTPSeed: testSeed}); err != nil {
				t.Fatal(err)
			}
			enableIn(t, dir)
			if err := Open(dir, mem, nil).Verify(code(t, testSeed, t0), t0); err != nil {
				t.Fatalf("before the tamper: %v", err)
			}
			dir = tc.do(t, dir)
			g := Open(dir, mem, nil)

			done := make(chan error, 1)
			go func() { done <- g.Verify(code(t, testSeed, t0), t0) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Verify blocked on the state file")
			}
			if err == nil || errors.Is(err, ErrNotEnabled) {
				t.Fatalf("a code was let through or app 2FA counted as off after the tamper: %v", err)
			}
			if !errors.Is(err, ErrLocked) && !tc.stuck {
				t.Errorf("the code used before the tamper = %v, want the lock of a lost state", err)
			}
			k, err := g.BeginEnrolment("")
			if err == nil {
				err = g.ConfirmEnrolment(k, code(t, k.Secret(), t0), t0)
			}
			if !errors.Is(err, ErrAlreadyEnabled) {
				t.Errorf("enrolling a new seed over the old one = %v, want ErrAlreadyEnabled", err)
			}
			if s, _ := mem.Get(SeedID); s.OTPSeed != testSeed {
				t.Fatal("the seed in the keyring was replaced")
			}
			// After the lock, the right code of the moment works again.
			later := t0.Add(LockTimeout + Period)
			if err := g.Verify(code(t, testSeed, later), later); (err != nil) != tc.stuck {
				t.Errorf("a fresh code after the lock: %v (the state cannot be saved: %v)", err, tc.stuck)
			}
		})
	}
}

// TestGuard_lostStateRefusesRecentCodes: after guard.json is lost, the codes
// of the current and the previous time step count as used, also once the
// lock is over, and the lock says why it is there.
func TestGuard_lostStateRefusesRecentCodes(t *testing.T) {
	dir := t.TempDir()
	g := sharedGuard(t, dir)
	enableIn(t, dir)
	if err := os.Remove(filepath.Join(dir, StateName)); err != nil {
		t.Fatal(err)
	}
	prev := t0.Add(-Period)
	for _, at := range []time.Time{t0, prev} {
		err := g.Verify(code(t, testSeed, at), t0)
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("the code of %v after the loss = %v, want the rebuilt lock", at, err)
		}
		if !strings.Contains(UserMessage(err), "missing or damaged") {
			t.Errorf("UserMessage = %q, want it to say the record was lost", UserMessage(err))
		}
	}
	st, err := OpenState(dir).Load()
	if err != nil || !st.Enabled {
		t.Fatalf("the rebuilt state was not saved: %+v, %v", st, err)
	}
	for _, step := range []int64{counter(t0), counter(prev)} {
		if !st.used(step) {
			t.Errorf("step %d does not count as used", step)
		}
	}
}

// TestGuard_keyringDecides: whether app 2FA is on follows the seed in the
// keyring, whatever the state file says; a keyring that cannot be asked
// counts as on.
func TestGuard_keyringDecides(t *testing.T) {
	mem := vault.NewMemory()
	g := Open(t.TempDir(), mem, nil)
	if on, err := g.Required(); on || err != nil {
		t.Fatalf("no seed, no switch: Required = %v, %v; want off", on, err)
	}
	mem.SetError(&vault.KeyringError{Op: "get", Err: errors.New("locked")})
	if on, err := g.Required(); !on || !errors.Is(err, vault.ErrKeyringUnavailable) {
		t.Fatalf("keyring locked: Required = %v, %v; want on with the keyring's error", on, err)
	}
	mem.SetError(nil)
	for _, tc := range stateTampers() {
		dir := t.TempDir()
		enableIn(t, dir)
		dir = tc.do(t, dir)
		if err := mem.Set(SeedID, vault.Secret{OTPSeed: testSeed}); err != nil {
			t.Fatal(err)
		}
		if on, err := Open(dir, mem, nil).Required(); !on || err != nil {
			t.Errorf("%s: Required = %v, %v; want on", tc.name, on, err)
		}
	}
	if err := mem.Set(SeedID, vault.Secret{OTPSeed: "not base32 !"}); err != nil {
		t.Fatal(err)
	}
	if on, err := g.Required(); !on || err != nil {
		t.Fatalf("a damaged seed: Required = %v, %v; want on", on, err)
	}
}
