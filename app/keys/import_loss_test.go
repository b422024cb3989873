package keys_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/sweep"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// escapedPair returns a key pair whose API key and private key both hold
// "+" and "/", the characters JSON writers escape as \u002b and \u002f.
func escapedPair(t *testing.T) krakentest.Key {
	t.Helper()
	for range 10000 {
		api, priv := krakentest.NewKeyPair()
		if strings.ContainsAny(api, "+") && strings.Contains(api, "/") && strings.Contains(priv, "+") && strings.Contains(priv, "/") {
			return krakentest.Key{APIKey: api, PrivateKey: priv}
		}
	}
	t.Fatal("no key pair with + and / in both halves")
	return krakentest.Key{}
}

// uEscape writes every "+", "/" and "=" as JSON's \u escapes, as Python's
// json.dumps(ensure_ascii) and some Go encoders do not but others do.
func uEscape(s string) string {
	return strings.NewReplacer("+", `\u002b`, "/", `\u002f`, "=", `\u003d`).Replace(s)
}

// slashEscape writes "/" as `\/`, as PHP's json_encode does.
func slashEscape(s string) string { return strings.ReplaceAll(s, "/", `\/`) }

// withoutKey returns the decoded JSON document with the key's values cut
// out of every string, as the person's file must read after the clean.
func withoutKey(v any, k krakentest.Key) any {
	switch x := v.(type) {
	case string:
		return strings.ReplaceAll(strings.ReplaceAll(x, k.PrivateKey, ""), k.APIKey, "")
	case []any:
		for i := range x {
			x[i] = withoutKey(x[i], k)
		}
	case map[string]any:
		for n, e := range x {
			x[n] = withoutKey(e, k)
		}
	}
	return v
}

// firstHit sweeps home and returns the first hit of the one key not in
// the vault, which may be found more than once.
func firstHit(t *testing.T, home string) sweep.Hit {
	t.Helper()
	rep, err := sweep.Run(context.Background(), sweep.Options{Roots: []string{home}})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range rep.Hits {
		if h.Kind != sweep.KindUnknown || h.Unknown != 1 {
			t.Fatalf("hit %s: want one key not in the vault", h.Where())
		}
	}
	if len(rep.Hits) == 0 {
		t.Fatal("the sweep found nothing")
	}
	return rep.Hits[0]
}

