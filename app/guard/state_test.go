package guard

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
)

// Some tests re-run this test binary as a child process in a role named by
// childEnv; TestMain runs the role instead of the tests.
const childEnv = "KEYWARDEN_GUARD_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "verify" {
		os.Exit(childVerify())
	}
	os.Exit(m.Run())
}

// childVerify opens the guard over $KW_DIR, with testSeed in its own
// in-memory keyring, checks $KW_CODE at the Unix time $KW_NOW and prints
// what came of it: ok, wrong, locked, replayed or the error.
func childVerify() int {
	mem := vault.NewMemory()
	if err := mem.Set(SeedID, vault.Secret{OTPSeed: testSeed}); err != nil {
		fmt.Println(err)
		return 1
	}
	sec, _ := strconv.ParseInt(os.Getenv("KW_NOW"), 10, 64)
	g := Open(os.Getenv("KW_DIR"), mem, nil)
	fmt.Println(outcome(g.Verify(os.Getenv("KW_CODE"), time.Unix(sec, 0))))
	return 0
}

// outcome names a Verify result in one word.
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrLocked):
		return "locked"
	case errors.Is(err, ErrReplayed):
		return "replayed"
	case errors.Is(err, ErrWrongCode):
		return "wrong"
	}
	return err.Error()
}

// childCommand returns this test binary run as a verifying child.
func childCommand(t *testing.T, dir, code string, at time.Time) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=verify", "KW_DIR="+dir, "KW_CODE="+code,
		"KW_NOW="+strconv.FormatInt(at.Unix(), 10))
	return cmd
}

// inChild runs one Verify in a child process and returns its outcome.
func inChild(t *testing.T, dir, code string, at time.Time) string {
	t.Helper()
	out, err := childCommand(t, dir, code, at).CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v: %s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// sharedGuard returns a guard over a fresh folder with app 2FA on (kept in
// guard.json) and testSeed in its keyring, as the app opens it.
func sharedGuard(t *testing.T, dir string) *Guard {
	t.Helper()
	mem := vault.NewMemory()
	if err := mem.Set(SeedID, vault.Secret{OTPSeed: testSeed}); err != nil {
		t.Fatal(err)
	}
	return Open(dir, mem, nil)
}

func enableIn(t *testing.T, dir string) {
	t.Helper()
	if err := OpenState(dir).Update(func(st *State) error { st.Enabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
}

func lockOut(t *testing.T, g *Guard, at time.Time) {
	t.Helper()
	for range MaxWrong - 1 {
		if err := g.Verify(wrongCode(t, at), at); !errors.Is(err, ErrWrongCode) {
			t.Fatalf("wrong code: %v", err)
		}
	}
	if err := g.Verify(wrongCode(t, at), at); !errors.Is(err, ErrLocked) {
		t.Fatalf("fifth wrong code: %v, want ErrLocked", err)
	}
}

func TestFileState_lockAndReplaySurviveARestart(t *testing.T) {
	dir := t.TempDir()
	enableIn(t, dir)
	lockOut(t, sharedGuard(t, dir), t0)

	restarted := sharedGuard(t, dir)
	during := t0.Add(LockTimeout / 2)
	if err := restarted.Verify(code(t, testSeed, during), during); !errors.Is(err, ErrLocked) {
		t.Fatalf("right code after a restart during the lock: %v, want ErrLocked", err)
	}
	if until, ok := restarted.LockedUntil(during); !ok || !until.Equal(t0.Add(LockTimeout)) {
		t.Errorf("LockedUntil after a restart = %v, %v", until, ok)
	}

	after := t0.Add(LockTimeout)
	c := code(t, testSeed, after)
	if err := restarted.Verify(c, after); err != nil {
		t.Fatalf("right code after the lock: %v", err)
	}
	again := sharedGuard(t, dir)
	if err := again.Verify(c, after.Add(time.Second)); !errors.Is(err, ErrReplayed) {
		t.Fatalf("the same code after another restart: %v, want ErrReplayed", err)
	}
}

func TestFileState_twoProcesses(t *testing.T) {
	dir := t.TempDir()
	enableIn(t, dir)
	g := sharedGuard(t, dir)

	// Wrong codes count across processes: two here, three in children.
	for range 2 {
		_ = g.Verify(wrongCode(t, t0), t0)
	}
	for i, want := range []string{"wrong", "wrong", "locked"} {
		if got := inChild(t, dir, wrongCode(t, t0), t0); got != want {
			t.Fatalf("child's wrong code %d: %s, want %s", i+1, got, want)
		}
	}
	during := t0.Add(time.Second)
	if err := g.Verify(code(t, testSeed, during), during); !errors.Is(err, ErrLocked) {
		t.Fatalf("here, after the child locked: %v, want ErrLocked", err)
	}
	if got := inChild(t, dir, code(t, testSeed, during), during); got != "locked" {
		t.Fatalf("another child during the lock: %s, want locked", got)
	}

	after := t0.Add(LockTimeout)
	c := code(t, testSeed, after)
	if err := g.Verify(c, after); err != nil {
		t.Fatalf("right code after the lock: %v", err)
	}
	if got := inChild(t, dir, c, after); got != "replayed" {
		t.Fatalf("the code used here, in a child: %s, want replayed", got)
	}
}

// Several processes type the same right code at once: exactly one is let
// through.
func TestFileState_sameCodeInParallelProcesses(t *testing.T) {
	dir := t.TempDir()
	enableIn(t, dir)
	c := code(t, testSeed, t0)
	const n = 6
	outs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			out, err := childCommand(t, dir, c, t0).CombinedOutput()
			outs[i] = strings.TrimSpace(string(out))
			if err != nil {
				outs[i] += " " + err.Error()
			}
		})
	}
	wg.Wait()
	accepted := 0
	for _, o := range outs {
		switch o {
		case "ok":
			accepted++
		case "replayed":
		default:
			t.Errorf("child: %q, want ok or replayed", o)
		}
	}
	if accepted != 1 {
		t.Errorf("the same code was accepted by %d processes, want 1", accepted)
	}
}

