package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// These tests pin what the command line gets from app/keys: the person's
// settings, the lifecycle's invariants, the repair of unfinished changes,
// and the same answers the window and the tray part give.

const day = 24 * time.Hour

// clock sets the fixture's clock to a time the test moves.
func (f *fixture) clock(at time.Time) *time.Time {
	now := at
	f.now = func() time.Time { return now }
	return &now
}

// jsonOf runs a command that prints JSON and decodes it into v.
func (f *fixture) jsonOf(v any, args ...string) result {
	f.t.Helper()
	res := f.run("", args...)
	if err := json.Unmarshal([]byte(res.out), v); err != nil {
		f.t.Fatalf("%s: stdout is not JSON: %v\n%v", strings.Join(args, " "), err, res)
	}
	return res
}

// listItem is one key of list --json.
type listItem struct {
	ID, Name, State string
	NeedsAttention  bool
	ReviewDue       bool
	Leaked          bool
	NextReview      *time.Time
}

// checkOutput is check --json.
type checkOutput struct {
	Results []struct {
		ID, Name, State, Outcome string
		NeedsAttention           bool
		ReviewDue                bool
		NextReview               *time.Time
	}
	Skipped        []struct{ ID, Name, Reason string }
	NeedAttention  int
	AttentionCount int
	Failed         int
	ExitCode       int
}

func TestSettings(t *testing.T) {
	t.Run("settings lists every setting with its value, as text and as JSON", func(t *testing.T) {
		f := newFixture(t)
		res := f.run("", "settings")
		if res.code != 0 || !strings.Contains(res.out, filepath.Join(f.dir, keys.SettingsName)) {
			t.Fatalf("settings: %v", res)
		}
		want := map[string]string{"review-days-read-only": "90", "review-days-risky": "30", "notifications": "on", "start-at-login": "off", "idle-close-minutes": "10", "watch-minutes": "15", "unlock-minutes": "2"}
		for name, value := range want {
			if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` +` + value + ` `).MatchString(res.out) {
				t.Errorf("settings does not list %s = %s:\n%v", name, value, res)
			}
		}
		var got []struct{ Name, Value, About string }
		f.jsonOf(&got, "settings", "--json")
		if len(got) != len(want) {
			t.Fatalf("settings --json lists %d settings, want %d: %+v", len(got), len(want), got)
		}
		for _, s := range got {
			if want[s.Name] != s.Value || s.About == "" {
				t.Errorf("settings --json: %+v", s)
			}
		}
		if f.trayTold.Load() != 0 {
			t.Error("listing the settings told the tray part something changed")
		}
	})

	t.Run("settings set changes one setting in settings.json and tells the tray part", func(t *testing.T) {
		f := newFixture(t)
		res := f.run("", "settings", "set", "review-days-risky", "14")
		if res.code != 0 || !strings.Contains(res.out, "review-days-risky is now 14") {
			t.Fatalf("settings set: %v", res)
		}
		if s, err := f.service().Settings(); err != nil || s.RiskyDays != 14 || s.ReadOnlyDays != 90 {
			t.Errorf("settings.json holds %+v (err %v)", s, err)
		}
		if n := f.trayTold.Load(); n != 1 {
			t.Errorf("the tray part was told %d times, want once", n)
		}
		if res := f.run("", "settings", "set", "notifications", "off"); res.code != 0 {
			t.Fatalf("settings set notifications off: %v", res)
		}
		if s, _ := f.service().Settings(); s.Notifications {
			t.Error("notifications are still on")
		}
	})

	refused := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"an unknown name", []string{"set", "frobnicate", "1"}, `There is no setting called "frobnicate"`},
		{"review days of 0", []string{"set", "review-days-read-only", "0"}, "whole number of days from 1 to 365"},
		{"review days of 366", []string{"set", "review-days-risky", "366"}, "whole number of days from 1 to 365"},
		{"review days that are not a number", []string{"set", "review-days-risky", "ten"}, "whole number of days from 1 to 365"},
		{"a switch that is neither on nor off", []string{"set", "notifications", "maybe"}, "neither on nor off"},
		{"a setting only the window can change", []string{"set", "start-at-login", "on"}, "in the window's settings"},
		{"a missing value", []string{"set", "review-days-risky"}, "Name one setting and its value"},
		{"an unknown subcommand", []string{"get", "review-days-risky"}, "is not something settings does"},
	}
	for _, tc := range refused {
		t.Run("settings refuses "+tc.name+" with exit 2 and changes nothing", func(t *testing.T) {
			f := newFixture(t)
			res := f.run("", append([]string{"settings"}, tc.args...)...)
			if res.code != 2 || !strings.Contains(res.err, tc.wantErr) {
				t.Fatalf("want exit 2 and %q, got %v", tc.wantErr, res)
			}
			if _, err := os.Stat(filepath.Join(f.dir, keys.SettingsName)); err == nil {
				t.Error("settings.json was written")
			}
			if f.trayTold.Load() != 0 {
				t.Error("the tray part was told something changed")
			}
		})
	}

	t.Run("a damaged settings file is reported, the defaults are listed, and a change writes a good file", func(t *testing.T) {
		f := newFixture(t)
		path := filepath.Join(f.dir, keys.SettingsName)
		if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
		res := f.run("", "settings")
		if res.code != 0 || !strings.Contains(res.err, "settings file is damaged") || !strings.Contains(res.out, "review-days-read-only  90") {
			t.Fatalf("settings over a damaged file: %v", res)
		}
		if res := f.run("", "settings", "set", "review-days-read-only", "45"); res.code != 0 {
			t.Fatalf("settings set: %v", res)
		}
		if s, err := f.service().Settings(); err != nil || s.ReadOnlyDays != 45 {
			t.Errorf("settings %+v, err %v", s, err)
		}
	})
}

