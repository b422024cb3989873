package guard

import (
	"encoding/base32"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/vault"
)

// t0 is 10 s into a time step, so ±1 step is ±30 s.
var t0 = time.Unix(1_700_000_020, 0)

const testSeed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

type memFlags struct {
	mu sync.Mutex
	m  map[string]bool
}

func (f *memFlags) Bool(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.m[key]
}

func (f *memFlags) SetBool(key string, value bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = make(map[string]bool)
	}
	f.m[key] = value
}

// enrolled returns a guard that is on with testSeed in its keyring, as after
// a restart: the seed is read on the first Verify.
func enrolled(t *testing.T) (*Guard, *vault.Memory, *memFlags) {
	t.Helper()
	mem := vault.NewMemory()
	if err := mem.Set(SeedID, vault.Secret{OTPSeed: testSeed}); err != nil {
		t.Fatal(err)
	}
	flags := &memFlags{}
	flags.SetBool(EnabledFlag, true)
	return New(mem, flags), mem, flags
}

func code(t *testing.T, seed string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(seed, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wrongCode(t *testing.T, at time.Time) string {
	t.Helper()
	near := map[string]bool{}
	for d := -2; d <= 2; d++ {
		near[code(t, testSeed, at.Add(time.Duration(d)*Period))] = true
	}
	for _, c := range []string{"000000", "111111", "222222"} {
		if !near[c] {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

func TestGuard_Verify(t *testing.T) {
	tests := []struct {
		name string
		code func(t *testing.T) string
		want error
	}{
		{"the code of now is accepted", func(t *testing.T) string { return code(t, testSeed, t0) }, nil},
		{"the code of one step ago is accepted", func(t *testing.T) string { return code(t, testSeed, t0.Add(-Period)) }, nil},
		{"the code of one step ahead is accepted", func(t *testing.T) string { return code(t, testSeed, t0.Add(Period)) }, nil},
		{"the code of two steps ago is rejected", func(t *testing.T) string { return code(t, testSeed, t0.Add(-2*Period)) }, ErrWrongCode},
		{"the code of two steps ahead is rejected", func(t *testing.T) string { return code(t, testSeed, t0.Add(2*Period)) }, ErrWrongCode},
		{"spaces and a dash are ignored", func(t *testing.T) string {
			c := code(t, testSeed, t0)
			return " " + c[:3] + "-" + c[3:] + " "
		}, nil},
		{"five digits are not a code", func(t *testing.T) string { return "12345" }, ErrCodeFormat},
		{"letters are not a code", func(t *testing.T) string { return "12345a" }, ErrCodeFormat},
		{"an empty code is not a code", func(t *testing.T) string { return "" }, ErrCodeFormat},
		{"a wrong code is rejected", func(t *testing.T) string { return wrongCode(t, t0) }, ErrWrongCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, _, _ := enrolled(t)
			got := g.Verify(tt.code(t), t0)
			if !errors.Is(got, tt.want) {
				t.Errorf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGuard_Verify_replay(t *testing.T) {
	g, _, _ := enrolled(t)
	c := code(t, testSeed, t0)
	steps := []struct {
		name string
		code string
		at   time.Time
		want error
	}{
		{"first use", c, t0, nil},
		{"the same code again", c, t0.Add(5 * time.Second), ErrReplayed},
		{"the same code in the next step", c, t0.Add(Period), ErrReplayed},
		{"the next step's code", code(t, testSeed, t0.Add(Period)), t0.Add(Period), nil},
		{"the previous step's code, not used yet", code(t, testSeed, t0.Add(-Period)), t0, nil},
		{"the previous step's code again", code(t, testSeed, t0.Add(-Period)), t0, ErrReplayed},
	}
	for _, s := range steps {
		got := g.Verify(s.code, s.at)
		if !errors.Is(got, s.want) {
			t.Fatalf("%s: Verify = %v, want %v", s.name, got, s.want)
		}
	}
	// A replay is not a wrong code: five of them do not lock.
	for range MaxWrong + 1 {
		if err := g.Verify(c, t0); !errors.Is(err, ErrReplayed) {
			t.Fatalf("replay: Verify = %v, want ErrReplayed", err)
		}
	}
}

func TestGuard_Verify_lock(t *testing.T) {
	g, _, _ := enrolled(t)
	bad := wrongCode(t, t0)
	for i := 1; i < MaxWrong; i++ {
		err := g.Verify(bad, t0)
		var w *WrongCodeError
		if !errors.As(err, &w) || w.Left != MaxWrong-i {
			t.Fatalf("wrong code %d: Verify = %v, want %d left", i, err, MaxWrong-i)
		}
	}
	err := g.Verify(bad, t0)
	var locked *LockedError
	if !errors.As(err, &locked) || !errors.Is(err, ErrLocked) {
		t.Fatalf("wrong code %d: Verify = %v, want a *LockedError", MaxWrong, err)
	}
	if want := t0.Add(LockTimeout); !locked.Until.Equal(want) {
		t.Errorf("Until = %v, want %v", locked.Until, want)
	}
	if until, ok := g.LockedUntil(t0); !ok || !until.Equal(t0.Add(LockTimeout)) {
		t.Errorf("LockedUntil = %v, %v", until, ok)
	}

	during := t0.Add(LockTimeout - time.Second)
	if err := g.Verify(code(t, testSeed, during), during); !errors.Is(err, ErrLocked) {
		t.Errorf("right code while locked: Verify = %v, want ErrLocked", err)
	}
	after := t0.Add(LockTimeout)
	if _, ok := g.LockedUntil(after); ok {
		t.Error("still locked after the timeout")
	}
	if err := g.Verify(code(t, testSeed, after), after); err != nil {
		t.Errorf("right code after the lock: Verify = %v", err)
	}
	// The count starts afresh after the lock.
	for i := 1; i < MaxWrong; i++ {
		if err := g.Verify(wrongCode(t, after), after); !errors.Is(err, ErrWrongCode) {
			t.Fatalf("after the lock, wrong code %d: Verify = %v, want ErrWrongCode", i, err)
		}
	}
}

func TestGuard_Verify_rightCodeResetsCount(t *testing.T) {
	g, _, _ := enrolled(t)
	bad := wrongCode(t, t0)
	for range MaxWrong - 1 {
		_ = g.Verify(bad, t0)
	}
	if err := g.Verify(code(t, testSeed, t0), t0); err != nil {
		t.Fatalf("right code: %v", err)
	}
	for i := 1; i < MaxWrong; i++ {
		if err := g.Verify(bad, t0); !errors.Is(err, ErrWrongCode) {
			t.Fatalf("wrong code %d after a right one: Verify = %v, want ErrWrongCode", i, err)
		}
	}
	if err := g.Verify(bad, t0); !errors.Is(err, ErrLocked) {
		t.Fatalf("fifth wrong code in a row: Verify = %v, want ErrLocked", err)
	}
}

func TestGuard_Verify_formatDoesNotCount(t *testing.T) {
	g, _, _ := enrolled(t)
	for range 2 * MaxWrong {
		if err := g.Verify("12", t0); !errors.Is(err, ErrCodeFormat) {
			t.Fatalf("Verify = %v, want ErrCodeFormat", err)
		}
	}
	if err := g.Verify(code(t, testSeed, t0), t0); err != nil {
		t.Fatalf("right code after typos: %v", err)
	}
}

func TestGuard_Verify_notEnabled(t *testing.T) {
	g := New(vault.NewMemory(), &memFlags{})
	if g.Enabled() {
		t.Fatal("a new guard is on")
	}
	if err := g.Verify("123456", t0); !errors.Is(err, ErrNotEnabled) {
		t.Errorf("Verify = %v, want ErrNotEnabled", err)
	}
	if err := g.Disable("123456", t0); !errors.Is(err, ErrNotEnabled) {
		t.Errorf("Disable = %v, want ErrNotEnabled", err)
	}
}

func TestGuard_Verify_keyring(t *testing.T) {
	g, mem, _ := enrolled(t)
	locked := &vault.KeyringError{Op: "get", Err: errors.New("locked")}
	mem.SetError(locked)
	err := g.Verify(code(t, testSeed, t0), t0)
	if !errors.Is(err, vault.ErrKeyringUnavailable) {
		t.Fatalf("Verify with the keyring locked = %v, want ErrKeyringUnavailable", err)
	}
	if got := UserMessage(err); !strings.Contains(got, "keyring") {
		t.Errorf("UserMessage = %q, want advice about the keyring", got)
	}
	mem.SetError(nil)
	if err := g.Verify(code(t, testSeed, t0), t0); err != nil {
		t.Fatalf("Verify once the keyring opens: %v", err)
	}
	// The seed is kept in memory after the first read.
	mem.SetError(locked)
	at := t0.Add(Period)
	if err := g.Verify(code(t, testSeed, at), at); err != nil {
		t.Fatalf("Verify with the seed in memory: %v", err)
	}
}

func TestGuard_seedMissing(t *testing.T) {
	flags := &memFlags{}
	flags.SetBool(EnabledFlag, true)
	mem := vault.NewMemory()
	g := New(mem, flags)
	err := g.Verify("123456", t0)
	if !errors.Is(err, ErrSeedMissing) {
		t.Fatalf("Verify = %v, want ErrSeedMissing", err)
	}
	if err := g.Disable("123456", t0); !errors.Is(err, ErrSeedMissing) {
		t.Fatalf("Disable = %v, want ErrSeedMissing", err)
	}
	if err := g.Reset(); err != nil {
		t.Fatalf("Reset = %v", err)
	}
	if g.Enabled() {
		t.Error("still on after Reset")
	}

	g, _, _ = enrolled(t)
	if err := g.Reset(); !errors.Is(err, ErrSeedPresent) {
		t.Errorf("Reset with the seed present = %v, want ErrSeedPresent", err)
	}
	if !g.Enabled() {
		t.Error("Reset with the seed present turned it off")
	}
}

func TestGuard_enrolment(t *testing.T) {
	mem := vault.NewMemory()
	flags := &memFlags{}
	g := New(mem, flags)
	k, err := g.BeginEnrolment("alice@laptop")
	if err != nil {
		t.Fatal(err)
	}
	if k.Issuer() != Issuer || k.AccountName() != "alice@laptop" {
		t.Errorf("key for %q %q, want Keywarden alice@laptop", k.Issuer(), k.AccountName())
	}
	if g.Enabled() || len(mem.IDs()) != 0 {
		t.Fatal("BeginEnrolment turned app 2FA on or stored something")
	}

	right := code(t, k.Secret(), t0)
	wrong := "000000"
	if wrong == right {
		wrong = "111111"
	}
	if err := g.ConfirmEnrolment(k, wrong, t0); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("ConfirmEnrolment with a wrong code = %v, want ErrWrongCode", err)
	}
	if g.Enabled() || len(mem.IDs()) != 0 {
		t.Fatal("a wrong confirmation code left app 2FA on or a seed stored")
	}
	if err := g.ConfirmEnrolment(k, "12a", t0); !errors.Is(err, ErrCodeFormat) {
		t.Fatalf("ConfirmEnrolment with a malformed code = %v, want ErrCodeFormat", err)
	}

	if err := g.ConfirmEnrolment(k, right, t0); err != nil {
		t.Fatalf("ConfirmEnrolment: %v", err)
	}
	if !g.Enabled() {
		t.Fatal("not on after ConfirmEnrolment")
	}
	s, err := mem.Get(SeedID)
	if err != nil || s.OTPSeed != k.Secret() {
		t.Fatalf("keyring holds %v, %v; want the seed", s.OTPSeed != "", err)
	}
	if err := g.Verify(right, t0); !errors.Is(err, ErrReplayed) {
		t.Errorf("the enrolment code again: Verify = %v, want ErrReplayed", err)
	}
	at := t0.Add(Period)
	if err := g.Verify(code(t, k.Secret(), at), at); err != nil {
		t.Errorf("Verify after enrolment: %v", err)
	}
	if _, err := g.BeginEnrolment("bob"); !errors.Is(err, ErrAlreadyEnabled) {
		t.Errorf("BeginEnrolment while on = %v, want ErrAlreadyEnabled", err)
	}
	if err := g.ConfirmEnrolment(k, code(t, k.Secret(), at.Add(Period)), at.Add(Period)); !errors.Is(err, ErrAlreadyEnabled) {
		t.Errorf("ConfirmEnrolment while on = %v, want ErrAlreadyEnabled", err)
	}
}

func TestGuard_ConfirmEnrolment_keyringFails(t *testing.T) {
	mem := vault.NewMemory()
	g := New(mem, &memFlags{})
	k, err := g.BeginEnrolment("")
	if err != nil {
		t.Fatal(err)
	}
	if k.AccountName() != Issuer {
		t.Errorf("account for an empty name = %q, want %q", k.AccountName(), Issuer)
	}
	mem.SetError(&vault.KeyringError{Op: "set", Err: errors.New("locked")})
	err = g.ConfirmEnrolment(k, code(t, k.Secret(), t0), t0)
	if !errors.Is(err, vault.ErrKeyringUnavailable) {
		t.Fatalf("ConfirmEnrolment = %v, want ErrKeyringUnavailable", err)
	}
	if g.Enabled() {
		t.Error("on although the seed could not be stored")
	}
}

func TestGuard_Disable(t *testing.T) {
	g, mem, _ := enrolled(t)
	if err := g.Verify(code(t, testSeed, t0), t0); err != nil {
		t.Fatal(err)
	}
	seed := g.key
	at := t0.Add(Period)
	if err := g.Disable(wrongCode(t, at), at); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("Disable with a wrong code = %v, want ErrWrongCode", err)
	}
	if err := g.Disable(code(t, testSeed, t0), at); !errors.Is(err, ErrReplayed) {
		t.Fatalf("Disable with a used code = %v, want ErrReplayed", err)
	}
	if !g.Enabled() {
		t.Fatal("off after failed Disables")
	}
	if err := g.Disable(code(t, testSeed, at), at); err != nil {
		t.Fatalf("Disable: %v", err)
	}
	if g.Enabled() {
		t.Error("still on after Disable")
	}
	if _, err := mem.Get(SeedID); !errors.Is(err, vault.ErrSecretNotFound) {
		t.Errorf("keyring after Disable: %v, want ErrSecretNotFound", err)
	}
	for i, b := range seed {
		if b != 0 {
			t.Fatalf("seed byte %d not zeroed after Disable", i)
		}
	}
	if err := g.Verify(code(t, testSeed, at), at); !errors.Is(err, ErrNotEnabled) {
		t.Errorf("Verify after Disable = %v, want ErrNotEnabled", err)
	}
	// And it can be set up again.
	k, err := g.BeginEnrolment("again")
	if err != nil {
		t.Fatal(err)
	}
	if err := g.ConfirmEnrolment(k, code(t, k.Secret(), at), at); err != nil {
		t.Fatalf("enrol again: %v", err)
	}
}

func TestGuard_Disable_locked(t *testing.T) {
	g, _, _ := enrolled(t)
	for range MaxWrong {
		_ = g.Verify(wrongCode(t, t0), t0)
	}
	if err := g.Disable(code(t, testSeed, t0), t0); !errors.Is(err, ErrLocked) {
		t.Fatalf("Disable while locked = %v, want ErrLocked", err)
	}
	if !g.Enabled() {
		t.Fatal("Disable while locked turned it off")
	}
}

func TestGuard_Verify_concurrent(t *testing.T) {
	g, _, _ := enrolled(t)
	c := code(t, testSeed, t0)
	const n = 16
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { errs <- g.Verify(c, t0) })
	}
	wg.Wait()
	close(errs)
	accepted := 0
	for err := range errs {
		switch {
		case err == nil:
			accepted++
		case !errors.Is(err, ErrReplayed):
			t.Errorf("Verify = %v, want nil or ErrReplayed", err)
		}
	}
	if accepted != 1 {
		t.Errorf("the same code was accepted %d times, want once", accepted)
	}
}

// RFC 6238 appendix B, SHA-1; a 6-digit code is the last 6 of the 8 digits.
func TestHOTP_rfc6238(t *testing.T) {
	key := []byte("12345678901234567890")
	tests := []struct {
		unix int64
		want string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
		{20000000000, "353130"},
	}
	for _, tt := range tests {
		if got := hotp(key, counter(time.Unix(tt.unix, 0))); got != tt.want {
			t.Errorf("T=%d: got %s, want %s", tt.unix, got, tt.want)
		}
	}
	// And it agrees with the library the authenticator side uses.
	seed := base32.StdEncoding.EncodeToString(key)
	for i := range 200 {
		at := t0.Add(time.Duration(i) * 17 * time.Second)
		if got, want := hotp(key, counter(at)), code(t, seed, at); got != want {
			t.Fatalf("at %v: got %s, want %s", at, got, want)
		}
	}
}

func TestUserMessage(t *testing.T) {
	errs := []error{
		&WrongCodeError{Left: 3}, &WrongCodeError{Left: 1}, ErrWrongCode, ErrReplayed,
		&LockedError{Until: t0}, ErrNotEnabled, ErrAlreadyEnabled, ErrCodeFormat,
		ErrSeedMissing, ErrSeedPresent, &vault.KeyringError{Op: "get", Err: errors.New("x")},
		errors.New("something else"),
	}
	for _, err := range errs {
		got := UserMessage(err)
		if got == "" || strings.Contains(got, "guard:") || !strings.HasSuffix(got, ".") {
			t.Errorf("UserMessage(%v) = %q", err, got)
		}
	}
	if got := UserMessage(nil); got != "" {
		t.Errorf("UserMessage(nil) = %q", got)
	}
	if got := UserMessage(&WrongCodeError{Left: 1}); !strings.Contains(got, "One more") {
		t.Errorf("last try not announced: %q", got)
	}
}

func FuzzNormalise(f *testing.F) {
	for _, s := range []string{"123456", "123 456", "123-456", "12345", "1234567", "", "abcdef", "１２３４５６"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := normalise(s)
		if err != nil {
			return
		}
		if len(got) != Digits || strings.Trim(got, "0123456789") != "" {
			t.Errorf("normalise(%q) = %q", s, got)
		}
	})
}
