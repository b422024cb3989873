package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

func TestUserMessage(t *testing.T) {
	raw := "dial tcp 127.0.0.1:443: connect: connection refused"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"keyring", &vault.KeyringError{Op: "get", Err: errors.New("org.freedesktop.DBus.Error.ServiceUnknown")}, vault.UserMessage(vault.ErrKeyringUnavailable)},
		{"missing secret", fmt.Errorf("copy: %w", vault.ErrSecretNotFound), vault.UserMessage(vault.ErrSecretNotFound)},
		{"exchange", fmt.Errorf("%w: %s", kraken.ErrNetwork, raw), kraken.UserMessage(kraken.ErrNetwork)},
		{"app 2FA", fmt.Errorf("verify: %w", guard.ErrReplayed), guard.UserMessage(guard.ErrReplayed)},
		{"file", &vault.StoreError{Op: "save", Path: "/x/keys.json", Err: errors.New(raw)}, "Keywarden could not save its key list (/x/keys.json), so nothing was changed."},
		{"a save that failed, wrapped", fmt.Errorf("mark reviewed: %w", &vault.StoreError{Op: "save", Path: "/x/keys.json", Err: errors.New(raw)}), "Keywarden could not save its key list"},
		{"anything else", errors.New(raw), "Something went wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := userMessage(tt.err)
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if strings.Contains(got, "127.0.0.1") || strings.Contains(got, "DBus") {
				t.Errorf("%q shows the raw error", got)
			}
		})
	}
}

func TestKeyringLocked(t *testing.T) {
	f := newDemoFixture(t)
	rec := f.byName("koinly-tax-import")
	before := f.stored(rec.ID)
	f.secrets.SetError(&vault.KeyringError{Op: "get", Err: errors.New("org.freedesktop.Secret.Error.IsLocked")})
	want := vault.UserMessage(vault.ErrKeyringUnavailable)

	f.mw.showDetail(rec.ID)
	test.Tap(f.mw.detail.copyKey)
	f.wait()
	if f.mw.lastMessage != want {
		t.Errorf("copy: message %q, want %q", f.mw.lastMessage, want)
	}
	if got := f.app.Clipboard().Content(); got != "" {
		t.Errorf("clipboard holds %q", got)
	}

	f.mw.lastMessage = ""
	test.Tap(f.mw.detail.checkNow)
	f.wait()
	if f.mw.lastMessage != want {
		t.Errorf("check: message %q, want %q", f.mw.lastMessage, want)
	}
	after := f.stored(rec.ID)
	if len(after.History) != len(before.History) || !after.LastCheck.At.Equal(before.LastCheck.At) {
		t.Error("a locked keyring was recorded as a check of the key")
	}
}

func TestClipboard_clearsTheSecret(t *testing.T) {
	f := newDemoFixture(t)
	f.mw.clip.delay = 20 * time.Millisecond
	rec := f.byName("koinly-tax-import")
	secret, _ := f.secrets.Get(rec.ID)
	// The real clipboard is used from the UI goroutine only; here the test
	// writes to it while the timer may read it, so it takes a lock.
	clip := &lockedClipboard{}
	f.mw.clip.clip = clip
	waitClear := func() {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for f.mw.clip.armed.Load() != 0 {
			if time.Now().After(deadline) {
				t.Fatal("the clipboard was not cleared in time")
			}
			time.Sleep(2 * time.Millisecond)
		}
	}

	f.mw.showDetail(rec.ID)
	test.Tap(f.mw.detail.copyPrivate)
	f.wait()
	waitClear()
	if got := clip.history(); len(got) < 1 || got[0] != secret.PrivateKey {
		t.Fatal("the private key was not put on the clipboard")
	}
	if got := clip.Content(); got != "" {
		t.Errorf("after the delay the clipboard holds %d characters, want none", len(got))
	}

	t.Run("something copied since is left alone", func(t *testing.T) {
		f.mw.clip.delay = 50 * time.Millisecond
		test.Tap(f.mw.detail.copyKey)
		f.wait()
		clip.SetContent("a note of mine")
		waitClear()
		if got := clip.Content(); got != "a note of mine" {
			t.Errorf("clipboard %q", got)
		}
	})

	t.Run("closing the window clears it at once", func(t *testing.T) {
		f.mw.clip.delay = time.Hour
		test.Tap(f.mw.detail.copyKey)
		f.wait()
		f.mw.clip.clearNow()
		if got := clip.Content(); got != "" || f.mw.clip.armed.Load() != 0 {
			t.Errorf("clipboard %d characters, armed %d", len(got), f.mw.clip.armed.Load())
		}
	})
}

type lockedClipboard struct {
	mu      sync.Mutex
	content string
	set     []string
}

// history returns everything put on the clipboard, oldest first.
func (c *lockedClipboard) history() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.set)
}

func (c *lockedClipboard) Content() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.content
}

func (c *lockedClipboard) SetContent(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.content = s
	c.set = append(c.set, s)
}

func TestDamagedFile(t *testing.T) {
	f := newFixture(t)
	f.addKey("koinly-tax", nil)
	f.addKey("bot", nil) // the second save leaves a backup holding the first key
	garbage := []byte(`{"schema": 1, "records": [ oops`)
	if err := os.WriteFile(f.store.Path(), garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	f.open()

	dd := f.mw.damaged
	if dd == nil {
		t.Fatal("no damaged-file dialog")
	}
	if !strings.Contains(dd.message.Text, f.store.Path()) {
		t.Errorf("the dialog does not name the file: %q", dd.message.Text)
	}
	if dd.restore == nil {
		t.Fatal("the dialog does not offer the backup")
	}
	// Nothing may write over the damaged file.
	f.mw.onNewKey()
	f.mw.onCheckAll()
	f.wait()
	if got, _ := os.ReadFile(f.store.Path()); string(got) != string(garbage) {
		t.Fatal("the damaged file was changed")
	}

	test.Tap(dd.restore)
	f.wait()
	if f.mw.loadErr != nil || len(f.mw.records) != 1 || f.mw.records[0].Name != "koinly-tax" {
		t.Errorf("after restoring: error %v, keys %v", f.mw.loadErr, names(f.mw.records))
	}
	kept, _ := filepath.Glob(f.store.Path() + ".damaged-*")
	if len(kept) != 1 {
		t.Fatalf("damaged file kept as %v", kept)
	}
	if got, _ := os.ReadFile(kept[0]); string(got) != string(garbage) {
		t.Error("the damaged file was not kept as it was")
	}
}