func TestFileState_file(t *testing.T) {
	dir := t.TempDir()
	enableIn(t, dir)
	g := sharedGuard(t, dir)
	lockOut(t, g, t0)
	path := filepath.Join(dir, StateName)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 && runtime.GOOS != "windows" { // Windows has no mode bits
		t.Errorf("guard.json mode %v, want 0600", st.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	for _, s := range []string{testSeed, code(t, testSeed, t0)} {
		if strings.Contains(string(b), s) {
			t.Errorf("guard.json holds a seed or code: %s", b)
		}
	}

	t.Run("a damaged file reads as a lost one: the switch says off, the seed keeps app 2FA on", func(t *testing.T) {
		if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
		if g.Enabled() {
			t.Error("the switch says on with a damaged state file")
		}
		if on, err := g.Required(); !on || err != nil {
			t.Errorf("Required = %v, %v with the seed in the keyring; want on", on, err)
		}
	})
	t.Run("an unreadable file counts as on", func(t *testing.T) {
		if os.Geteuid() == 0 || runtime.GOOS == "windows" {
			t.Skip("root reads every file, and Windows has no mode bits to take reading away")
		}
		if err := os.Chmod(path, 0); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(path, 0o600)
		if !g.Enabled() {
			t.Error("off when the state cannot be read")
		}
	})
}

func TestAdoptFlag(t *testing.T) {
	dir := t.TempDir()
	legacy := &memFlags{}
	legacy.SetBool(EnabledFlag, true)
	if err := AdoptFlag(OpenState(dir), legacy); err != nil {
		t.Fatal(err)
	}
	g := sharedGuard(t, dir)
	if !g.Enabled() || legacy.Bool(EnabledFlag) {
		t.Fatalf("after AdoptFlag: state on=%v, legacy on=%v; want true, false", g.Enabled(), legacy.Bool(EnabledFlag))
	}
	// A legacy "off" never turns the protection off.
	if err := AdoptFlag(OpenState(dir), legacy); err != nil || !g.Enabled() {
		t.Fatalf("AdoptFlag of off: %v, on=%v", err, g.Enabled())
	}
}

func TestOpen_enrolAndDisableKeepTheSwitchInTheFile(t *testing.T) {
	dir := t.TempDir()
	mem := vault.NewMemory()
	g := Open(dir, mem, nil)
	k, err := g.BeginEnrolment("")
	if err != nil {
		t.Fatal(err)
	}
	if err := g.ConfirmEnrolment(k, code(t, k.Secret(), t0), t0); err != nil {
		t.Fatal(err)
	}
	other := Open(dir, mem, nil) // another process over the same folder
	if !other.Enabled() {
		t.Fatal("another guard over the folder sees app 2FA off")
	}
	if err := other.Verify(code(t, k.Secret(), t0), t0); !errors.Is(err, ErrReplayed) {
		t.Fatalf("the enrolment code in another guard: %v, want ErrReplayed", err)
	}
	at := t0.Add(Period)
	if err := other.Disable(code(t, k.Secret(), at), at); err != nil {
		t.Fatal(err)
	}
	if g.Enabled() {
		t.Error("still on for the first guard after the other turned it off")
	}
}
