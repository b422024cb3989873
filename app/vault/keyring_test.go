package vault

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// The Keyring tests talk to a real Secret Service. They skip when none is
// reachable, unless KEYWARDEN_REQUIRE_KEYRING=1 (set by CI and make test)
// turns the skip into a failure. Run them headless with:
//
//	dbus-run-session -- sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null; KEYWARDEN_REQUIRE_KEYRING=1 go test -race -run Keyring ./app/vault/'

// testService keeps test items apart from the user's real ones.
const testService = "keywarden-test"

func init() {
	childRoles["keyring-probe"] = childKeyringProbe
}

func requireKeyring() bool {
	return os.Getenv("KEYWARDEN_REQUIRE_KEYRING") == "1" || os.Getenv("CI") == "true"
}

// skipOrFail skips the test, or fails it when KEYWARDEN_REQUIRE_KEYRING=1
// or CI=true.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if requireKeyring() {
		t.Fatalf("%s (KEYWARDEN_REQUIRE_KEYRING=1 or CI=true forbid skipping)", msg)
	}
	t.Skip(msg)
}

// liveKeyring returns a Keyring on a reachable Secret Service, or skips.
func liveKeyring(t *testing.T) *Keyring {
	t.Helper()
	k := &Keyring{Service: testService, Timeout: 20 * time.Second}
	_, err := k.Get("probe-" + NewID())
	if !errors.Is(err, ErrSecretNotFound) {
		skipOrFail(t, "no usable Secret Service (run inside dbus-run-session with an unlocked gnome-keyring): %v", err)
	}
	return k
}

func testSecret() Secret {
	return Secret{
		APIKey:      "api-" + NewID() + NewID(),
		PrivateKey:  "priv-" + NewID() + NewID() + NewID(),
		OTPSeed:     "JBSWY3DPEHPK3PXP",
		OTPPassword: "pw \"quoted\" ünïcode",
	}
}

func TestKeyring_RoundTrip(t *testing.T) {
	k := liveKeyring(t)
	id := NewID()
	t.Cleanup(func() { _ = k.Delete(id) })
	want := testSecret()
	if err := k.Set(id, want); err != nil {
		t.Fatalf("Set: %v", err)
	}
	got, err := k.Get(id)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if got != want {
		t.Fatal("Get returned a different secret than was set")
	}

	t.Run("a second Set replaces the secret", func(t *testing.T) {
		want2 := testSecret()
		want2.OTPSeed = ""
		if err := k.Set(id, want2); err != nil {
			t.Fatalf("Set: %v", err)
		}
		got, err := k.Get(id)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got != want2 {
			t.Fatal("Get returned the old secret after a second Set")
		}
	})

	t.Run("the value is the secret as JSON under service and record ID", func(t *testing.T) {
		raw, err := keyring.Get(testService, id)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(raw, `{"apiKey":`) {
			t.Fatal("the keyring value is not the secret as JSON")
		}
	})
}

func TestKeyring_NotFound(t *testing.T) {
	k := liveKeyring(t)
	id := NewID()
	if _, err := k.Get(id); !errors.Is(err, ErrSecretNotFound) {
		t.Errorf("Get of an unknown ID: got %v, want ErrSecretNotFound", err)
	}
	if err := k.Delete(id); !errors.Is(err, ErrSecretNotFound) {
		t.Errorf("Delete of an unknown ID: got %v, want ErrSecretNotFound", err)
	}
	if _, err := k.Get(""); err == nil {
		t.Error("Get with an empty ID succeeded")
	}
}

func TestKeyring_Delete(t *testing.T) {
	k := liveKeyring(t)
	id := NewID()
	other := NewID()
	t.Cleanup(func() { _ = k.Delete(id); _ = k.Delete(other) })
	if err := k.Set(id, testSecret()); err != nil {
		t.Fatal(err)
	}
	if err := k.Set(other, testSecret()); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(id); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := k.Get(id); !errors.Is(err, ErrSecretNotFound) {
		t.Errorf("Get after Delete: got %v, want ErrSecretNotFound", err)
	}
	if _, err := k.Get(other); err != nil {
		t.Errorf("Delete removed another record's secret: %v", err)
	}
}

func TestKeyring_DamagedEntry(t *testing.T) {
	k := liveKeyring(t)
	id := NewID()
	t.Cleanup(func() { _ = k.Delete(id) })
	const value = "not json: s3cr3t-value-123456"
	if err := keyring.Set(testService, id, value); err != nil {
		t.Fatal(err)
	}
	_, err := k.Get(id)
	if !errors.Is(err, ErrSecretDamaged) {
		t.Fatalf("got %v, want ErrSecretDamaged", err)
	}
	if strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("the error quotes the keyring value: %v", err)
	}
}

