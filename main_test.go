package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/instance"
	"github.com/keywarden/keywarden/app/tray"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// buildBinary builds the real keywarden binary once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "keywarden-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "keywarden")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// requireDisplay skips when no X server could be started, unless the test
// session promised one (KEYWARDEN_REQUIRE_DISPLAY=1, set by .ci/session.sh).
func requireDisplay(t *testing.T) {
	t.Helper()
	if os.Getenv("DISPLAY") != "" {
		return
	}
	if os.Getenv("KEYWARDEN_REQUIRE_DISPLAY") == "1" || os.Getenv("CI") == "true" {
		t.Fatal("DISPLAY is not set, and KEYWARDEN_REQUIRE_DISPLAY=1 or CI=true forbid skipping: run the tests through .ci/session.sh")
	}
	t.Skip("no X server could be started here (DISPLAY is not set): run the tests through `make test`, which starts Xvfb")
}

// appEnv returns an environment for the app with its own config folders
// and runtime folder (so it meets no other running copy), which does not
// start the tray part (KEYWARDEN_NO_TRAY=1): a tray part started by a
// test would outlive it. TestMain_WindowAndTrayParts starts one, and stops
// it.
func appEnv(t *testing.T, extra ...string) []string {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_DATA_HOME="+filepath.Join(dir, "data"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"XDG_RUNTIME_DIR="+run, "KEYWARDEN_DIR="+filepath.Join(dir, "keys"), tray.EnvNoTray+"=1")
	return append(env, extra...)
}

// envValue returns the last value of key in env.
func envValue(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

func TestMain_WindowOpensUnderX(t *testing.T) {
	requireDisplay(t)
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Fatalf("xdotool is needed to find the window: %v (make test installs it)", err)
	}
	bin := buildBinary(t)

	cmd := exec.Command(bin)
	cmd.Env = appEnv(t)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	}()

	start := time.Now()
	var windowID string
	for windowID == "" && time.Since(start) < 20*time.Second {
		select {
		case err := <-exited:
			t.Fatalf("keywarden exited before showing a window: %v\n%s", err, logs.String())
		case <-time.After(100 * time.Millisecond):
		}
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Keywarden$").Output()
		windowID = strings.TrimSpace(string(out))
	}
	if windowID == "" {
		t.Fatalf("no visible window named Keywarden after 20 s\n%s", logs.String())
	}
	t.Logf("window %s mapped after %v", windowID, time.Since(start).Round(time.Millisecond))

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("keywarden did not exit cleanly on SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Errorf("keywarden still running 10 s after SIGTERM")
	}
}

