package cli_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/vault"
)

func init() {
	// keywarden-exec plays "keywarden exec $KW_NAME -- <this binary in role
	// $KW_PROGRAM>" over the store in $KW_DIR, with a stand-in secret for
	// $KW_ID in its own in-memory keyring, and exits with exec's exit code:
	// a real keywarden process, for the tests that kill it or signal it.
	childRoles["keywarden-exec"] = keywardenExec
	// sleep prints its PID and sleeps for a minute.
	childRoles["sleep"] = func() int {
		fmt.Printf("pid %d\n", os.Getpid())
		time.Sleep(time.Minute)
		return 0
	}
}

// keywardenExec is the keywarden-exec role.
func keywardenExec() int {
	mem := vault.NewMemory()
	if err := mem.Set(os.Getenv("KW_ID"), vault.Secret{APIKey: "k", PrivateKey: "p"}); err != nil {
		return 1
	}
	exe, _ := os.Executable()
	environ := func() []string { return append(os.Environ(), childEnv+"="+os.Getenv("KW_PROGRAM")) }
	return cli.Main([]string{"exec", os.Getenv("KW_NAME"), "--", exe, "-test.run=^$"},
		cli.IO{Dir: os.Getenv("KW_DIR"), Secrets: mem, Environ: environ, Getenv: func(string) string { return "" }})
}

// keywardenCommand returns a command that runs this test binary in role
// (keywarden-exec, or a role built on keywardenExec) as "keywarden exec" of
// the key rec over f's store, its program playing the role program, with
// extra environment variables.
func keywardenCommand(t *testing.T, f *fixture, rec vault.Record, role, program string, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	kw := exec.Command(exe, "-test.run=^$")
	kw.Env = append(os.Environ(), childEnv+"="+role, "KW_PROGRAM="+program,
		"KW_DIR="+f.dir, "KW_ID="+rec.ID, "KW_NAME="+rec.Name)
	kw.Env = append(kw.Env, env...)
	kw.Stderr = os.Stderr
	return kw
}

// startSleeper starts kw, whose program plays sleep, and returns the
// program's PID once it has printed it.
func startSleeper(t *testing.T, kw *exec.Cmd) int {
	t.Helper()
	out, err := kw.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := kw.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	pid, perr := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "pid ")))
	if err != nil || perr != nil {
		kw.Process.Kill()
		kw.Wait()
		t.Fatalf("the program did not start: %q %v", line, err)
	}
	return pid
}

// child returns the arguments that run this test binary in role.
func child(t *testing.T, f *fixture, role string, env ...string) []string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f.env[childEnv] = role
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		f.env[k] = v
	}
	return []string{"--", exe, "-test.run=^$"}
}

func TestExec(t *testing.T) {
	t.Run("the program gets the key in KRAKEN_API_KEY and KRAKEN_API_SECRET", func(t *testing.T) {
		f := newFixture(t)
		_, k := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		// A stale value in the environment must not win.
		args := child(t, f, "env-hash", "KW_VARS=KRAKEN_API_KEY,KRAKEN_API_SECRET", "KRAKEN_API_KEY=stale")
		res := f.run("", append([]string{"exec", "freqtrade-vps"}, args...)...)
		want := "KRAKEN_API_KEY " + hashOf(k.APIKey) + "\nKRAKEN_API_SECRET " + hashOf(k.PrivateKey) + "\n"
		if res.code != 0 || res.out != want {
			t.Fatalf("want %q, got %v", want, res)
		}
	})

	t.Run("--key-env and --secret-env rename the variables", func(t *testing.T) {
		f := newFixture(t)
		_, k := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		args := child(t, f, "env-hash", "KW_VARS=FREQTRADE__EXCHANGE__KEY,FREQTRADE__EXCHANGE__SECRET,KRAKEN_API_KEY")
		res := f.run("", append([]string{"exec", "freqtrade-vps", "--key-env", "FREQTRADE__EXCHANGE__KEY", "--secret-env", "FREQTRADE__EXCHANGE__SECRET"}, args...)...)
		want := "FREQTRADE__EXCHANGE__KEY " + hashOf(k.APIKey) + "\nFREQTRADE__EXCHANGE__SECRET " + hashOf(k.PrivateKey) + "\nKRAKEN_API_KEY unset\n"
		if res.code != 0 || res.out != want {
			t.Fatalf("want %q, got %v", want, res)
		}
	})

	t.Run("the exit code is the program's", func(t *testing.T) {
		f := newFixture(t)
		f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		for _, code := range []string{"0", "3", "7", "255"} {
			args := child(t, f, "exit", "KW_CODE="+code)
			res := f.run("", append([]string{"exec", "freqtrade-vps"}, args...)...)
			if strconv.Itoa(res.code) != code {
				t.Errorf("program exited %s, exec returned %v", code, res)
			}
		}
	})

	t.Run("standard input, output and error are passed through", func(t *testing.T) {
		f := newFixture(t)
		f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		args := child(t, f, "echo")
		res := f.run("buy low\n", append([]string{"exec", "freqtrade-vps"}, args...)...)
		if res.code != 0 || res.out != "BUY LOW\n" || res.err != "echo done\n" {
			t.Fatalf("got %v", res)
		}
	})

	refused := []struct {
		name    string
		status  vault.Status
		wantErr string
	}{
		{"a revoked key", vault.StatusRevoked, "is revoked"},
		{"a leaked key", vault.StatusCompromised, "has leaked"},
	}
	for _, tc := range refused {
		t.Run("exec refuses "+tc.name, func(t *testing.T) {
			f := newFixture(t)
			rec, _ := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
			f.update(func(d *vault.Data) error {
				r, _ := d.ByID(rec.ID)
				r.Status = tc.status
				return nil
			})
			marker := t.TempDir() + "/ran"
			res := f.run("", "exec", "freqtrade-vps", "--", "sh", "-c", "touch "+marker)
			if res.code != 1 || !strings.Contains(res.err, tc.wantErr) {
				t.Fatalf("got %v", res)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Error("the program ran")
			}
		})
	}

	usage := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"a program that does not exist", []string{"exec", "freqtrade-vps", "--", "no-such-program-kw"}, 127, "There is no program"},
		{"no -- before the command", []string{"exec", "freqtrade-vps", "true"}, 2, "Put -- between"},
		{"no command after --", []string{"exec", "freqtrade-vps", "--"}, 2, "Give the command"},
		{"the same name for both variables", []string{"exec", "freqtrade-vps", "--key-env", "K", "--secret-env", "K", "--", "true"}, 2, "different variables"},
		{"a variable name with =", []string{"exec", "freqtrade-vps", "--key-env", "A=B", "--", "true"}, 2, "without = in it"},
	}
	for _, tc := range usage {
		t.Run("exec explains "+tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
			res := f.run("", tc.args...)
			if res.code != tc.wantCode || !strings.Contains(res.err, tc.wantErr) {
				t.Fatalf("want exit %d and %q, got %v", tc.wantCode, tc.wantErr, res)
			}
		})
	}
}