func TestRemoveCopy_json(t *testing.T) {
	// Each case is a template: API and PRIV stand for the key's values, as
	// escaped by esc; want is the file after, with every other byte kept.
	cases := []struct {
		name, file, text string
		esc              func(string) string
	}{
		{"a one-line file whose values use \\u002b and \\u002f keeps every other setting", "config.json",
			`{"exchange":{"name":"kraken","key":"API","secret":"PRIV","pair_whitelist":["XBT/EUR","ETH/EUR"]},"stake_currency":"EUR","dry_run":false,"max_open_trades":3}`, uEscape},
		{"pretty JSON with \\u escapes", "config.json",
			"{\n  \"exchange\": {\n    \"name\": \"kraken\",\n    \"key\": \"API\",\n    \"secret\": \"PRIV\"\n  },\n  \"stake_amount\": 50\n}\n", uEscape},
		{"`\\/` escapes on one line", "bot.json", `{"key":"API","secret":"PRIV","note":"a\/b"}`, slashEscape},
		{"a value used twice", "config.json",
			"{\n  \"key\": \"API\", \"secret\": \"PRIV\",\n  \"backup\": {\"key\": \"API\", \"secret\": \"PRIV\"},\n  \"pair\": \"XBT/EUR\"\n}\n", uEscape},
		{"the key inside a longer value, beside other words", "settings",
			`[{"cmd":"bot --key API --secret PRIV --pair XBTEUR","on":true}]`, uEscape},
		{"a JSON file told by its content, not its name", "bot.conf",
			"{\"kraken\": {\"key\": \"API\", \"secret\": \"PRIV\"}, \"log\": \"/var/log/bot\"}\n", slashEscape},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := escapedPair(t)
			home := t.TempDir()
			p := filepath.Join(home, "bot", c.file)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			text := strings.NewReplacer("API", c.esc(k.APIKey), "PRIV", c.esc(k.PrivateKey)).Replace(c.text)
			want := strings.NewReplacer("API", "", "PRIV", "").Replace(c.text)
			if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			var before any
			if err := json.Unmarshal([]byte(text), &before); err != nil {
				t.Fatal(err)
			}
			h := firstHit(t, home)
			rc, err := keys.RemoveCopy(context.Background(), h, time.Now())
			if err != nil {
				t.Fatalf("the copy was not removed: %v", err)
			}
			got, _ := os.ReadFile(p)
			var after any
			if err := json.Unmarshal(got, &after); err != nil {
				t.Fatalf("the file is no longer JSON (%v): %d bytes %q", err, len(got), got)
			}
			if !reflect.DeepEqual(after, withoutKey(before, k)) {
				t.Errorf("the file lost settings:\n got %v\nwant %v", after, withoutKey(before, k))
			}
			if string(got) != want {
				t.Errorf("the file holds\n%q\nwant, every other byte kept,\n%q", got, want)
			}
			if !rc.Blanked || len(rc.Dropped) != 0 {
				t.Errorf("blanked %v, dropped lines %v: a JSON file loses no line", rc.Blanked, rc.Dropped)
			}
		})
	}

	t.Run("a .json file that does not read as JSON is left alone, saying so", func(t *testing.T) {
		k := escapedPair(t)
		home := t.TempDir()
		p := filepath.Join(home, "config.json")
		text := "// my bot\n{\"key\": \"" + uEscape(k.APIKey) + "\", \"secret\": \"" + uEscape(k.PrivateKey) + "\", \"pair\": \"XBTEUR\"}\n"
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := keys.RemoveCopy(context.Background(), foundHit(t, home), time.Now())
		var ce *keys.CopyError
		if !errors.As(err, &ce) || !strings.Contains(keys.UserMessage(err), "does not read as JSON") {
			t.Errorf("got %v, want a *CopyError saying the file does not read as JSON", err)
		}
		if got, _ := os.ReadFile(p); string(got) != text {
			t.Errorf("the file changed: %q", got)
		}
	})
}

