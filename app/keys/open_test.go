package keys_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func noEnv(string) string { return "" }

// TestOpen_partsShareFolderAndKeyring: the composition root puts the
// parts together as one: the folder from the config, checks against the
// exchange it names over the same keyring, app 2FA's guard over that
// keyring too.
func TestOpen_partsShareFolderAndKeyring(t *testing.T) {
	ex := krakentest.New()
	t.Cleanup(ex.Close)
	dir, secrets := t.TempDir(), vault.NewMemory()
	svc, err := keys.Open(keys.Config{Dir: dir, Getenv: noEnv, Secrets: secrets, BaseURL: ex.URL()})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := svc.Dir(), dir; got != want {
		t.Errorf("Dir() = %q, want %q", got, want)
	}
	k := ex.AddKey(krakentest.Key{Permissions: []kraken.Permission{kraken.QueryFunds}})
	rb := svc.Verify(context.Background(), vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey}, vault.TwoFANone, "")
	if rb.Outcome != vault.OutcomeOK {
		t.Errorf("a key verified through the opened service: %s (%s), want ok", rb.Outcome, rb.Problem)
	}
	if on, err := svc.AppGuard().Required(); err != nil || on {
		t.Fatalf("app 2FA with no seed: Required() = %v, %v; want off", on, err)
	}
	if err := secrets.Set(guard.SeedID, vault.Secret{OTPSeed: "JBSWY3DPEHPK3PXP"}); err != nil {
		t.Fatal(err)
	}
	if on, err := svc.AppGuard().Required(); err != nil || !on {
		t.Errorf("app 2FA with its seed in the service's keyring: Required() = %v, %v; want on", on, err)
	}
}

// TestOpen_folderFromEnv: without a folder in the config, the folder is
// KEYWARDEN_DIR.
func TestOpen_folderFromEnv(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kw")
	getenv := func(k string) string {
		if k == keys.EnvDir {
			return dir
		}
		return ""
	}
	svc, err := keys.Open(keys.Config{Getenv: getenv, Secrets: vault.NewMemory()})
	if err != nil {
		t.Fatal(err)
	}
	if got := svc.Dir(); got != dir {
		t.Errorf("Dir() = %q, want %q", got, dir)
	}
}

// TestOpen_refusedExchange: an exchange address Open refuses is its error,
// unless the service may work offline; then it refuses checks.
func TestOpen_refusedExchange(t *testing.T) {
	getenv := func(k string) string {
		if k == keys.EnvKrakenURL {
			return "http://203.0.113.7/"
		}
		return ""
	}
	c := keys.Config{Dir: t.TempDir(), Getenv: getenv, Secrets: vault.NewMemory()}
	if _, err := keys.Open(c); !errors.Is(err, check.ErrNotLoopback) {
		t.Errorf("Open with %s on another computer: %v, want check.ErrNotLoopback", keys.EnvKrakenURL, err)
	}
	c.Offline = true
	svc, err := keys.Open(c)
	if err != nil {
		t.Fatalf("Open offline: %v", err)
	}
	rb := svc.Verify(context.Background(), vault.Secret{APIKey: "a", PrivateKey: "b"}, vault.TwoFANone, "")
	if want := keys.UserMessage(keys.ErrNoExchange); rb.Outcome != vault.OutcomeError || rb.Problem != want {
		t.Errorf("a check offline: %s %q, want error %q", rb.Outcome, rb.Problem, want)
	}
}

// TestOpen_unusableFolder: a folder Open cannot use is a FolderError,
// worded with its path and what to do.
func TestOpen_unusableFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := keys.Open(keys.Config{Dir: file, Getenv: noEnv, Secrets: vault.NewMemory()})
	var ferr *keys.FolderError
	if !errors.As(err, &ferr) || ferr.Dir != file {
		t.Fatalf("Open on a file: %v, want a FolderError naming it", err)
	}
	if msg := keys.UserMessage(err); !strings.Contains(msg, file) || !strings.Contains(msg, keys.EnvDir) {
		t.Errorf("its words %q do not name the folder and %s", msg, keys.EnvDir)
	}
}
