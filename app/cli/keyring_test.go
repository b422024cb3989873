package cli_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// The keyring test runs add, exec, check and revoke on a real Secret
// Service. It skips when none is reachable, unless
// KEYWARDEN_REQUIRE_KEYRING=1 turns the skip into a failure. Headless:
//
//	dbus-run-session -- sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null; KEYWARDEN_REQUIRE_KEYRING=1 go test -race -run Keyring ./app/cli'

// liveKeyring returns the store NewKeyring makes, under a service name of
// its own so a run on a desktop leaves the user's real items alone, or
// skips when no Secret Service answers.
func liveKeyring(t *testing.T) *vault.Keyring {
	t.Helper()
	k := vault.NewKeyring()
	k.Service = "keywarden-test"
	k.Timeout = 20 * time.Second
	if _, err := k.Get("probe-" + vault.NewID()); !errors.Is(err, vault.ErrSecretNotFound) {
		msg := "no usable Secret Service (run inside dbus-run-session with an unlocked gnome-keyring): " + err.Error()
		if os.Getenv("KEYWARDEN_REQUIRE_KEYRING") == "1" || os.Getenv("CI") == "true" {
			t.Fatal(msg + " (KEYWARDEN_REQUIRE_KEYRING=1 or CI=true forbid skipping)")
		}
		t.Skip(msg)
	}
	return k
}

func TestKeyring_AddExecRevoke(t *testing.T) {
	ring := liveKeyring(t)
	f := newFixture(t)
	f.secrets = ring
	k := f.exchangeKey(krakentest.Key{Permissions: botPerms})
	res := f.run(stdinFor(k), "add", "--name", "freqtrade-vps", "--purpose", "bot", "--used-by", "freqtrade")
	if res.code != 0 {
		t.Fatalf("add: %v", res)
	}
	rec := f.record("freqtrade-vps")
	t.Cleanup(func() { _ = ring.Delete(rec.ID) })

	s, err := ring.Get(rec.ID)
	if err != nil || s.APIKey != k.APIKey || s.PrivateKey != k.PrivateKey {
		t.Fatalf("the keyring does not hold the key (err %v)", err)
	}

	args := child(t, f, "env-hash", "KW_VARS=KRAKEN_API_KEY,KRAKEN_API_SECRET")
	res = f.run("", append([]string{"exec", "freqtrade-vps"}, args...)...)
	want := "KRAKEN_API_KEY " + hashOf(k.APIKey) + "\nKRAKEN_API_SECRET " + hashOf(k.PrivateKey) + "\n"
	if res.code != 0 || res.out != want {
		t.Fatalf("exec: want %q, got %v", want, res)
	}

	if res = f.run("", "check", "freqtrade-vps"); !strings.Contains(res.out, "freqtrade-vps: ok") {
		t.Fatalf("check: %v", res)
	}

	f.ex.DeleteKey(k.APIKey)
	if res = f.run("", "revoke", "freqtrade-vps"); res.code != 0 {
		t.Fatalf("revoke: %v", res)
	}
	if _, err := ring.Get(rec.ID); !errors.Is(err, vault.ErrSecretNotFound) {
		t.Errorf("after revoke the keyring answers %v, want no secret", err)
	}
	if leaks := f.leaks(f.keyFile()); len(leaks) > 0 {
		t.Errorf("the key list holds %v", leaks)
	}
}