func TestSettings_ReviewDays(t *testing.T) {
	t.Run("check, show and list follow the review days changed with settings set", func(t *testing.T) {
		f := newFixture(t)
		base := time.Now().UTC().Truncate(time.Second)
		now := f.clock(base)
		rec, _ := f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
		*now = base.Add(10 * day)

		var before checkOutput
		if res := f.jsonOf(&before, "check", "--json"); res.code != 0 || before.Results[0].ReviewDue {
			t.Fatalf("a 10-day-old read-only key is due with the default 90 days: %v", res)
		}
		if res := f.run("", "settings", "set", "review-days-read-only", "7"); res.code != 0 {
			t.Fatalf("settings set: %v", res)
		}

		res := f.run("", "check")
		if res.code != 3 || !strings.Contains(res.out, "1 needs attention") {
			t.Errorf("check after review-days-read-only 7: want exit 3, got %v", res)
		}
		var got checkOutput
		f.jsonOf(&got, "check", "--json")
		if len(got.Results) != 1 || got.ExitCode != 3 || got.AttentionCount != 1 {
			t.Fatalf("check --json: %+v", got)
		}
		r := got.Results[0]
		if !r.ReviewDue || !r.NeedsAttention || r.State != "due for review" || r.NextReview == nil || !r.NextReview.Equal(base.Add(7*day)) {
			t.Errorf("check --json result %+v, want due since %v", r, base.Add(7*day))
		}

		res = f.run("", "show", "koinly-tax")
		if !strings.Contains(res.out, "next "+base.Add(7*day).Format("2 Jan 2006")+", due now (every 7 days)") || !strings.Contains(res.out, "due for review") {
			t.Errorf("show does not follow the settings:\n%v", res)
		}
		var shown struct {
			ReviewEveryDays int
			ReviewDue       bool
			NeedsAttention  bool
		}
		f.jsonOf(&shown, "show", "koinly-tax", "--json")
		if shown.ReviewEveryDays != 7 || !shown.ReviewDue || !shown.NeedsAttention {
			t.Errorf("show --json %+v", shown)
		}

		var items []listItem
		f.jsonOf(&items, "list", "--json")
		if len(items) != 1 || items[0].ID != rec.ID || !items[0].ReviewDue || !items[0].NeedsAttention || items[0].State != "due for review" {
			t.Errorf("list --json %+v", items)
		}

		// Reviewing it puts the next review 7 days on, not 90.
		res = f.run("", "review", "koinly-tax")
		if want := "Next review: " + base.Add(17*day).Format("2 Jan 2006") + "."; res.code != 0 || !strings.Contains(res.out, want) {
			t.Errorf("review: want %q, got %v", want, res)
		}
	})

	t.Run("a key's own review days win over the settings", func(t *testing.T) {
		f := newFixture(t)
		base := time.Now().UTC()
		now := f.clock(base)
		f.add("koinly-tax", taxPerms, "--purpose", "tax", "--review-days", "60")
		f.run("", "settings", "set", "review-days-read-only", "7")
		*now = base.Add(10 * day)
		if res := f.run("", "check"); res.code != 0 {
			t.Errorf("check: %v", res)
		}
	})
}