func TestMain_NoDisplaySaysSoInPlainWords(t *testing.T) {
	bin := buildBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	var env []string
	for _, kv := range appEnv(t) {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != 1 {
		t.Fatalf("want exit code 1, got %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "no graphical display") || strings.Contains(string(out), "panic") {
		t.Errorf("want a plain-words message, got:\n%s", out)
	}
}

// visibleWindows returns the IDs of the visible windows named Keywarden.
func visibleWindows() []string {
	out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Keywarden$").Output()
	return strings.Fields(string(out))
}

// TestMain_WindowAndTrayParts: the window starts the tray part, a second
// start of either hands over to the first and exits, and the tray part
// outlives the window.
func TestMain_WindowAndTrayParts(t *testing.T) {
	requireDisplay(t)
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Fatalf("xdotool is needed to find the window: %v (make test installs it)", err)
	}
	bin := buildBinary(t)
	env := appEnv(t, tray.EnvNoTray+"=0")
	// This process talks to the two parts through the same runtime folder.
	t.Setenv("XDG_RUNTIME_DIR", envValue(env, "XDG_RUNTIME_DIR"))
	t.Cleanup(func() {
		if instance.Send(tray.InstanceTray, tray.MsgQuit) == nil {
			waitUntil(t, "the tray part ends", func() bool {
				return errors.Is(instance.Send(tray.InstanceTray, tray.MsgPing), instance.ErrNotRunning)
			})
		}
	})

	win := exec.Command(bin)
	win.Env = env
	var logs bytes.Buffer
	win.Stdout, win.Stderr = &logs, &logs
	if err := win.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- win.Wait() }()
	defer func() {
		if win.ProcessState == nil {
			_ = win.Process.Kill()
		}
	}()
	// Under a full parallel test run the first map can take long; a window
	// that exits, or a count other than one, is reported with its log.
	for start := time.Now(); len(visibleWindows()) != 1; time.Sleep(100 * time.Millisecond) {
		select {
		case err := <-exited:
			t.Fatalf("keywarden exited before showing its window: %v\n%s", err, logs.String())
		default:
		}
		if time.Since(start) > 40*time.Second {
			ids := visibleWindows()
			_ = win.Process.Kill()
			<-exited // its output is complete only once it has ended
			t.Fatalf("after 40 s, %d visible windows named Keywarden (%v), want 1\n%s", len(ids), ids, logs.String())
		}
	}
	waitUntil(t, "the window starts the tray part", func() bool { return instance.Send(tray.InstanceTray, tray.MsgPing) == nil })

	for _, args := range [][]string{nil, {"tray"}} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		second := exec.CommandContext(ctx, bin, args...)
		second.Env = env
		out, err := second.CombinedOutput()
		cancel()
		if err != nil {
			t.Errorf("a second `keywarden %s` did not hand over and exit 0: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if n := len(visibleWindows()); n != 1 {
		t.Errorf("%d windows after the second start, want 1", n)
	}

	if err := win.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("the window did not exit cleanly on SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the window still runs 10 s after SIGTERM")
	}
	if err := instance.Send(tray.InstanceTray, tray.MsgPing); err != nil {
		t.Errorf("the tray part ended with the window: %v", err)
	}
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after 20 s, still not: %s", what)
		}
	}
}

// Under a POSIX locale (containers, servers, cron) the command line prints
// nothing it did not mean to: no toolkit complaint about the locale.
func TestMain_POSIXLocaleIsQuiet(t *testing.T) {
	bin := buildBinary(t)
	for _, lang := range []string{"C", "C.UTF-8", "POSIX"} {
		t.Run(lang, func(t *testing.T) {
			var stderr bytes.Buffer
			cmd := exec.Command(bin, "list")
			cmd.Env = appEnv(t, "LANG="+lang, "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=")
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("keywarden list: %v\n%s", err, stderr.String())
			}
			if stderr.Len() != 0 {
				t.Errorf("LANG=%s keywarden list wrote to stderr:\n%s", lang, stderr.String())
			}
		})
	}
}

func TestAppVersion(t *testing.T) {
	cases := []struct{ name, toml, want string }{
		{"the Details table's Version", "Website = \"x\"\n\n[Details]\n  Icon = \"a.png\"\n  Version = \"1.2.3\"\n  Build = 4\n", "1.2.3"},
		{"a Version in another table is not it", "[Other]\nVersion = \"9\"\n[Details]\nName = \"K\"\n", ""},
		{"no Details table", "Version = \"9\"\n", ""},
		{"spaces around the equals sign", "[Details]\nVersion=\"0.2.0\"\r\n", "0.2.0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := appVersion(tc.toml); got != tc.want {
				t.Errorf("appVersion(%q) = %q, want %q", tc.toml, got, tc.want)
			}
		})
	}
	if got := appVersion(fyneApp); got == "" {
		t.Errorf("the embedded FyneApp.toml gives no version:\n%s", fyneApp)
	}
}

// TestMain_Version: the built program's --version is FyneApp.toml's.
func TestMain_Version(t *testing.T) {
	bin := buildBinary(t)
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	toml, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if want := "keywarden " + appVersion(string(toml)) + "\n"; string(out) != want || want == "keywarden \n" {
		t.Errorf("--version printed %q, want %q", out, want)
	}
}