func TestRemoveCopy_lines(t *testing.T) {
	k := escapedPair(t)
	home := t.TempDir()
	p := filepath.Join(home, "bot", "settings.yaml")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	text := "pair: XBTEUR\nkraken: {key: " + k.APIKey + ", secret: " + k.PrivateKey + ", tier: pro}\nstep: 0.5\n"
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	rc, err := keys.RemoveCopy(context.Background(), foundHit(t, home), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := "pair: XBTEUR\nkraken: {key: , secret: , tier: pro}\nstep: 0.5\n"
	if got, _ := os.ReadFile(p); string(got) != want {
		t.Errorf("the file holds %q, want %q: a line holding more than the key is kept, the key cut out", got, want)
	}
	if len(rc.Dropped) != 0 || !rc.Blanked {
		t.Errorf("dropped %v, blanked %v", rc.Dropped, rc.Blanked)
	}
}

// childAppender is a bot that keeps its file open for appending: it opens
// KW_FILE with O_APPEND, says "ready", then appends every line it reads
// from its standard input, until that ends.
func childAppender() int {
	f, err := os.OpenFile(os.Getenv("KW_FILE"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer f.Close()
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if _, err := f.WriteString(in.Text() + "\n"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println("wrote")
	}
	return 0
}

// appender starts childAppender on path and returns its standard input
// and a function that writes a line and waits until it is written.
func appender(t *testing.T, path string) (cmd interface{ Wait() error }, pid int, write func(string), stop func()) {
	t.Helper()
	c := childCommand(t, "appender", "KW_FILE="+path)
	stdin, err := c.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := c.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.Stderr = os.Stderr
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewScanner(stdout)
	expect := func(want string) {
		if !out.Scan() || out.Text() != want {
			t.Fatalf("the appender said %q, want %q", out.Text(), want)
		}
	}
	expect("ready")
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			stdin.Close()
			io.Copy(io.Discard, stdout)
			if err := c.Wait(); err != nil {
				t.Errorf("the appender: %v", err)
			}
		}
	}
	t.Cleanup(stop)
	return c, c.Process.Pid, func(line string) { fmt.Fprintln(stdin, line); expect("wrote") }, stop
}

func TestRemoveCopy_fileIdentity(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("names the process through /proc") // other systems: see openRewrite
	}
	ctx := context.Background()

	t.Run("a bot appending to the file is named and the clean refused; once it stops, the clean keeps every line it wrote", func(t *testing.T) {
		f := newFixture(t)
		k, _ := f.exchangeKey(krakentest.Key{Name: "grid"})
		home := t.TempDir()
		path := plantEnv(t, home, k)
		was, _ := os.ReadFile(path)
		h := foundHit(t, home)
		_, pid, write, stop := appender(t, path)

		_, err := keys.RemoveCopy(ctx, h, time.Now())
		msg := keys.UserMessage(err)
		exe, _ := os.Executable()
		comm := filepath.Base(exe)[:min(15, len(filepath.Base(exe)))] // the name Linux keeps
		if err == nil || !strings.Contains(msg, comm+" (PID "+strconv.Itoa(pid)+")") || !strings.Contains(msg, "open for writing") {
			t.Fatalf("got %v (%q), want the clean refused naming %s (PID %d)", err, msg, comm, pid)
		}
		if got, _ := os.ReadFile(path); string(got) != string(was) {
			t.Errorf("the file changed: %q", got)
		}
		if m, _ := filepath.Glob(path + ".keywarden-backup-*"); len(m) != 0 {
			t.Errorf("backups %v were left", m)
		}
		// The import itself saves nothing while the file is held.
		_, err = f.svc.Import(ctx, keys.Import{Hit: h, Name: "grid", RemoveCopy: true})
		var ie *keys.ImportError
		if !errors.As(err, &ie) || !strings.Contains(keys.UserMessage(err), "(PID "+strconv.Itoa(pid)+")") || len(f.records(t)) != 0 {
			t.Errorf("import: %v, %d records; want it refused naming the bot, nothing saved", err, len(f.records(t)))
		}

		for i := 1; i <= 10; i++ {
			write(fmt.Sprintf("tick %d", i))
		}
		stop()
		fi, _ := os.Stat(path)
		rc, err := keys.RemoveCopy(ctx, foundHit(t, home), time.Now())
		if err != nil {
			t.Fatalf("with the bot stopped: %v", err)
		}
		got, _ := os.ReadFile(path)
		kept := 0
		for i := 1; i <= 10; i++ {
			if strings.Contains(string(got), fmt.Sprintf("tick %d\n", i)) {
				kept++
			}
		}
		t.Logf("%d of 10 lines the bot appended are in the file after the clean", kept)
		if kept != 10 || strings.Contains(string(got), k.APIKey) {
			t.Errorf("the file holds %q", got)
		}
		if now, _ := os.Stat(path); !os.SameFile(fi, now) {
			t.Error("the clean replaced the file with another one")
		}
		if len(rc.Dropped) != 2 {
			t.Errorf("dropped %v", rc.Dropped)
		}
	})

	t.Run("the clean rewrites the same file: a program that has it open goes on writing into it", func(t *testing.T) {
		home := t.TempDir()
		k := krakentest.Key{}
		k.APIKey, k.PrivateKey = krakentest.NewKeyPair()
		path := plantEnv(t, home, k)
		fi, _ := os.Stat(path)
		h := foundHit(t, home)
		// Opened by this process (a reader of the config, say): not a
		// writer in another process, so the clean goes ahead.
		w, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if _, err := keys.RemoveCopy(ctx, h, time.Now()); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 10; i++ {
			fmt.Fprintf(w, "tick %d\n", i)
		}
		got, _ := os.ReadFile(path)
		if want := wantLeft + "tick 1\ntick 2\ntick 3\ntick 4\ntick 5\ntick 6\ntick 7\ntick 8\ntick 9\ntick 10\n"; string(got) != want {
			t.Errorf("the file holds %q, want %q", got, want)
		}
		if now, _ := os.Stat(path); !os.SameFile(fi, now) {
			t.Error("the clean replaced the file with another one")
		}
	})
}

