package cli_test

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

const appSeed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// appClock is a clock the test moves on by one code period at a time, so
// every code it makes is new (a used code is refused as a replay).
type appClock struct{ t time.Time }

func (c *appClock) now() time.Time { return c.t }

// next moves on one period and returns the app code of then.
func (c *appClock) next(t *testing.T) string {
	t.Helper()
	c.t = c.t.Add(guard.Period)
	code, err := totp.GenerateCode(appSeed, c.t)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// withAppTwoFA turns app 2FA on for the fixture's folder as the window or
// "keywarden 2fa enable" leaves it: the seed in the keyring, the switch in
// guard.json.
func withAppTwoFA(t *testing.T, f *fixture) *appClock {
	t.Helper()
	if err := f.mem.Set(guard.SeedID, vault.Secret{OTPSeed: appSeed}); err != nil {
		t.Fatal(err)
	}
	if err := guard.OpenState(f.dir).Update(func(st *guard.State) error { st.Enabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	c := &appClock{t: time.Now()}
	f.now = c.now
	return c
}

// wrongAppCode is a 6-digit code that matches no step near c's time.
func wrongAppCode(t *testing.T, c *appClock) string {
	t.Helper()
	near := map[string]bool{}
	for d := -2; d <= 2; d++ {
		code, _ := totp.GenerateCode(appSeed, c.t.Add(time.Duration(d)*guard.Period))
		near[code] = true
	}
	for _, w := range []string{"000000", "111111", "222222"} {
		if !near[w] {
			return w
		}
	}
	t.Fatal("no wrong code")
	return ""
}

func TestAppTwoFA_exec(t *testing.T) {
	t.Run("without a terminal or a code, exec is refused and the program never starts", func(t *testing.T) {
		f := newFixture(t)
		f.add("freqtrade-vps", botPerms, "--purpose", "bot")
		withAppTwoFA(t, f)
		marker := t.TempDir() + "/ran"
		res := f.run("", "exec", "freqtrade-vps", "--", "sh", "-c", "touch "+marker)
		if res.code != 1 || !strings.Contains(res.err, "App 2FA is on") || !strings.Contains(res.err, cli.EnvAppCode) {
			t.Fatalf("got %v", res)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Error("the program ran")
		}
	})

	t.Run("a wrong code is refused, a right one starts the program, which never sees the code", func(t *testing.T) {
		f := newFixture(t)
		_, k := f.add("freqtrade-vps", botPerms, "--purpose", "bot")
		c := withAppTwoFA(t, f)
		args := child(t, f, "env-hash", "KW_VARS=KRAKEN_API_KEY,"+cli.EnvAppCode)
		f.env[cli.EnvAppCode] = wrongAppCode(t, c)
		res := f.run("", append([]string{"exec", "freqtrade-vps"}, args...)...)
		if res.code != 1 || !strings.Contains(res.err, "not right") || res.out != "" {
			t.Fatalf("wrong code: %v", res)
		}
		f.env[cli.EnvAppCode] = c.next(t)
		res = f.run("", append([]string{"exec", "freqtrade-vps"}, args...)...)
		want := "KRAKEN_API_KEY " + hashOf(k.APIKey) + "\n" + cli.EnvAppCode + " unset\n"
		if res.code != 0 || res.out != want {
			t.Fatalf("right code: want %q, got %v", want, res)
		}
		// The same code again, in a new run (a new process would do the same).
		res = f.run("", append([]string{"exec", "freqtrade-vps"}, args...)...)
		if res.code != 1 || !strings.Contains(res.err, "used already") {
			t.Fatalf("replayed code: %v", res)
		}
	})

	t.Run("five wrong codes over five runs lock the next run out", func(t *testing.T) {
		f := newFixture(t)
		f.add("freqtrade-vps", botPerms, "--purpose", "bot")
		c := withAppTwoFA(t, f)
		f.env[cli.EnvAppCode] = wrongAppCode(t, c)
		for range guard.MaxWrong {
			f.run("", "exec", "freqtrade-vps", "--", "true")
		}
		f.env[cli.EnvAppCode], _ = totp.GenerateCode(appSeed, c.t)
		res := f.run("", "exec", "freqtrade-vps", "--", "true")
		if res.code != 1 || !strings.Contains(res.err, "Too many wrong codes") {
			t.Fatalf("right code during the lock: %v", res)
		}
	})

	t.Run("a key allowed to start without a code runs unattended; the choice needs the code and is in its history", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip(`the program it starts is "true", which Windows lacks; the Wine smoke run starts a real one`)
		}
		f := newFixture(t)
		f.add("freqtrade-vps", botPerms, "--purpose", "bot")
		c := withAppTwoFA(t, f)
		if res := f.run("", "2fa", "unattended", "freqtrade-vps", "on"); res.code != 1 || !strings.Contains(res.err, "App 2FA is on") {
			t.Fatalf("without a code: %v", res)
		}
		f.env[cli.EnvAppCode] = c.next(t)
		if res := f.run("", "2fa", "unattended", "freqtrade-vps", "on"); res.code != 0 {
			t.Fatalf("with a code: %v", res)
		}
		r := f.record("freqtrade-vps")
		last := r.History[len(r.History)-1]
		if !r.StartsWithoutAppCode || last.Kind != vault.EventAppCode {
			t.Fatalf("record: starts without code %v, last event %+v", r.StartsWithoutAppCode, last)
		}
		delete(f.env, cli.EnvAppCode)
		if res := f.run("", "exec", "freqtrade-vps", "--", "true"); res.code != 0 {
			t.Fatalf("unattended exec: %v", res)
		}
		if res := f.run("", "2fa", "status"); !strings.Contains(res.out, `"freqtrade-vps"`) {
			t.Errorf("status does not name the unattended key: %v", res)
		}
		// Revoke and remove still ask.
		if res := f.run("", "remove", "freqtrade-vps", "--yes"); res.code != 1 || !strings.Contains(res.err, "App 2FA is on") {
			t.Fatalf("remove of an unattended key without a code: %v", res)
		}
	})
}

func TestAppTwoFA_revokeAndRemove(t *testing.T) {
	f := newFixture(t)
	rec, _ := f.add("koinly-tax", taxPerms, "--purpose", "tax")
	c := withAppTwoFA(t, f)
	before := f.keyFile()
	for _, args := range [][]string{{"revoke", "koinly-tax", "--force"}, {"remove", "koinly-tax", "--yes"}} {
		res := f.run("", args...)
		if res.code != 1 || !strings.Contains(res.err, "App 2FA is on") {
			t.Errorf("%s without a code: %v", args[0], res)
		}
	}
	if f.keyFile() != before || !f.hasSecret(rec.ID) {
		t.Fatal("something changed without the app code")
	}
	f.env[cli.EnvAppCode] = c.next(t)
	if res := f.run("", "remove", "koinly-tax", "--yes"); res.code != 0 || f.hasSecret(rec.ID) {
		t.Fatalf("remove with the code: %v", res)
	}
}

func TestAppTwoFA_command(t *testing.T) {
	f := newFixture(t)
	if res := f.run("", "2fa"); res.code != 0 || !strings.Contains(res.out, "App 2FA is off") {
		t.Fatalf("status: %v", res)
	}
	if res := f.run("", "2fa", "enable"); res.code != 1 || !strings.Contains(res.err, "on a terminal") {
		t.Fatalf("enable without a terminal: %v", res)
	}
	c := withAppTwoFA(t, f)
	if res := f.run("", "2fa", "status"); !strings.Contains(res.out, "App 2FA is on") {
		t.Fatalf("status: %v", res)
	}
	if res := f.run("", "2fa", "disable"); res.code != 1 || !strings.Contains(res.err, "no terminal") {
		t.Fatalf("disable without a code: %v", res)
	}
	if res := f.run("", "2fa", "reset"); res.code != 1 || !strings.Contains(res.err, "still in the system keyring") {
		t.Fatalf("reset with the seed present: %v", res)
	}
	f.env[cli.EnvAppCode] = c.next(t)
	if res := f.run("", "2fa", "disable"); res.code != 0 {
		t.Fatalf("disable: %v", res)
	}
	if _, err := f.mem.Get(guard.SeedID); err == nil {
		t.Error("the seed stayed in the keyring")
	}
	if res := f.run("", "2fa", "bogus"); res.code != 2 {
		t.Errorf("unknown subcommand: %v", res)
	}
}

func TestKeyCodes(t *testing.T) {
	t.Run("--otp warns that others can read it", func(t *testing.T) {
		f := newFixture(t)
		f.add("koinly-tax", taxPerms, "--purpose", "tax")
		res := f.run("", "check", "koinly-tax", "--otp", "123456")
		if !strings.Contains(res.err, "warning: a code given with --otp can be read by every user") {
			t.Errorf("no warning: %v", res)
		}
	})
	t.Run("KEYWARDEN_OTP and --otp - give the code without an argument", func(t *testing.T) {
		f := newFixture(t)
		seed := newSeed(t)
		k := f.exchangeKey(krakentest.Key{Permissions: taxPerms, OTPSecret: seed})
		code, _ := totp.GenerateCode(seed, time.Now())
		f.env[cli.EnvOTP] = code
		if res := f.run(stdinFor(k), "add", "--name", "koinly-tax", "--purpose", "tax", "--2fa", "typed"); res.code != 0 || strings.Contains(res.err, "warning") {
			t.Fatalf("add with KEYWARDEN_OTP: %v", res)
		}
		delete(f.env, cli.EnvOTP)
		code, _ = totp.GenerateCode(seed, time.Now().Add(30*time.Second))
		res := f.run(code+"\n", "check", "koinly-tax", "--otp", "-")
		if res.code != 0 || strings.Contains(res.err, "warning") || strings.Contains(res.out, "not checked") {
			t.Fatalf("check --otp -: %v", res)
		}
		if res := f.run("", "check", "koinly-tax", "--otp", "-"); res.code != 2 || !strings.Contains(res.err, "there was none") {
			t.Fatalf("check --otp - with nothing on stdin: %v", res)
		}
	})
	t.Run("add takes a typed key's code as the line after the keys", func(t *testing.T) {
		f := newFixture(t)
		seed := newSeed(t)
		k := f.exchangeKey(krakentest.Key{Permissions: taxPerms, OTPSecret: seed})
		code, _ := totp.GenerateCode(seed, time.Now())
		if res := f.run(stdinFor(k, code), "add", "--name", "koinly-tax", "--purpose", "tax", "--2fa", "typed"); res.code != 0 {
			t.Fatalf("add: %v", res)
		}
	})
}