// TestKeyring_Unavailable runs a child process against a D-Bus session this
// test starts itself, without a working Secret Service, and checks that
// every call maps to ErrKeyringUnavailable, quickly, and that nothing it
// started is left running.
func TestKeyring_Unavailable(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service is Linux only")
	}
	t.Run("no session bus at all", func(t *testing.T) {
		if !sessionBusMissingWithout(t) {
			t.Skip("this machine has a session bus at /run/user/UID/bus")
		}
		lines := runProbe(t, "DBUS_SESSION_BUS_ADDRESS=")
		checkUnavailable(t, lines)
	})
	t.Run("a session bus without a Secret Service", func(t *testing.T) {
		addr := startBus(t)
		lines := runProbe(t, "DBUS_SESSION_BUS_ADDRESS="+addr)
		checkUnavailable(t, lines)
	})
	t.Run("a locked keyring", func(t *testing.T) {
		addr := startBus(t)
		startLockedKeyring(t, addr)
		lines := runProbe(t, "DBUS_SESSION_BUS_ADDRESS="+addr)
		checkUnavailable(t, lines)
	})
}

// sessionBusMissingWithout reports whether, with DBUS_SESSION_BUS_ADDRESS
// unset, there would be no bus to find.
func sessionBusMissingWithout(t *testing.T) bool {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	return sessionBusMissing()
}

func checkUnavailable(t *testing.T, lines []string) {
	t.Helper()
	if len(lines) != 5 {
		t.Fatalf("probe printed %d lines, want 5: %q", len(lines), lines)
	}
	for _, l := range lines {
		if !strings.Contains(l, " unavailable ") {
			t.Errorf("got %q, want ErrKeyringUnavailable", l)
		}
		if !strings.Contains(l, "Unlock it") {
			t.Errorf("the error does not say how to fix it: %q", l)
		}
	}
}