func TestLeak(t *testing.T) {
	t.Run("revoke keeps a compromised key marked as leaked, and show says so", func(t *testing.T) {
		f := newFixture(t)
		rec, k := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		if _, err := f.service().MarkCompromised(rec.ID, "pasted in a chat"); err != nil {
			t.Fatal(err)
		}
		res := f.run("", "check")
		if res.code != 3 || !strings.Contains(res.out, `freqtrade-vps: not checked: it is marked as leaked`) {
			t.Errorf("check --all with a leaked key: %v", res)
		}

		f.ex.DeleteKey(k.APIKey)
		res = f.run("", "revoke", "freqtrade-vps")
		if res.code != 0 || !strings.Contains(res.out, "It had leaked, and stays marked so") {
			t.Fatalf("revoke: %v", res)
		}
		r := f.record(rec.ID)
		if r.Status != vault.StatusRevoked || r.LeakedAt.IsZero() || f.hasSecret(rec.ID) {
			t.Errorf("status %q, leaked at %v, secret kept %v", r.Status, r.LeakedAt, f.hasSecret(rec.ID))
		}

		res = f.run("", "show", "freqtrade-vps")
		for _, want := range []string{"(revoked after a leak)", "Leaked:", "marked as leaked on " + r.LeakedAt.UTC().Format("2 Jan 2006"),
			"Leak checklist:", "[ ] change your account password and 2FA"} {
			if !strings.Contains(res.out, want) {
				t.Errorf("show lacks %q:\n%v", want, res)
			}
		}
		var shown struct{ Leaked bool }
		if f.jsonOf(&shown, "show", "freqtrade-vps", "--json"); !shown.Leaked {
			t.Error("show --json does not say it leaked")
		}
		var items []listItem
		if f.jsonOf(&items, "list", "--json"); len(items) != 1 || !items[0].Leaked || items[0].State != "revoked" {
			t.Errorf("list --json %+v", items)
		}
	})

	t.Run("a key marked compromised by an older version, without a date, keeps its leak when revoked", func(t *testing.T) {
		f := newFixture(t)
		rec, k := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		marked := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
		f.update(func(d *vault.Data) error {
			r, err := d.ByID(rec.ID)
			if err != nil {
				return err
			}
			r.Status = vault.StatusCompromised
			r.AddEvent(marked, vault.EventCompromised, "")
			return nil
		})
		f.ex.DeleteKey(k.APIKey)
		if res := f.run("", "revoke", "freqtrade-vps"); res.code != 0 {
			t.Fatalf("revoke: %v", res)
		}
		r := f.record(rec.ID)
		if r.Status != vault.StatusRevoked || !r.Leaked() || !r.LeakedAt.Equal(marked) {
			t.Errorf("status %q, leaked at %v, want %v", r.Status, r.LeakedAt, marked)
		}
		if res := f.run("", "show", "freqtrade-vps"); !strings.Contains(res.out, "revoked after a leak") {
			t.Errorf("show forgets the leak:\n%v", res)
		}
	})
}

