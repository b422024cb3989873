package keys_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/sweep"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// plantEnv writes a bot's .env file holding the key between other lines,
// with mode 0600, and returns its path.
func plantEnv(t *testing.T, home string, k krakentest.Key) string {
	t.Helper()
	p := filepath.Join(home, "bots", "gridbot", ".env")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	text := "# grid bot\nPAIR=XBTEUR\nKRAKEN_API_KEY=" + k.APIKey + "\nKRAKEN_API_SECRET=" + k.PrivateKey + "\nSTEP=0.5\n"
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// foundHit sweeps home and returns the one hit of a key not in the vault.
func foundHit(t *testing.T, home string) sweep.Hit {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := sweep.Run(ctx, sweep.Options{Roots: []string{home}})
	if err != nil {
		t.Fatal(err)
	}
	var hits []sweep.Hit
	for _, h := range rep.Hits {
		if h.Kind == sweep.KindUnknown {
			hits = append(hits, h)
		}
	}
	if len(hits) != 1 {
		t.Fatalf("the sweep found %d keys not in the vault, want 1: %v", len(hits), rep.Hits)
	}
	return hits[0]
}

const wantLeft = "# grid bot\nPAIR=XBTEUR\nSTEP=0.5\n"

// checkRemoved checks the key's lines left the file, the others stayed,
// and the backup holds the file as it was, with its mode.
func checkRemoved(t *testing.T, path, was string, rc *keys.RemovedCopy) {
	t.Helper()
	if rc == nil {
		t.Fatal("the copy was not removed")
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != wantLeft {
		t.Errorf("the file holds %q, want %q", got, wantLeft)
	}
	if !slices.Equal(rc.Lines, []int{3, 4}) {
		t.Errorf("removed lines %v, want [3 4]", rc.Lines)
	}
	if !strings.HasPrefix(rc.Backup, path+".keywarden-backup-") {
		t.Errorf("backup %q is not beside the file", rc.Backup)
	}
	b, err := os.ReadFile(rc.Backup)
	if err != nil || string(b) != was {
		t.Errorf("the backup does not hold the file as it was: %v", err)
	}
	for _, p := range []string{path, rc.Backup} {
		if fi, err := os.Stat(p); err != nil || (fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows") { // Windows has no mode bits
			t.Errorf("%s: mode %v (%v), want 0600", p, fi.Mode().Perm(), err)
		}
	}
}

func TestService_Import(t *testing.T) {
	ctx := context.Background()

	t.Run("a found key is verified, saved with the exchange's permissions, and its copy removed after a backup", func(t *testing.T) {
		f := newFixture(t)
		k, _ := f.exchangeKey(krakentest.Key{Name: "grid", Permissions: []kraken.Permission{kraken.QueryFunds, kraken.QueryOpenTrades, kraken.ModifyTrades, kraken.CloseTrades}})
		home := t.TempDir()
		path := plantEnv(t, home, k)
		was, _ := os.ReadFile(path)
		h := foundHit(t, home)
		if h.Part != sweep.PartPair {
			t.Fatalf("the sweep found the %s only", h.Part.Words())
		}

		snap, err := f.svc.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		name := keys.ImportName(h, snap.Records)
		if name != "gridbot" {
			t.Errorf("suggested name %q, want gridbot", name)
		}
		f.ex.ResetCalls()
		rb, err := f.svc.VerifyFound(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		if p := keys.PurposeFor(rb.Permissions); p != vault.PurposeTradingBot {
			t.Errorf("purpose %q for a key that trades, want trading-bot", p)
		}
		res, err := f.svc.Import(ctx, keys.Import{Hit: h, Name: name, UsedBy: []string{"grid bot", " "}, Readback: &rb, RemoveCopy: true})
		if err != nil {
			t.Fatal(err)
		}
		if c := f.ex.Calls(); len(c) != 1 || c[0].Method != "GetApiKeyInfo" {
			t.Errorf("%d calls to the exchange (%v), want one GetApiKeyInfo", len(c), c)
		}
		if res.RemoveErr != nil {
			t.Fatalf("the copy was not removed: %v", res.RemoveErr)
		}
		got := f.record(t, res.Record.ID)
		if got.Name != "gridbot" || got.Purpose != vault.PurposeTradingBot || !slices.Equal(got.UsedBy, []string{"grid bot"}) {
			t.Errorf("record %q purpose %q used by %q", got.Name, got.Purpose, got.UsedBy)
		}
		if !slices.Equal(got.Intended, kraken.SortPermissions(k.Permissions)) {
			t.Errorf("intended %v, want what the exchange reports %v", got.Intended, k.Permissions)
		}
		if s, err := f.secrets.Get(got.ID); err != nil || s.APIKey != k.APIKey || s.PrivateKey != k.PrivateKey {
			t.Errorf("the keyring does not hold the key: %v", err)
		}
		checkRemoved(t, path, string(was), res.Removed)
		msg := keys.UserMessage(&keys.ImportError{Msg: "x"}) + res.Removed.Backup + strings.Join(got.UsedBy, "")
		if strings.Contains(msg, k.APIKey) || strings.Contains(msg, k.PrivateKey) {
			t.Error("a message shows the key")
		}
	})

	t.Run("a key kept already is refused, naming the record, and the file is left alone", func(t *testing.T) {
		f := newFixture(t)
		k, sec := f.exchangeKey(krakentest.Key{Name: "grid"})
		kept, err := f.svc.Add(ctx, newKey("grid bot", sec))
		if err != nil {
			t.Fatal(err)
		}
		home := t.TempDir()
		path := plantEnv(t, home, k)
		was, _ := os.ReadFile(path)
		h := foundHit(t, home) // swept without the stored keys: found as unknown
		_, err = f.svc.Import(ctx, keys.Import{Hit: h, Name: "another", RemoveCopy: true})
		var dup *keys.DuplicateKeyError
		if !errors.As(err, &dup) || dup.Holder.ID != kept.ID {
			t.Fatalf("got %v, want a *DuplicateKeyError naming %s", err, kept.ID)
		}
		if msg := keys.UserMessage(err); !strings.Contains(msg, "“grid bot”") {
			t.Errorf("message %q does not name the record", msg)
		}
		if len(f.records(t)) != 1 {
			t.Errorf("records %v, want only the kept one", names(f.records(t)))
		}
		if now, _ := os.ReadFile(path); string(now) != string(was) {
			t.Error("the file was changed")
		}
		if m, _ := filepath.Glob(path + ".keywarden-backup-*"); len(m) != 0 {
			t.Errorf("backups %v were written", m)
		}
	})

	t.Run("a file that changed since the sweep is not touched; the key is saved all the same", func(t *testing.T) {
		f := newFixture(t)
		k, _ := f.exchangeKey(krakentest.Key{Name: "grid"})
		home := t.TempDir()
		path := plantEnv(t, home, k)
		h := foundHit(t, home)
		was, _ := os.ReadFile(path)
		edited := "# edited after the sweep\n" + string(was)
		if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.Import(ctx, keys.Import{Hit: h, Name: "grid", RemoveCopy: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Removed != nil || res.RemoveErr == nil {
			t.Fatalf("removed %+v, error %v; want the file refused", res.Removed, res.RemoveErr)
		}
		if msg := keys.UserMessage(res.RemoveErr); !strings.Contains(msg, "changed since the sweep") || !strings.Contains(msg, path) {
			t.Errorf("message %q", msg)
		}
		if now, _ := os.ReadFile(path); string(now) != edited {
			t.Error("the file was changed")
		}
		if m, _ := filepath.Glob(path + ".keywarden-backup-*"); len(m) != 0 {
			t.Errorf("backups %v were written", m)
		}
		if _, ok := f.lookup(t, res.Record.ID); !ok {
			t.Error("the key was not saved")
		}
	})

	t.Run("a copy in a git history offers no removal and says what to do instead", func(t *testing.T) {
		if _, err := exec.LookPath("git"); err != nil {
			t.Skip("git is not installed")
		}
		f := newFixture(t)
		k, _ := f.exchangeKey(krakentest.Key{Name: "grid"})
		home := t.TempDir()
		repo := filepath.Join(home, "gridbot")
		path := plantEnv(t, repo, k) // repo/bots/gridbot/.env
		runGit(t, repo, "init", "-q")
		runGit(t, repo, "add", "-A")
		runGit(t, repo, "commit", "-q", "-m", "config")
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		runGit(t, repo, "commit", "-q", "-a", "-m", "no keys in git")
		h := foundHit(t, home)
		if h.Git == nil {
			t.Fatalf("the hit %s is not in the git history", h.Where())
		}
		ok, why := keys.CanRemoveCopy(h)
		if ok || !strings.Contains(why, "git") {
			t.Errorf("CanRemoveCopy = %v, %q", ok, why)
		}
		// Issue 20: while importing, the advice said "keywarden add --name".
		for _, advice := range []string{why, keys.ImportStep(h)} {
			if strings.Contains(advice, "keywarden add") || !strings.Contains(advice, "git filter-repo") {
				t.Errorf("the advice while importing is %q", advice)
			}
		}
		res, err := f.svc.Import(ctx, keys.Import{Hit: h, Name: "grid", RemoveCopy: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Removed != nil || res.RemoveErr == nil || !strings.Contains(keys.UserMessage(res.RemoveErr), "history") {
			t.Errorf("removed %+v, error %v", res.Removed, res.RemoveErr)
		}
	})

	t.Run("a copy inside a gzip file is left alone, with why", func(t *testing.T) {
		f := newFixture(t)
		k, _ := f.exchangeKey(krakentest.Key{Name: "grid"})
		home := t.TempDir()
		path := plantEnv(t, home, k)
		var packed bytes.Buffer
		zw := gzip.NewWriter(&packed)
		was, _ := os.ReadFile(path)
		zw.Write(was)
		zw.Close()
		gz := filepath.Join(home, "bot.log.1.gz")
		if err := os.WriteFile(gz, packed.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		h := foundHit(t, home)
		ok, why := keys.CanRemoveCopy(h)
		if ok || !strings.Contains(why, "compressed") || h.Path != gz {
			t.Errorf("CanRemoveCopy = %v, %q for %s", ok, why, h.Where())
		}
		res, err := f.svc.Import(ctx, keys.Import{Hit: h, Name: "grid", RemoveCopy: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Removed != nil || res.RemoveErr == nil || !strings.Contains(keys.UserMessage(res.RemoveErr), "compressed") {
			t.Errorf("removed %+v, error %v", res.Removed, res.RemoveErr)
		}
		if now, _ := os.ReadFile(gz); !bytes.Equal(now, packed.Bytes()) {
			t.Error("the gzip file was changed")
		}
	})

	t.Run("in a JSON file the values are emptied, so the file stays JSON", func(t *testing.T) {
		f := newFixture(t)
		k, _ := f.exchangeKey(krakentest.Key{Name: "ft", APIKey: "", PrivateKey: ""})
		home := t.TempDir()
		p := filepath.Join(home, "ft", "user_data", "config.json")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		esc := func(s string) string { return strings.ReplaceAll(s, "/", `\/`) }
		text := "{\n  \"exchange\": {\n    \"name\": \"kraken\",\n    \"key\": \"" + esc(k.APIKey) + "\",\n    \"secret\": \"" + esc(k.PrivateKey) + "\"\n  }\n}\n"
		if err := os.WriteFile(p, []byte(text), 0o640); err != nil {
			t.Fatal(err)
		}
		h := foundHit(t, home)
		res, err := f.svc.Import(ctx, keys.Import{Hit: h, Name: "ft", RemoveCopy: true})
		if err != nil || res.Removed == nil {
			t.Fatalf("import %v, copy not removed: %v", err, res.RemoveErr)
		}
		want := "{\n  \"exchange\": {\n    \"name\": \"kraken\",\n    \"key\": \"\",\n    \"secret\": \"\"\n  }\n}\n"
		if b, _ := os.ReadFile(p); string(b) != want || !res.Removed.Blanked || !slices.Equal(res.Removed.Lines, []int{4, 5}) {
			t.Errorf("the file holds %q (blanked %v, lines %v), want %q", b, res.Removed.Blanked, res.Removed.Lines, want)
		}
		if fi, err := os.Stat(res.Removed.Backup); err != nil || (fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows") {
			t.Errorf("backup: %v, want mode 0600 (it holds the key)", err)
		}
	})

	t.Run("half a key is not imported", func(t *testing.T) {
		f := newFixture(t)
		k, _ := f.exchangeKey(krakentest.Key{Name: "grid"})
		home := t.TempDir()
		if err := os.WriteFile(filepath.Join(home, "notes.txt"), []byte("KRAKEN_API_KEY="+k.APIKey+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		h := foundHit(t, home)
		_, err := f.svc.Import(ctx, keys.Import{Hit: h, Name: "grid"})
		var ie *keys.ImportError
		if !errors.As(err, &ie) || !strings.Contains(keys.UserMessage(err), "needs both") {
			t.Errorf("got %v", err)
		}
		if len(f.records(t)) != 0 {
			t.Error("a record was saved")
		}
	})
}

func TestPurposeFor(t *testing.T) {
	for _, c := range []struct {
		perms []kraken.Permission
		want  vault.Purpose
	}{
		{nil, vault.PurposeCustom},
		{[]kraken.Permission{kraken.QueryFunds, kraken.QueryOpenTrades}, vault.PurposeDashboard},
		{[]kraken.Permission{kraken.QueryFunds, kraken.QueryLedger, kraken.ExportData}, vault.PurposeTaxImport},
		{[]kraken.Permission{kraken.QueryFunds, kraken.ModifyTrades}, vault.PurposeTradingBot},
		{[]kraken.Permission{kraken.AddFunds}, vault.PurposeCustom},
		{[]kraken.Permission{kraken.ModifyTrades, kraken.WithdrawFunds}, vault.PurposeCustom},
	} {
		if got := keys.PurposeFor(c.perms); got != c.want {
			t.Errorf("PurposeFor(%v) = %q, want %q", c.perms, got, c.want)
		}
	}
}

// TestImport_realKeyring imports a found key through the system keyring
// (a service name of its own, cleared at the end) and a simulated exchange.
func TestImport_realKeyring(t *testing.T) {
	ring := liveKeyring(t)
	dir := t.TempDir()
	store, err := vault.Open(filepath.Join(dir, "store"))
	if err != nil {
		t.Fatal(err)
	}
	ex := krakentest.New()
	t.Cleanup(ex.Close)
	svc := keys.New(keys.Params{Store: store, Secrets: ring, Runner: &check.Runner{Secrets: ring, BaseURL: ex.URL()},
		Settings: testSettings(store.Dir(), dir)})
	k := ex.AddKey(krakentest.Key{Name: "tax", Permissions: []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger, kraken.ExportData}})
	home := t.TempDir()
	path := plantEnv(t, home, k)
	was, _ := os.ReadFile(path)
	h := foundHit(t, home)

	res, err := svc.Import(context.Background(), keys.Import{Hit: h, Name: keys.ImportName(h, nil), RemoveCopy: true})
	if err != nil {
		t.Fatal(keys.UserMessage(err), err)
	}
	if res.Record.Purpose != vault.PurposeTaxImport {
		t.Errorf("purpose %q, want tax-import from the exchange's permissions", res.Record.Purpose)
	}
	s, err := ring.Get(res.Record.ID)
	if err != nil || s.APIKey != k.APIKey || s.PrivateKey != k.PrivateKey {
		t.Fatalf("the system keyring does not hold the imported key: %v", err)
	}
	checkRemoved(t, path, string(was), res.Removed)

	// Importing it again is refused, naming the record.
	_, err = svc.Import(context.Background(), keys.Import{Hit: h, Name: "again"})
	if !errors.Is(err, keys.ErrDuplicateKey) || !strings.Contains(keys.UserMessage(err), res.Record.ID) {
		t.Errorf("a second import: %v", err)
	}
}

// runGit runs git in dir with a private configuration.
func runGit(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}