// runProbe runs the keyring-probe role with env and returns its lines.
func runProbe(t *testing.T, env ...string) []string {
	t.Helper()
	cmd := childCommand(t, "keyring-probe", env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("probe: %v\n%s", err, stderr.String())
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the probe took %v; an unavailable keyring should fail fast", d)
	}
	t.Logf("probe output (%v):\n%s", time.Since(start).Round(time.Millisecond), out)
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// childKeyringProbe calls Get, GetMany (two ids), Set and Delete and prints
// one line for each:
// "op unavailable|notfound|ok|other: message".
func childKeyringProbe() int {
	k := &Keyring{Service: testService, Timeout: 15 * time.Second}
	id := NewID()
	_, gerr := k.Get(id)
	_, merrs := k.GetMany([]string{id, NewID()})
	serr := k.Set(id, Secret{APIKey: "probe-api-key", PrivateKey: "probe-private-key"})
	derr := k.Delete(id)
	for _, r := range []struct {
		op  string
		err error
	}{{"get", gerr}, {"getmany", merrs[0]}, {"getmany", merrs[1]}, {"set", serr}, {"delete", derr}} {
		kind := "other"
		switch {
		case r.err == nil:
			kind = "ok"
		case errors.Is(r.err, ErrKeyringUnavailable):
			kind = "unavailable"
		case errors.Is(r.err, ErrSecretNotFound):
			kind = "notfound"
		}
		fmt.Printf("%s %s : %v\n", r.op, kind, r.err)
	}
	return 0
}

// startBus starts a private D-Bus session daemon that activates nothing
// (no service folders, so no Secret Service can start on demand) and stops
// it when the test ends. It returns the bus address.
func startBus(t *testing.T) string {
	t.Helper()
	exe, err := exec.LookPath("dbus-daemon")
	if err != nil {
		skipOrFail(t, "dbus-daemon is not installed: %v", err)
	}
	dir := shortTempDir(t)
	conf := filepath.Join(dir, "bus.conf")
	err = os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=`+dir+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "--config-file="+conf, "--nofork", "--print-address=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stop(cmd) })
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	select {
	case a := <-addr:
		if a == "" {
			t.Fatal("dbus-daemon printed no address")
		}
		return a
	case <-time.After(10 * time.Second):
		t.Fatal("dbus-daemon did not start")
	}
	return ""
}

// startLockedKeyring starts gnome-keyring-daemon on the bus at addr with a
// login keyring that has a password but is not unlocked, in a private home
// folder, and stops it when the test ends.
func startLockedKeyring(t *testing.T, addr string) {
	t.Helper()
	exe, err := exec.LookPath("gnome-keyring-daemon")
	if err != nil {
		skipOrFail(t, "gnome-keyring-daemon is not installed: %v", err)
	}
	home := shortTempDir(t)
	run := filepath.Join(home, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"DBUS_SESSION_BUS_ADDRESS="+addr, "HOME="+home,
		"XDG_DATA_HOME="+filepath.Join(home, "data"), "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_CACHE_HOME="+filepath.Join(home, "cache"), "XDG_RUNTIME_DIR="+run)

	// First run: create the login keyring with a password, then stop.
	first := exec.Command(exe, "--foreground", "--unlock", "--components=secrets")
	first.Env = env
	first.Stdin = strings.NewReader("pw")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	waitForName(t, addr, env)
	stop(first)

	// Second run: the login keyring exists, and stays locked.
	cmd := exec.Command(exe, "--foreground", "--components=secrets")
	cmd.Env = env
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stop(cmd) })
	waitForName(t, addr, env)
}

// waitForName waits until org.freedesktop.secrets is owned on the bus.
func waitForName(t *testing.T, addr string, env []string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		cmd := exec.Command("dbus-send", "--bus="+addr, "--print-reply", "--dest=org.freedesktop.DBus",
			"/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets")
		cmd.Env = env
		out, err := cmd.Output()
		if err == nil && strings.Contains(string(out), "boolean true") {
			return
		}
		if err != nil && errors.Is(err, exec.ErrNotFound) {
			time.Sleep(time.Second) // no dbus-send: give the daemon a moment
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("gnome-keyring-daemon did not take org.freedesktop.secrets")
}

// stop kills a process this test started and reaps it.
func stop(cmd *exec.Cmd) {
	if cmd.Process == nil || cmd.ProcessState != nil {
		return
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

// shortTempDir returns a temporary folder with a short path, because a Unix
// socket path must fit in 108 bytes.
func shortTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "kwv")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestMapKeyringError(t *testing.T) {
	cause := errors.New("org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files")
	tests := []struct {
		name string
		in   error
		want error
	}{
		{"not found", keyring.ErrNotFound, ErrSecretNotFound},
		{"too big", keyring.ErrSetDataTooBig, ErrSecretTooBig},
		{"no Secret Service", cause, ErrKeyringUnavailable},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), ErrKeyringUnavailable},
		{"timeout", ErrKeyringTimeout, ErrKeyringUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mapKeyringError("get", tt.in)
			if !errors.Is(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			if UserMessage(got) == "" {
				t.Error("no user message")
			}
		})
	}
	if mapKeyringError("get", nil) != nil {
		t.Error("nil error mapped to non-nil")
	}
	if got := mapKeyringError("get", cause); !errors.Is(got, cause) {
		t.Error("the keyring error does not wrap its cause")
	}
}

func TestScrub(t *testing.T) {
	sec := "very-secret-private-key"
	err := scrub(&KeyringError{Op: "set", Err: errors.New("backend said: " + sec)}, sec)
	if strings.Contains(err.Error(), sec) {
		t.Fatalf("scrub left the secret in %q", err)
	}
	if !errors.Is(err, ErrKeyringUnavailable) {
		t.Error("scrub lost the error's kind")
	}
	plain := errors.New("nothing to hide")
	if scrub(plain, sec) != plain {
		t.Error("scrub replaced an error with nothing to hide")
	}
}

// TestKeyring_GetMany reads several items in one batch and gives each id
// what Get gives it: the secret, not found, or damaged.
func TestKeyring_GetMany(t *testing.T) {
	k := liveKeyring(t)
	a, b, damaged, missing := NewID(), NewID(), NewID(), NewID()
	want := map[string]Secret{a: testSecret(), b: testSecret()}
	for id, s := range want {
		if err := k.Set(id, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := keyring.Set(testService, damaged, "not json: s3cr3t-value-123456"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, id := range []string{a, b, damaged} {
			_ = k.Delete(id)
		}
	})
	ids := []string{a, missing, damaged, b, ""}
	got, errs := k.GetMany(ids)
	if len(got) != len(ids) || len(errs) != len(ids) {
		t.Fatalf("%d secrets and %d errors for %d ids", len(got), len(errs), len(ids))
	}
	for i, id := range ids {
		one, oneErr := k.Get(id)
		if got[i] != one || !sameKind(errs[i], oneErr) {
			t.Errorf("id %d: GetMany gave (%v, %v), Get (%v, %v)", i, got[i] == Secret{}, errs[i], one == Secret{}, oneErr)
		}
	}
	if got[0] != want[a] || got[3] != want[b] {
		t.Error("GetMany did not return the secrets stored")
	}
	if !errors.Is(errs[1], ErrSecretNotFound) || !errors.Is(errs[2], ErrSecretDamaged) || strings.Contains(errs[2].Error(), "s3cr3t") {
		t.Errorf("errors %v, %v", errs[1], errs[2])
	}
}

// sameKind reports whether two errors are the same kind of keyring error.
func sameKind(a, b error) bool {
	for _, target := range []error{ErrSecretNotFound, ErrSecretDamaged, ErrKeyringUnavailable, errEmptyID} {
		if errors.Is(a, target) != errors.Is(b, target) {
			return false
		}
	}
	return (a == nil) == (b == nil)
}
