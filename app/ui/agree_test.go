package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/tray"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// TestFaces_tellTheSameTruth asks the window, the tray part and the
// command line (list --json, check --json) the same questions over the same
// records, settings and reminders: which keys need attention, how many, is
// this key due, which keys "Check all" takes. Before app/keys they
// disagreed: the tray counted a key with only an early expiry notice, the
// command line ignored the review days set in the window, and "Check all"
// picked its keys three ways.
func TestFaces_tellTheSameTruth(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	ago := func(days int) time.Time { return now.Add(-time.Duration(days) * 24 * time.Hour) }
	read := []kraken.Permission{kraken.QueryFunds, kraken.QueryLedger}
	bot := vault.PurposeTradingBot.LeastPermissions()

	type spec struct {
		rec    vault.Record
		secret bool // kept in the keyring, with a key on the exchange
	}
	specs := []spec{
		// Reviewed 10 days ago, read-only: due only with the 7-day setting.
		{vault.Record{ID: "a-read-only", Name: "koinly", Intended: read, Created: ago(40), LastReviewed: ago(10)}, true},
		{vault.Record{ID: "b-bot", Name: "freqtrade-new", Purpose: vault.PurposeTradingBot, Intended: bot, Created: ago(3),
			Replaces: "d-replaced", Restrictions: vault.Restrictions{IPAllowlist: []string{"203.0.113.7"}, Expires: now.AddDate(0, 0, 60)}}, true},
		// Expires in 20 days: an early notice, not attention.
		{vault.Record{ID: "c-expiring", Name: "dashboard", Intended: read, Created: ago(5),
			Restrictions: vault.Restrictions{Expires: now.AddDate(0, 0, 20)}}, true},
		{vault.Record{ID: "d-replaced", Name: "freqtrade-old", Purpose: vault.PurposeTradingBot, Intended: bot, Created: ago(20),
			ReplacedBy: "b-bot", Restrictions: vault.Restrictions{IPAllowlist: []string{"203.0.113.7"}, Expires: now.AddDate(0, 0, 60)}}, true},
		{vault.Record{ID: "e-revoked", Name: "old-tax", Intended: read, Created: ago(200), Status: vault.StatusRevoked}, false},
		{vault.Record{ID: "f-leaked", Name: "leaked", Intended: read, Created: ago(30), Status: vault.StatusCompromised, LeakedAt: ago(1)}, true},
		{vault.Record{ID: "g-typed", Name: "typed-2fa", Intended: read, Created: ago(2), TwoFA: vault.TwoFATyped}, true},
		// Can withdraw from any IP: critical, and snoozed, which silences
		// reminders but not attention.
		{vault.Record{ID: "h-snoozed", Name: "withdrawals", Intended: []kraken.Permission{kraken.QueryFunds, kraken.WithdrawFunds},
			Created: ago(2)}, true},
	}
	err := f.store.Update(func(d *vault.Data) error {
		for _, s := range specs {
			r := s.rec
			if r.Status == "" {
				r.Status = vault.StatusActive
			}
			if r.Purpose == "" {
				r.Purpose = vault.PurposeCustom
			}
			if r.TwoFA == "" {
				r.TwoFA = vault.TwoFANone
			}
			if s.secret {
				k := f.ex.AddKey(krakentest.Key{Name: r.Name, Permissions: r.Intended,
					IPAllowlist: r.Restrictions.IPAllowlist, ValidUntil: r.Restrictions.Expires})
				if err := f.secrets.Set(r.ID, vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey}); err != nil {
					return err
				}
				r.KeyHint, r.KeyPrint = vault.KeyHintOf(k.APIKey), vault.KeyPrintOf(k.APIKey)
			}
			if _, err := d.Add(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	svc := keys.New(keys.Params{Store: f.store, Secrets: f.secrets, Runner: f.runner})
	if err := svc.UpdateSettings(func(s *keys.Settings) error { s.ReadOnlyDays = 7; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := svc.Snooze("h-snoozed", remind.SnoozeWeek); err != nil {
		t.Fatal(err)
	}

	// The command line checks all keys first: what it takes, and what it
	// finds, saved for the other faces to read.
	cliIO := func(out *bytes.Buffer) cli.IO {
		return cli.IO{Stdin: strings.NewReader(""), Stdout: out, Stderr: &bytes.Buffer{}, Dir: f.store.Dir(),
			Secrets: f.secrets, BaseURL: f.ex.URL(), Getenv: func(string) string { return "" }, TellTray: func() {}}
	}
	var out bytes.Buffer
	cli.Main([]string{"check", "--all", "--json"}, cliIO(&out))
	var checked struct {
		Results []struct {
			ID             string `json:"id"`
			NeedsAttention bool   `json:"needsAttention"`
		} `json:"results"`
		Skipped []struct {
			ID string `json:"id"`
		} `json:"skipped"`
		AttentionCount int `json:"attentionCount"`
	}
	if err := json.Unmarshal(out.Bytes(), &checked); err != nil {
		t.Fatalf("check --json: %v\n%s", err, out.String())
	}
	out.Reset()
	cli.Main([]string{"list", "--json"}, cliIO(&out))
	var listed []struct {
		ID             string    `json:"id"`
		State          string    `json:"state"`
		NeedsAttention bool      `json:"needsAttention"`
		ReviewDue      bool      `json:"reviewDue"`
		NextReview     time.Time `json:"nextReview"`
	}
	if err := json.Unmarshal(out.Bytes(), &listed); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out.String())
	}

	// The window, over the files as the command line left them.
	f.open()
	win := f.mw
	win.list.filter.SetSelected(filterAttention)
	var winAttention []string
	for _, r := range win.list.shown {
		winAttention = append(winAttention, r.ID)
	}
	take, skip := win.snap.CheckAllTargets(nil)

	// The tray part, over the same files.
	tr := tray.New(tray.Config{Keys: keys.New(keys.Params{Store: f.store, Secrets: f.secrets, Runner: f.runner})})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = tr.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(10 * time.Second)
	for tr.Model().Tooltip == "" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	model := tr.Model()
	var trayAttention []string
	for _, k := range model.Keys {
		trayAttention = append(trayAttention, k.RecordID)
	}

	want := []string{"a-read-only", "d-replaced", "f-leaked", "h-snoozed"}
	var listAttention, checkAttention []string
	for _, it := range listed {
		if it.NeedsAttention {
			listAttention = append(listAttention, it.ID)
		}
	}
	for _, r := range checked.Results {
		if r.NeedsAttention {
			checkAttention = append(checkAttention, r.ID)
		}
	}
	// check --json lists the keys it checked; the leaked key is not among
	// them, but its count is the whole vault's.
	for _, got := range []struct {
		face string
		ids  []string
	}{{"window", winAttention}, {"tray", trayAttention}, {"list --json", listAttention}} {
		if !sameSet(got.ids, want) {
			t.Errorf("%s: needs attention %v, want %v", got.face, sorted(got.ids), want)
		}
	}
	if !sameSet(checkAttention, []string{"a-read-only", "d-replaced", "h-snoozed"}) {
		t.Errorf("check --json: the checked keys needing attention are %v", sorted(checkAttention))
	}
	counts := map[string]int{"window": win.snap.AttentionCount(), "tray": len(model.Keys) + model.More,
		"check --json": checked.AttentionCount, "list --json": len(listAttention)}
	for face, n := range counts {
		if n != len(want) {
			t.Errorf("%s counts %d keys needing attention, want %d", face, n, len(want))
		}
	}
	if !strings.Contains(win.list.count.Text, "4 need attention") || !strings.Contains(model.Tooltip, "4 keys need attention") {
		t.Errorf("window says %q, tray says %q", win.list.count.Text, model.Tooltip)
	}

	// Is this key due, and when: the command line and the window agree,
	// with the 7-day setting applied by both.
	for _, it := range listed {
		if due := win.snap.ReviewDue(it.ID); due != it.ReviewDue {
			t.Errorf("%s: the window says due %v, list --json %v", it.ID, due, it.ReviewDue)
		}
		if st := string(win.snap.State(it.ID)); st != it.State {
			t.Errorf("%s: the window shows %q, list --json %q", it.ID, st, it.State)
		}
		if at, ok := win.snap.NextReview(it.ID); ok && !at.Equal(it.NextReview) {
			t.Errorf("%s: next review %v in the window, %v in list --json", it.ID, at, it.NextReview)
		}
	}
	if !win.snap.ReviewDue("a-read-only") {
		t.Error("the 7-day review setting is not applied")
	}

	// Which keys "Check all" takes: the window's button and the command line.
	var cliTook, cliSkipped []string
	for _, r := range checked.Results {
		cliTook = append(cliTook, r.ID)
	}
	for _, s := range checked.Skipped {
		cliSkipped = append(cliSkipped, s.ID)
	}
	var winTook, winSkipped []string
	for _, r := range take {
		winTook = append(winTook, r.ID)
	}
	for _, s := range skip {
		winSkipped = append(winSkipped, s.Record.ID)
	}
	if !sameSet(winTook, cliTook) || !sameSet(winSkipped, cliSkipped) {
		t.Errorf("Check all: the window takes %v and skips %v; the command line took %v and skipped %v",
			sorted(winTook), sorted(winSkipped), sorted(cliTook), sorted(cliSkipped))
	}
	if !sameSet(winSkipped, []string{"e-revoked", "f-leaked", "g-typed"}) {
		t.Errorf("Check all skips %v", sorted(winSkipped))
	}
}

func sameSet(a, b []string) bool { return slices.Equal(sorted(a), sorted(b)) }