func TestCheck_RevokedKey(t *testing.T) {
	t.Run("check NAME on a revoked key says it is revoked, not to paste the key again", func(t *testing.T) {
		f := newFixture(t)
		rec, k := f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
		f.ex.DeleteKey(k.APIKey)
		if res := f.run("", "revoke", "koinly-tax"); res.code != 0 {
			t.Fatalf("revoke: %v", res)
		}
		f.ex.ResetCalls()
		res := f.run("", "check", "koinly-tax")
		if res.code != 1 || !strings.Contains(res.out, "koinly-tax: not checked: it is revoked and its secret is no longer kept") ||
			strings.Contains(res.out+res.err, "Paste the key again") {
			t.Fatalf("check of a revoked key: %v", res)
		}
		var got checkOutput
		f.jsonOf(&got, "check", "koinly-tax", "--json")
		if len(got.Results) != 0 || len(got.Skipped) != 1 || got.Skipped[0].ID != rec.ID || !strings.Contains(got.Skipped[0].Reason, "revoked") || got.Failed != 1 {
			t.Errorf("check --json %+v", got)
		}
		if n := len(f.ex.Calls()); n != 0 {
			t.Errorf("%d calls to the exchange for a revoked key", n)
		}
	})

	t.Run("check --all leaves a revoked key out, quietly in text and named in JSON", func(t *testing.T) {
		f := newFixture(t)
		f.add("cointracker-tax", taxPerms, "--purpose", "tax", "--used-by", "CoinTracker")
		rec, k := f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
		f.ex.DeleteKey(k.APIKey)
		f.run("", "revoke", "koinly-tax")
		res := f.run("", "check")
		if res.code != 0 || strings.Contains(res.out, "koinly-tax") || !strings.Contains(res.out, "Checked 1 key") {
			t.Fatalf("check --all: %v", res)
		}
		var got checkOutput
		f.jsonOf(&got, "check", "--json")
		if len(got.Results) != 1 || len(got.Skipped) != 1 || got.Skipped[0].ID != rec.ID || got.Failed != 0 {
			t.Errorf("check --json %+v", got)
		}
	})
}

func TestRemove_Rotation(t *testing.T) {
	// linked adds an old key and its replacement, linked as a rotation.
	linked := func(f *fixture) (old, repl vault.Record) {
		old, _ = f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		repl, _ = f.add("freqtrade-vps-2", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
		f.update(func(d *vault.Data) error {
			o, _ := d.ByID(old.ID)
			n, _ := d.ByID(repl.ID)
			o.ReplacedBy, n.Replaces = n.ID, o.ID
			return nil
		})
		return old, repl
	}

	t.Run("removing a rotation's replacement clears the old key's replaced-by", func(t *testing.T) {
		f := newFixture(t)
		old, repl := linked(f)
		if res := f.run("", "remove", "--yes", repl.Name); res.code != 0 {
			t.Fatalf("remove: %v", res)
		}
		if r := f.record(old.ID); r.ReplacedBy != "" {
			t.Errorf("the old key still points at the removed one: %q", r.ReplacedBy)
		}
		if res := f.run("", "show", "--json", old.Name); strings.Contains(res.out, `"code": "replaced"`) {
			t.Errorf("show still asks to revoke the old key for a replacement that is gone:\n%v", res)
		}
	})

	t.Run("removing the old key clears the replacement's replaces", func(t *testing.T) {
		f := newFixture(t)
		old, repl := linked(f)
		if res := f.run("", "remove", "--yes", old.Name); res.code != 0 {
			t.Fatalf("remove: %v", res)
		}
		if r := f.record(repl.ID); r.Replaces != "" {
			t.Errorf("the replacement still points at the removed key: %q", r.Replaces)
		}
	})
}

func TestRepair(t *testing.T) {
	t.Run("the next command finishes an add a killed process left, and undoes one whose secret never arrived", func(t *testing.T) {
		f := newFixture(t)
		long := time.Now().Add(-time.Hour)
		var done, half vault.Record
		f.update(func(d *vault.Data) error {
			for _, r := range []*vault.Record{&done, &half} {
				r.ID, r.Status, r.Created = vault.NewID(), vault.StatusActive, long
				r.Pending = &vault.Pending{Op: vault.PendingAdd, Since: long}
			}
			done.Name, half.Name = "koinly-tax", "half-added"
			for _, r := range []vault.Record{done, half} {
				if _, err := d.Add(r); err != nil {
					return err
				}
			}
			return nil
		})
		api, priv := krakentest.NewKeyPair()
		if err := f.secrets.Set(done.ID, vault.Secret{APIKey: api, PrivateKey: priv}); err != nil {
			t.Fatal(err)
		}
		res := f.run("", "list")
		if res.code != 0 || !strings.Contains(res.out, "koinly-tax") || strings.Contains(res.out, "half-added") {
			t.Fatalf("list: %v", res)
		}
		d := f.data()
		if r, err := d.ByID(done.ID); err != nil || r.Pending != nil {
			t.Errorf("the add whose secret was stored is not finished: %+v, %v", r, err)
		}
		if _, err := d.ByID(half.ID); err == nil {
			t.Error("the add whose secret never arrived is still there")
		}
		if f.trayTold.Load() == 0 {
			t.Error("the tray part was not told about the repair")
		}
	})

	t.Run("the next command finishes a removal a killed process left", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
		f.update(func(d *vault.Data) error {
			r, _ := d.ByID(rec.ID)
			r.Pending = &vault.Pending{Op: vault.PendingRemove, Since: time.Now().Add(-time.Hour)}
			return nil
		})
		if res := f.run("", "show", "koinly-tax"); res.code != 1 || !strings.Contains(res.err, `There is no key named "koinly-tax"`) {
			t.Fatalf("show: %v", res)
		}
		if _, err := f.data().ByID(rec.ID); err == nil || f.hasSecret(rec.ID) {
			t.Errorf("the removal is not finished: record err %v, secret kept %v", err, f.hasSecret(rec.ID))
		}
	})
}

