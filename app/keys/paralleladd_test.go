package keys_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

func init() {
	childRoles["add-same"] = childAddSame
	// wait-stdin runs until its standard input closes.
	childRoles["wait-stdin"] = func() int { io.Copy(io.Discard, os.Stdin); return 0 }
}

// TestAdd_parallelSameKey runs six processes that add the same key at the
// same moment, on the real keyring, as six `keywarden add` of one key
// would: the first wins, and every other is told the truth (another add of
// this key is in progress, or the key is kept already), never that the
// keyring did not answer. The key is kept once, with its secret.
func TestAdd_parallelSameKey(t *testing.T) {
	kr := liveKeyring(t)
	dir := t.TempDir()
	store, err := vault.Open(filepath.Join(dir, "store"))
	if err != nil {
		t.Fatal(err)
	}
	apiKey, privateKey := krakentest.NewKeyPair() // made up for the test: no real key
	const n = 6
	type child struct {
		in  io.WriteCloser
		out *bufio.Reader
	}
	children := make([]child, n)
	for i := range children {
		cmd := childCommand(t, "add-same", "KW_DIR="+store.Dir(), "KW_TMP="+dir, "KW_SERVICE="+kr.Service,
			"KW_API_KEY="+apiKey, "KW_PRIVATE_KEY="+privateKey)
		cmd.Stderr = os.Stderr
		in, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		children[i] = child{in: in, out: bufio.NewReader(out)}
		if line, err := children[i].out.ReadString('\n'); line != "ready\n" {
			t.Fatalf("child %d: %q, %v", i, line, err)
		}
	}
	for _, c := range children { // all at once
		fmt.Fprintln(c.in, "go")
	}
	var added int
	tally := map[string]int{}
	for i, c := range children {
		line, err := c.out.ReadString('\n')
		if err != nil {
			t.Fatalf("child %d: %q, %v", i, line, err)
		}
		line = strings.TrimSpace(line)
		switch msg, refused := strings.CutPrefix(line, "refused: "); {
		case line == "added":
			added++
		case !refused:
			t.Errorf("child %d said %q", i, line)
		case strings.Contains(msg, "did not answer in time"):
			t.Errorf("child %d was told the keyring failed: %q", i, msg)
		case strings.Contains(msg, "in progress"):
			tally["in progress"]++
		case strings.Contains(msg, "kept already"):
			tally["kept already"]++
		default:
			t.Errorf("child %d was told %q", i, msg)
		}
	}
	t.Logf("%d processes adding one key: %d added it, %d were told another add is in progress, %d that it is kept already",
		n, added, tally["in progress"], tally["kept already"])
	if added != 1 {
		t.Errorf("%d processes added the key, want 1", added)
	}
	d, err := store.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Records) != 1 || d.Records[0].Pending != nil {
		t.Fatalf("records at the end: %+v, want one, finished", d.Records)
	}
	ids, err := keyringIDs(kr.Service)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || ids[0] != d.Records[0].ID {
		t.Errorf("keyring holds %v, want only %s", ids, d.Records[0].ID)
	}
}

// childAddSame adds the key in $KW_API_KEY and $KW_PRIVATE_KEY once it
// reads a line on stdin, and says "added" or "refused: " and the message
// the person would see.
func childAddSame() int {
	store, err := vault.Open(os.Getenv("KW_DIR"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	kr := &vault.Keyring{Service: os.Getenv("KW_SERVICE"), Timeout: 20 * time.Second}
	if !strings.HasPrefix(kr.Service, "keywarden-test-") {
		fmt.Fprintln(os.Stderr, "refusing a keyring service that is not a test's:", kr.Service)
		return 1
	}
	svc := keys.New(keys.Params{Store: store, Secrets: kr, Settings: testSettings(store.Dir(), os.Getenv("KW_TMP"))})
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return 1
	}
	_, err = svc.Add(context.Background(), keys.NewKey{
		Record: vault.Record{Name: "trading bot", Purpose: vault.PurposeCustom, TwoFA: vault.TwoFANone},
		Secret: vault.Secret{APIKey: os.Getenv("KW_API_KEY"), PrivateKey: os.Getenv("KW_PRIVATE_KEY")},
	})
	if err != nil {
		fmt.Println("refused: " + keys.UserMessage(err))
		return 0
	}
	fmt.Println("added")
	return 0
}

// TestAdd_duplicateOfUnfinishedAdd: a key whose earlier add has not
// finished is refused either way, in words that fit: another process still
// adding it is "in progress"; an add whose process is gone "did not finish".
func TestAdd_duplicateOfUnfinishedAdd(t *testing.T) {
	gone := childCommand(t, "exit")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	// A process of this test's own that runs until the test ends (the
	// test's parent may not be one Windows, or Wine, lets it look at).
	runs := childCommand(t, "wait-stdin")
	stdin, err := runs.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := runs.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); runs.Wait() })
	for _, tt := range []struct {
		name       string
		pid        int
		inProgress bool
		want       string
	}{
		{"its process still runs", runs.Process.Pid, true, "in progress"},
		{"its process is gone", gone.Process.Pid, false, "did not finish"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			apiKey, privateKey := krakentest.NewKeyPair()
			err := f.store.Update(func(d *vault.Data) error {
				_, err := d.Add(vault.Record{ID: vault.NewID(), Name: "first", Purpose: vault.PurposeCustom, TwoFA: vault.TwoFANone,
					Status: vault.StatusActive, Created: f.now(), KeyPrint: vault.KeyPrintOf(apiKey),
					Pending: &vault.Pending{Op: vault.PendingAdd, Since: f.now(), PID: tt.pid}})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.Add(context.Background(), keys.NewKey{
				Record: vault.Record{Name: "second", Purpose: vault.PurposeCustom, TwoFA: vault.TwoFANone},
				Secret: vault.Secret{APIKey: apiKey, PrivateKey: privateKey},
			})
			var dup *keys.DuplicateKeyError
			if !errors.As(err, &dup) || dup.InProgress != tt.inProgress {
				t.Fatalf("Add: %#v, want a *DuplicateKeyError with InProgress %v", err, tt.inProgress)
			}
			if msg := keys.UserMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not say %q", msg, tt.want)
			}
			if len(f.records(t)) != 1 || len(f.secrets.IDs()) != 0 {
				t.Errorf("something was saved: %d records, %d secrets", len(f.records(t)), len(f.secrets.IDs()))
			}
		})
	}
}
