package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/tray"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// reminderLog records the reminders the tray part shows.
type reminderLog struct {
	mu   sync.Mutex
	rems []remind.Reminder
}

func (l *reminderLog) Reminder(rem remind.Reminder) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rems = append(l.rems, rem)
	return nil
}

func (l *reminderLog) Message(string, string) error          { return nil }
func (l *reminderLog) CloseKey(string)                       {}
func (l *reminderLog) Question(string, string, string) error { return nil }

func (l *reminderLog) rotation() []remind.Reminder {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []remind.Reminder
	for _, r := range l.rems {
		if r.Kind == remind.Rotation {
			out = append(out, r)
		}
	}
	return out
}

// TestFaces_tellTheSameRotationVerdict extends TestFaces_tellTheSameTruth
// to rotations: three rotations, one in each state the exchange's evidence
// can show, are checked by the command line; then the window's detail, the
// tray's menu and reminders, and the command line's show and check say the
// same verdict for each old key, and only the switched one has Revoke as
// its highlighted next step and a "revoke it" reminder.
func TestFaces_tellTheSameRotationVerdict(t *testing.T) {
	f := newFixture(t)
	f.ex = krakentest.New(krakentest.WithKeyInfoBeforeCall())
	t.Cleanup(f.ex.Close)
	f.runner = &check.Runner{Secrets: f.secrets, BaseURL: f.ex.URL()}
	now := time.Now().UTC().Truncate(time.Second)
	read := []kraken.Permission{kraken.QueryFunds}

	// Each pair: when a program last used the old key and the new one
	// (zero: never), before the command line's check reads them.
	pairs := []struct {
		old, repl       string
		oldUsed, newUse time.Time
		want            review.RotationState
	}{
		{"tool-old", "tool-new", now.Add(-4 * time.Minute), time.Time{}, review.RotationNotSwitched},
		{"bot-old", "bot-new", now.Add(-2 * time.Minute), now.Add(-20 * time.Minute), review.RotationBothInUse},
		{"tax-old", "tax-new", now.Add(-50 * time.Minute), now.Add(-20 * time.Minute), review.RotationSwitched},
	}
	add := func(d *vault.Data, name string, created, used time.Time) (*vault.Record, error) {
		k := f.ex.AddKey(krakentest.Key{Name: name, Permissions: read, LastUsed: used})
		r := vault.Record{ID: name, Name: name, Purpose: vault.PurposeCustom, TwoFA: vault.TwoFANone, Status: vault.StatusActive,
			Intended: read, Created: created, KeyHint: vault.KeyHintOf(k.APIKey), KeyPrint: vault.KeyPrintOf(k.APIKey),
			Restrictions: vault.Restrictions{Expires: now.AddDate(0, 0, 90)}}
		if err := f.secrets.Set(r.ID, vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey}); err != nil {
			return nil, err
		}
		return d.Add(r)
	}
	err := f.store.Update(func(d *vault.Data) error {
		for _, p := range pairs {
			o, err := add(d, p.old, now.Add(-40*24*time.Hour), p.oldUsed)
			if err != nil {
				return err
			}
			o.ReplacedBy = p.repl
			n, err := add(d, p.repl, now.Add(-time.Hour), p.newUse)
			if err != nil {
				return err
			}
			n.Replaces = p.old
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	cliRun := func(args ...string) string {
		var out bytes.Buffer
		cli.Main(args, cli.IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &bytes.Buffer{}, Dir: f.store.Dir(),
			Secrets: f.secrets, BaseURL: f.ex.URL(), Getenv: func(string) string { return "" }, TellTray: func() {}})
		return out.String()
	}
	var checked struct {
		Results []struct {
			ID       string `json:"id"`
			Findings []struct {
				Code  string `json:"code"`
				Title string `json:"title"`
			} `json:"findings"`
		} `json:"results"`
	}
	if out := cliRun("check", "--all", "--json"); json.Unmarshal([]byte(out), &checked) != nil {
		t.Fatalf("check --json: %s", out)
	}
	checkSays := map[string]string{}
	for _, r := range checked.Results {
		for _, fd := range r.Findings {
			if fd.Code == review.CodeReplaced {
				checkSays[r.ID] = fd.Title
			}
		}
	}

	svc := keys.New(keys.Params{Store: f.store, Secrets: f.secrets, Runner: f.runner})
	snap, err := svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}

	f.open()
	log := &reminderLog{}
	tr := tray.New(tray.Config{Keys: svc, Notify: log})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = tr.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(10 * time.Second)
	for (tr.Model().Tooltip == "" || len(log.rotation()) == 0) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	trayLabels := map[string]string{}
	for _, k := range tr.Model().Keys {
		trayLabels[k.RecordID] = k.Label
	}

	for _, p := range pairs {
		rot, ok := snap.Rotation(p.old)
		if !ok || rot.State != p.want {
			t.Errorf("%s: verdict %s (%s), want %s", p.old, rot.State, rot.Detail, p.want)
			continue
		}
		f.mw.showDetail(p.old)
		d := f.mw.detail
		var window string
		for _, fd := range d.findings {
			if fd.Code == review.CodeReplaced {
				window = fd.Title
			}
		}
		shown := cliRun("show", p.old)
		// The tray's menu cuts a long label short with "…".
		tray := strings.TrimSuffix(trayLabels[p.old], "…")
		if window != rot.Title || checkSays[p.old] != rot.Title || !strings.Contains(shown, rot.Title) ||
			tray == "" || !strings.HasPrefix(p.old+" — "+rot.Title, tray) {
			t.Errorf("%s: the verdict is %q; the window says %q, check %q, the tray %q, show:\n%s",
				p.old, rot.Title, window, checkSays[p.old], trayLabels[p.old], shown)
		}
		if highlighted := d.revoke.Importance == widget.HighImportance; highlighted != (p.want == review.RotationSwitched) {
			t.Errorf("%s (%s): Revoke highlighted %v", p.old, p.want, highlighted)
		}
	}
	rems := log.rotation()
	if len(rems) != 1 || rems[0].RecordID != "tax-old" ||
		rems[0].Title != "“tax-new” is in use and the old key is quiet: revoke “tax-old”" {
		t.Errorf("the tray's rotation reminders: %+v, want one, for the switch of tax-old", rems)
	}
}