func TestRemoveCopy_backupMode(t *testing.T) {
	home := t.TempDir()
	k := krakentest.Key{}
	k.APIKey, k.PrivateKey = krakentest.NewKeyPair()
	path := plantEnv(t, home, k)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	rc, err := keys.RemoveCopy(context.Background(), foundHit(t, home), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(rc.Backup); err != nil || (fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows") {
		t.Errorf("the backup of a 0644 file has mode %v (%v), want 0600: it holds the key", fi.Mode().Perm(), err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 && runtime.GOOS != "windows" {
		t.Errorf("the file's own mode became %v", fi.Mode().Perm())
	}
}

func TestService_SpentBackups(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	k, _ := f.exchangeKey(krakentest.Key{Name: "grid"})
	home := t.TempDir()
	path := plantEnv(t, home, k)
	res, err := f.svc.Import(ctx, keys.Import{Hit: foundHit(t, home), Name: "grid", RemoveCopy: true})
	if err != nil || res.Removed == nil || res.BackupErr != nil {
		t.Fatalf("import: %v, %v, %v", err, res.RemoveErr, res.BackupErr)
	}
	listed, err := f.svc.Backups()
	if err != nil || len(listed) != 1 || listed[0].Path != res.Removed.Backup || listed[0].Of != path || listed[0].Key != res.Record.ID {
		t.Fatalf("backups %+v (%v)", listed, err)
	}
	sweepFor := func() *sweep.Report {
		rep, err := sweep.Run(ctx, sweep.Options{Roots: []string{home}, NoGit: true,
			Keys: []sweep.Key{{ID: res.Record.ID, Name: "grid", APIKey: k.APIKey, PrivateKey: k.PrivateKey}}})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}

	// Another copy left: the backup is still needed.
	other := filepath.Join(home, "notes.txt")
	if err := os.WriteFile(other, []byte("key "+k.APIKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if spent, err := f.svc.SpentBackups(sweepFor(), []string{res.Record.ID}); err != nil || len(spent) != 0 {
		t.Errorf("with another copy left: spent %v (%v)", spent, err)
	}
	os.Remove(other)
	// A sweep that did not look for the key, or not where the file is,
	// says nothing of it.
	if spent, _ := f.svc.SpentBackups(sweepFor(), nil); len(spent) != 0 {
		t.Errorf("a sweep without the key's secret: spent %v", spent)
	}
	elsewhere, _ := sweep.Run(ctx, sweep.Options{Roots: []string{t.TempDir()}})
	if spent, _ := f.svc.SpentBackups(elsewhere, []string{res.Record.ID}); len(spent) != 0 {
		t.Errorf("a sweep of another folder: spent %v", spent)
	}
	// Clean but for the backup itself: offered, and deleted.
	spent, err := f.svc.SpentBackups(sweepFor(), []string{res.Record.ID})
	if err != nil || len(spent) != 1 || spent[0].Path != res.Removed.Backup {
		t.Fatalf("after a clean sweep: spent %v (%v)", spent, err)
	}
	if err := f.svc.DeleteBackups(spent); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(res.Removed.Backup); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the backup is still there: %v", err)
	}
	if listed, _ := f.svc.Backups(); len(listed) != 0 {
		t.Errorf("still listed: %v", listed)
	}
	if rep := sweepFor(); len(rep.Hits) != 0 {
		t.Errorf("the sweep still finds %v", rep.Hits)
	}
}