func TestTellTray(t *testing.T) {
	f := newFixture(t)
	f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
	if f.trayTold.Load() != 1 {
		t.Errorf("add told the tray part %d times, want once", f.trayTold.Load())
	}
	f.trayTold.Store(0)
	for _, args := range [][]string{{"list"}, {"show", "koinly-tax"}, {"settings"}, {"help"}} {
		f.run("", args...)
	}
	if f.trayTold.Load() != 0 {
		t.Error("a command that changed nothing told the tray part")
	}
	for _, args := range [][]string{{"check"}, {"review", "koinly-tax"}, {"remove", "--yes", "koinly-tax"}} {
		f.trayTold.Store(0)
		if res := f.run("", args...); res.code != 0 || f.trayTold.Load() != 1 {
			t.Errorf("%s: told the tray part %d times, want once (%v)", args[0], f.trayTold.Load(), res)
		}
	}
}

// TestSameAnswers asks list --json and check --json what the window's and
// the tray's model ask keys.Snapshot, over the same records and settings:
// which keys need attention, how many, is each due, which keys "Check all"
// takes.
func TestSameAnswers(t *testing.T) {
	f := newFixture(t)
	base := time.Now().UTC().Truncate(time.Second)
	now := f.clock(base)
	f.add("koinly-tax", taxPerms, "--purpose", "tax", "--used-by", "Koinly")
	f.add("cointracker-tax", taxPerms, "--purpose", "tax", "--used-by", "CoinTracker", "--review-days", "60")
	_, bot := f.add("freqtrade-vps", botPerms, "--purpose", "bot", "--used-by", "freqtrade")
	f.ex.UpdateKey(bot.APIKey, func(k *krakentest.Key) { k.Permissions = append(k.Permissions, kraken.WithdrawFunds) })
	seed := newSeed(t)
	typed := f.exchangeKey(krakentest.Key{Permissions: taxPerms, OTPSecret: seed})
	code, _ := totp.GenerateCode(seed, time.Now())
	if res := f.run(stdinFor(typed), "add", "--name", "accointing-tax", "--purpose", "tax", "--otp", code); res.code != 0 {
		t.Fatalf("add: %v", res)
	}
	gone, goneKey := f.add("old-dashboard", taxPerms, "--purpose", "read-only")
	f.ex.DeleteKey(goneKey.APIKey)
	f.run("", "revoke", "old-dashboard")
	leaked, _ := f.add("leaked-bot", botPerms, "--purpose", "bot", "--used-by", "bot")
	if _, err := f.service().MarkCompromised(leaked.ID, ""); err != nil {
		t.Fatal(err)
	}
	f.run("", "settings", "set", "review-days-read-only", "7")
	*now = base.Add(10 * day)

	var checked checkOutput
	f.jsonOf(&checked, "check", "--json")
	var items []listItem
	f.jsonOf(&items, "list", "--json")
	snap, err := f.service().Snapshot()
	if err != nil {
		t.Fatal(err)
	}

	take, skip := snap.CheckAllTargets(nil)
	var wantTaken, wantSkipped, gotTaken, gotSkipped []string
	for _, r := range take {
		wantTaken = append(wantTaken, r.ID)
	}
	for _, s := range skip {
		wantSkipped = append(wantSkipped, s.Record.ID)
	}
	for _, r := range checked.Results {
		gotTaken = append(gotTaken, r.ID)
	}
	for _, s := range checked.Skipped {
		gotSkipped = append(gotSkipped, s.ID)
	}
	slices.Sort(wantTaken)
	slices.Sort(gotTaken)
	slices.Sort(wantSkipped)
	slices.Sort(gotSkipped)
	if !slices.Equal(gotTaken, wantTaken) || !slices.Equal(gotSkipped, wantSkipped) || len(gotSkipped) != 3 {
		t.Errorf("check --all took %v and skipped %v; the snapshot takes %v and skips %v", gotTaken, gotSkipped, wantTaken, wantSkipped)
	}

	if checked.AttentionCount != snap.AttentionCount() || checked.ExitCode != 3 {
		t.Errorf("check --json: attentionCount %d, exit %d; the snapshot counts %d", checked.AttentionCount, checked.ExitCode, snap.AttentionCount())
	}
	for _, r := range checked.Results {
		next, _ := snap.NextReview(r.ID)
		if r.NeedsAttention != snap.NeedsAttention(r.ID) || r.State != string(snap.State(r.ID)) || r.ReviewDue != snap.ReviewDue(r.ID) ||
			r.NextReview == nil || !r.NextReview.Equal(next) {
			t.Errorf("check --json %s: %+v; the snapshot says attention %v, state %q, due %v, next %v",
				r.Name, r, snap.NeedsAttention(r.ID), snap.State(r.ID), snap.ReviewDue(r.ID), next)
		}
	}

	if len(items) != len(snap.Records) {
		t.Fatalf("list --json has %d keys, the snapshot %d", len(items), len(snap.Records))
	}
	attention := 0
	for i, it := range items {
		if it.ID != snap.Records[i].ID {
			t.Errorf("list --json item %d is %s, the snapshot's is %s: not the same order", i, it.Name, snap.Records[i].Name)
		}
		next, ok := snap.NextReview(it.ID)
		if it.NeedsAttention != snap.NeedsAttention(it.ID) || it.State != string(snap.State(it.ID)) || it.ReviewDue != snap.ReviewDue(it.ID) ||
			(it.NextReview != nil) != ok || (ok && !it.NextReview.Equal(next)) {
			t.Errorf("list --json %s: %+v; the snapshot says attention %v, state %q, due %v, next %v",
				it.Name, it, snap.NeedsAttention(it.ID), snap.State(it.ID), snap.ReviewDue(it.ID), next)
		}
		if it.NeedsAttention {
			attention++
		}
	}
	if attention != snap.AttentionCount() {
		t.Errorf("list --json: %d keys need attention, the snapshot counts %d", attention, snap.AttentionCount())
	}
	// The answers themselves: the read-only keys without their own
	// interval are due after 10 days with review-days-read-only 7.
	for _, it := range items {
		wantDue := it.Name == "koinly-tax" || it.Name == "accointing-tax"
		if it.ID != gone.ID && it.ID != leaked.ID && it.ReviewDue != wantDue {
			t.Errorf("%s: review due %v, want %v", it.Name, it.ReviewDue, wantDue)
		}
	}
}
