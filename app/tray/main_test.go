package tray

import (
	"os"
	"strings"
	"testing"
)

// envFakeArgs, when set, makes this test program play the keywarden exe
// that EnsureRunning and ShowWindow start (fakeProgram, on Windows): it
// writes its arguments to the file the variable names, and exits.
const envFakeArgs = "KEYWARDEN_TRAY_TEST_FAKE_ARGS"

// envChildAddKey, when set, makes this test program another Keywarden
// process that adds a key due for review to the key list in the folder the
// variable names, and exits.
const envChildAddKey = "KEYWARDEN_TRAY_TEST_ADD_KEY"

func TestMain(m *testing.M) {
	if dir := os.Getenv(envChildAddKey); dir != "" {
		os.Exit(childAddKey(dir))
	}
	if path := os.Getenv(envFakeArgs); path != "" {
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, []byte(strings.Join(os.Args[1:], " ")+"\n"), 0o600); err != nil {
			os.Exit(1)
		}
		if err := os.Rename(tmp, path); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
