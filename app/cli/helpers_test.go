package cli_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/internal/childtest"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// Some tests run this test binary as the program exec starts; childEnv
// names its role, and TestMain plays it instead of running the tests.
const childEnv = "KEYWARDEN_CLI_CHILD"

var childRoles = map[string]func() int{
	// env-hash prints the SHA-256 of $KW_VARS' values, one per line, so a
	// test can compare them without the secrets in any output.
	"env-hash": func() int {
		for _, name := range strings.Split(os.Getenv("KW_VARS"), ",") {
			v, ok := os.LookupEnv(name)
			if !ok {
				fmt.Println(name + " unset")
				continue
			}
			fmt.Println(name + " " + hashOf(v))
		}
		return 0
	},
	// exit exits with $KW_CODE.
	"exit": func() int {
		n, _ := strconv.Atoi(os.Getenv("KW_CODE"))
		return n
	},
	// echo copies stdin to stdout, upper-cased, and a line to stderr.
	"echo": func() int {
		b, _ := io.ReadAll(os.Stdin)
		os.Stdout.Write(bytes.ToUpper(b))
		fmt.Fprintln(os.Stderr, "echo done")
		return 0
	},
	// wait-term says "ready" and exits 42 at SIGTERM (1 after 20 s).
	"wait-term": func() int {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGTERM)
		fmt.Println("ready")
		select {
		case <-sigs:
			return 42
		case <-time.After(20 * time.Second):
			return 1
		}
	},
}

func TestMain(m *testing.M) { childtest.Main(m, childEnv, childRoles) }

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// fixture is a store in a temporary folder, an in-memory keyring and a
// simulated exchange, wired into cli.IO.
type fixture struct {
	t       testing.TB
	dir     string
	secrets vault.SecretStore
	mem     *vault.Memory
	ex      *krakentest.Exchange
	env     map[string]string
	now     func() time.Time
	// secretsSeen collects every key pair handed out, for the leak scans.
	secretsSeen []krakentest.Key
	// legacy is where the old toolkit preferences would be: none there.
	legacy string
	// trayTold counts the times Main told the tray part something changed.
	trayTold atomic.Int32
}

func newFixture(t testing.TB, opts ...krakentest.Option) *fixture {
	t.Helper()
	ex := krakentest.New(opts...)
	t.Cleanup(ex.Close)
	mem := vault.NewMemory()
	// A UTF-8 terminal, as most are; words_test.go tries LANG=C.
	return &fixture{t: t, dir: t.TempDir(), secrets: mem, mem: mem, ex: ex, env: map[string]string{"LANG": "en_US.UTF-8"},
		legacy: filepath.Join(t.TempDir(), "preferences.json")}
}

// result is what one run of Main did.
type result struct {
	code     int
	out, err string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.out, r.err)
}

func (f *fixture) io(stdin io.Reader, stdout, stderr io.Writer) cli.IO {
	return cli.IO{
		Stdin:  stdin,
		Stdout: stdout,
		Stderr: stderr,
		Getenv: func(k string) string { return f.env[k] },
		Environ: func() []string {
			env := os.Environ()
			for k, v := range f.env {
				env = append(env, k+"="+v)
			}
			return env
		},
		Dir:     f.dir,
		Secrets: f.secrets,
		BaseURL: f.ex.URL(),
		Now:     f.now,

		LegacyPreferences: f.legacy,
		TellTray:          func() { f.trayTold.Add(1) },
	}
}

// run runs Main with stdin and the arguments.
func (f *fixture) run(stdin string, args ...string) result {
	f.t.Helper()
	var out, errw bytes.Buffer
	code := cli.Main(args, f.io(strings.NewReader(stdin), &out, &errw))
	return result{code, out.String(), errw.String()}
}

// exchangeKey puts a key on the simulated exchange, as if made on the
// website, and remembers its secrets for the leak scans.
func (f *fixture) exchangeKey(k krakentest.Key) krakentest.Key {
	k = f.ex.AddKey(k)
	f.secretsSeen = append(f.secretsSeen, k)
	return k
}

// stdinFor is what add reads: the API key and the private key, one a line.
func stdinFor(k krakentest.Key, extra ...string) string {
	return strings.Join(append([]string{k.APIKey, k.PrivateKey}, extra...), "\n") + "\n"
}

// add makes a key on the exchange and adds it with the command line.
func (f *fixture) add(name string, perms []kraken.Permission, args ...string) (vault.Record, krakentest.Key) {
	f.t.Helper()
	k := f.exchangeKey(krakentest.Key{Name: name, Permissions: perms})
	res := f.run(stdinFor(k), append([]string{"add", "--name", name}, args...)...)
	if res.code != 0 {
		f.t.Fatalf("add %s: %v", name, res)
	}
	return f.record(name), k
}

// service returns a keys.Service over the fixture's store, as the window
// or the tray part would build it.
func (f *fixture) service() *keys.Service {
	f.t.Helper()
	s, err := vault.Open(f.dir)
	if err != nil {
		f.t.Fatal(err)
	}
	set := keys.OpenSettings(f.dir)
	set.LegacyPath = f.legacy
	return keys.New(keys.Params{Store: s, Secrets: f.secrets, Settings: set, Now: f.now})
}

// data loads the store.
func (f *fixture) data() *vault.Data {
	f.t.Helper()
	s, err := vault.Open(f.dir)
	if err != nil {
		f.t.Fatal(err)
	}
	d, err := s.Load()
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

// record returns the record named name.
func (f *fixture) record(name string) vault.Record {
	f.t.Helper()
	r, err := f.data().Find(name)
	if err != nil {
		f.t.Fatalf("record %q: %v", name, err)
	}
	return *r
}

// update changes the store directly, as another Keywarden would.
func (f *fixture) update(fn func(*vault.Data) error) {
	f.t.Helper()
	s, err := vault.Open(f.dir)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := s.Update(fn); err != nil {
		f.t.Fatal(err)
	}
}

// hasSecret reports whether the keyring holds a secret for id.
func (f *fixture) hasSecret(id string) bool {
	_, err := f.secrets.Get(id)
	return err == nil
}

// keyFile returns keys.json, or "" when it does not exist.
func (f *fixture) keyFile() string {
	b, err := os.ReadFile(f.dir + "/" + vault.FileName)
	if err != nil {
		return ""
	}
	return string(b)
}

// leaks returns the secrets of the remembered keys that text contains, in
// any of the forms a careless encoder would write them.
func (f *fixture) leaks(text string) []string {
	var found []string
	for _, k := range f.secretsSeen {
		for what, s := range map[string]string{"private key of " + k.Name: k.PrivateKey, "API key of " + k.Name: k.APIKey} {
			core := strings.TrimRight(s, "=")
			for _, v := range []string{core, strings.ReplaceAll(core, "/", `\/`), core[:len(core)/2], core[len(core)/2:]} {
				if strings.Contains(text, v) {
					found = append(found, what)
					break
				}
			}
		}
	}
	return found
}

// lines returns the non-empty lines of s.
func lines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	return out
}

var (
	taxPerms = vault.PurposeTaxImport.LeastPermissions()
	botPerms = vault.PurposeTradingBot.LeastPermissions()
)
