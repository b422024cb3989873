package cli_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

// appTamper is one attack on the files that decide app 2FA, made while
// its seed stays in the keyring. It changes the fixture's folder, or
// returns how to run Keywarden over another one (a changed cli.IO).
type appTamper struct {
	name string
	do   func(t *testing.T, f *fixture) func(*cli.IO)
	// file: guard.json itself was lost, so the first code meets the lock
	// a lost state is rebuilt as.
	file bool
}

func appTampers() []appTamper {
	guardFile := func(f *fixture) string { return filepath.Join(f.dir, guard.StateName) }
	write := func(body string) func(*testing.T, *fixture) func(*cli.IO) {
		return func(t *testing.T, f *fixture) func(*cli.IO) {
			if err := os.WriteFile(guardFile(f), []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			return nil
		}
	}
	replace := func(make func(path string) error) func(*testing.T, *fixture) func(*cli.IO) {
		return func(t *testing.T, f *fixture) func(*cli.IO) {
			if err := os.Remove(guardFile(f)); err != nil {
				t.Fatal(err)
			}
			if err := make(guardFile(f)); err != nil {
				t.Fatal(err)
			}
			return nil
		}
	}
	// elsewhere copies keys.json to another folder, as someone who wants a
	// guard.json-free copy of the key list would.
	elsewhere := func(t *testing.T, f *fixture, dir string) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, vault.FileName), []byte(f.keyFile()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	list := []appTamper{
		{"guard.json removed", replace(func(string) error { return nil }), true},
		{"guard.json emptied", write(""), true},
		{"guard.json is {}", write("{}"), true},
		{"guard.json is garbage", write("\x00\xffnot json"), true},
		{"guard.json of an unknown schema", write(`{"schema":7,"enabled":false}`), true},
		{"guard.json switched off by hand", write(`{"schema":1,"enabled":false}`), true},
		{"guard.json padded past 64 KiB", write(`{"schema":1,"enabled":false}` + strings.Repeat(" ", 64<<10)), true},
		{"guard.json a folder", replace(func(p string) error { return os.Mkdir(p, 0o700) }), true},
		{"another folder through " + cli.EnvDir, func(t *testing.T, f *fixture) func(*cli.IO) {
			other := t.TempDir()
			elsewhere(t, f, other)
			f.env[cli.EnvDir] = other
			return func(io *cli.IO) { io.Dir = "" }
		}, true},
		{"another folder through " + configHomeVar(), func(t *testing.T, f *fixture) func(*cli.IO) {
			xdg := t.TempDir()
			elsewhere(t, f, filepath.Join(xdg, "keywarden"))
			t.Setenv(configHomeVar(), xdg)
			return func(io *cli.IO) { io.Dir = "" }
		}, true},
		{"startsWithoutAppCode typed into keys.json", func(t *testing.T, f *fixture) func(*cli.IO) {
			f.update(func(d *vault.Data) error {
				for i := range d.Records {
					d.Records[i].StartsWithoutAppCode = true
				}
				return nil
			})
			return nil
		}, false},
		{"a seal copied from another key in keys.json", func(t *testing.T, f *fixture) func(*cli.IO) {
			seal := f.record("sealed-bot").AppCodeSeal
			if seal == "" {
				t.Fatal("the granted key has no seal")
			}
			f.update(func(d *vault.Data) error {
				for i := range d.Records {
					d.Records[i].StartsWithoutAppCode, d.Records[i].AppCodeSeal = true, seal
				}
				return nil
			})
			return nil
		}, false},
	}
	if runtime.GOOS != "windows" {
		list = append(list,
			appTamper{"guard.json a symlink to /dev/null", replace(func(p string) error { return os.Symlink(os.DevNull, p) }), true},
			appTamper{"guard.json a symlink to a missing file", replace(func(p string) error { return os.Symlink(p+".gone", p) }), true},
			appTamper{"guard.json a FIFO", replace(mkfifo), true},
		)
	}
	return list
}

// TestAppTwoFA_failsClosed: while the app 2FA seed is in the (real)
// keyring, none of the tampers lets exec, revoke or remove go ahead without
// a code, and the codes of the current and previous time step are refused
// after guard.json was lost.
func TestAppTwoFA_failsClosed(t *testing.T) {
	for _, tc := range appTampers() {
		t.Run(tc.name, func(t *testing.T) {
			ring := liveKeyring(t)
			f := newFixture(t)
			f.secrets = ring
			bot, _ := f.add("freqtrade-vps", botPerms, "--purpose", "bot")
			tax, _ := f.add("koinly-tax", taxPerms, "--purpose", "tax")
			sealed, _ := f.add("sealed-bot", botPerms, "--purpose", "bot")
			t.Cleanup(func() {
				for _, id := range []string{bot.ID, tax.ID, sealed.ID, guard.SeedID, keys.SealKeyID} {
					_ = ring.Delete(id)
				}
			})
			c := withAppTwoFA(t, f)
			if err := ring.Set(guard.SeedID, vault.Secret{OTPSeed: appSeed}); err != nil {
				t.Fatal(err)
			}
			f.env[cli.EnvAppCode] = c.next(t)
			if res := f.run("", "2fa", "unattended", "sealed-bot", "on"); res.code != 0 {
				t.Fatalf("grant with a code: %v", res)
			}
			delete(f.env, cli.EnvAppCode)
			used := c.t // the step whose code was just used

			change := tc.do(t, f)
			run := func(args ...string) result {
				t.Helper()
				var out, errw bytes.Buffer
				io := f.io(strings.NewReader(""), &out, &errw)
				if change != nil {
					change(&io)
				}
				return result{cli.Main(args, io), out.String(), errw.String()}
			}
			before := f.keyFile()

			args := child(t, f, "env-hash", "KW_VARS=KRAKEN_API_KEY")
			if res := run(append([]string{"exec", "freqtrade-vps"}, args...)...); res.code != 1 || res.out != "" || !strings.Contains(res.err, "App 2FA is on") {
				t.Errorf("exec without a code ran or did not ask: %v", res)
			}
			if res := run("remove", "koinly-tax", "--yes"); res.code != 1 || !strings.Contains(res.err, "App 2FA is on") {
				t.Errorf("remove without a code: %v", res)
			}
			if res := run("revoke", "koinly-tax", "--force"); res.code != 1 || !strings.Contains(res.err, "App 2FA is on") {
				t.Errorf("revoke without a code: %v", res)
			}
			if !f.hasSecret(tax.ID) || f.keyFile() != before {
				t.Fatal("something changed without the app code")
			}
			if res := run("2fa", "status"); !strings.Contains(res.out, "App 2FA is on") ||
				(!tc.file && !strings.Contains(res.out, "not allowed in Keywarden")) {
				t.Errorf("status: %v", res)
			}
			if tc.file {
				prev, _ := totp.GenerateCode(appSeed, used.Add(-guard.Period))
				cur, _ := totp.GenerateCode(appSeed, used)
				for _, code := range []string{cur, prev} {
					f.env[cli.EnvAppCode] = code
					if res := run(append([]string{"exec", "freqtrade-vps"}, args...)...); res.code != 1 || res.out != "" {
						t.Errorf("a code of the current or previous step after guard.json was lost: %v", res)
					}
				}
			}
		})
	}
}

// TestAppTwoFA_resetLostAuthenticator: the way back for a lost
// authenticator needs the unlocked keyring and a confirmation, turns app
// 2FA off by removing its seed, and is written in every key's history.
func TestAppTwoFA_resetLostAuthenticator(t *testing.T) {
	f := newFixture(t)
	bot, _ := f.add("freqtrade-vps", botPerms, "--purpose", "bot")
	tax, _ := f.add("koinly-tax", taxPerms, "--purpose", "tax")
	withAppTwoFA(t, f)
	reset := []string{"2fa", "reset", "--lost-authenticator"}

	if res := f.run("", reset...); res.code != 2 || !strings.Contains(res.err, "--yes") {
		t.Fatalf("without a terminal or --yes: %v", res)
	}
	f.mem.SetError(&vault.KeyringError{Op: "get", Err: errors.New("locked")})
	res := f.run("", append(reset, "--yes")...)
	f.mem.SetError(nil)
	if res.code != 1 || !strings.Contains(res.err, "unlocked system keyring") {
		t.Fatalf("with the keyring locked: %v", res)
	}
	if _, err := f.mem.Get(guard.SeedID); err != nil {
		t.Fatal("the seed went while the keyring was locked")
	}
	for _, id := range []string{bot.ID, tax.ID} {
		if hasResetEvent(f, id) {
			t.Fatal("a refused reset is in the history")
		}
	}

	if res := f.run("", append(reset, "--yes")...); res.code != 0 || !strings.Contains(res.out, "App 2FA is off") {
		t.Fatalf("reset: %v", res)
	}
	if _, err := f.mem.Get(guard.SeedID); !errors.Is(err, vault.ErrSecretNotFound) {
		t.Errorf("the seed is still in the keyring: %v", err)
	}
	for _, id := range []string{bot.ID, tax.ID} {
		if !hasResetEvent(f, id) {
			t.Errorf("the history of %s does not say app 2FA was reset", id)
		}
	}
	if res := f.run("", "remove", "koinly-tax", "--yes"); res.code != 0 {
		t.Errorf("remove after the reset: %v", res)
	}
}

// hasResetEvent reports whether record id's history holds the reset.
func hasResetEvent(f *fixture, id string) bool {
	f.t.Helper()
	r, err := f.data().ByID(id)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, ev := range r.History {
		if ev.Kind == vault.EventAppCode && strings.Contains(ev.Note, "lost authenticator") {
			return true
		}
	}
	return false
}

// configHomeVar names the variable that moves the user's config folder
// (os.UserConfigDir): Windows ignores XDG_CONFIG_HOME and reads APPDATA.
func configHomeVar() string {
	if runtime.GOOS == "windows" {
		return "APPDATA"
	}
	return "XDG_CONFIG_HOME"
}
