package keys_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// addTyped saves a key whose 2FA password is typed at each check.
func (f *fixture) addTyped(t *testing.T, name, password string) vault.Record {
	t.Helper()
	_, sec := f.exchangeKey(krakentest.Key{Name: name, OTPPassword: password})
	sec.OTPPassword = "" // typed at each check, not kept
	nk := newKey(name, sec)
	nk.Record.TwoFA = vault.TwoFATyped
	rec, err := f.svc.Add(context.Background(), nk)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func sortedIDs(recs []vault.Record) []string {
	out := ids(recs)
	slices.Sort(out)
	return out
}

func sorted(s ...string) []string {
	slices.Sort(s)
	return s
}

func TestService_CheckAll(t *testing.T) {
	ctx := context.Background()

	// setup saves one key of each kind check all must tell apart.
	setup := func(t *testing.T) (f *fixture, active, parked, revoked, leaked, typed vault.Record) {
		f = newFixture(t)
		active, _ = f.add(t, "active")
		parked, _ = f.add(t, "parked")
		if _, err := f.svc.Edit(parked.ID, keys.Edit{Name: "parked", Parked: true}); err != nil {
			t.Fatal(err)
		}
		revoked, _ = f.add(t, "revoked")
		if _, err := f.svc.Revoke(ctx, revoked.ID, "", true); err != nil { // its secret is kept: it could be checked
			t.Fatal(err)
		}
		leaked, _ = f.add(t, "leaked")
		if _, err := f.svc.MarkCompromised(leaked.ID, ""); err != nil {
			t.Fatal(err)
		}
		typed = f.addTyped(t, "typed", "hunter2-static")
		f.ex.ResetCalls()
		return f, f.record(t, active.ID), f.record(t, parked.ID), f.record(t, revoked.ID), f.record(t, leaked.ID), f.record(t, typed.ID)
	}

	t.Run("retired keys and typed-2FA keys without a code are skipped, and reported", func(t *testing.T) {
		f, active, parked, revoked, leaked, typed := setup(t)
		at := f.advance(time.Hour)
		rep, err := f.svc.CheckAll(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var checked []vault.Record
		for _, res := range rep.Results {
			checked = append(checked, res.Record)
			if res.Readback.Outcome != vault.OutcomeOK {
				t.Errorf("%s: outcome %s (%s)", res.Record.Name, res.Readback.Outcome, res.Readback.Problem)
			}
			if res.Record.LastCheck == nil || !res.Record.LastCheck.At.Equal(at) {
				t.Errorf("%s: the result does not carry the record as saved", res.Record.Name)
			}
		}
		if got, want := sortedIDs(checked), sorted(active.ID, parked.ID); !slices.Equal(got, want) {
			t.Errorf("checked %v, want active and parked", names(checked))
		}
		skipped := map[string]string{}
		for _, s := range rep.Skipped {
			skipped[s.Record.ID] = s.Reason
		}
		for _, r := range []vault.Record{revoked, leaked, typed} {
			if skipped[r.ID] == "" {
				t.Errorf("%s is not reported as skipped, with a reason", r.Name)
			}
		}
		if !strings.Contains(skipped[typed.ID], "2FA") {
			t.Errorf("typed key's reason %q", skipped[typed.ID])
		}
		if len(rep.Skipped) != 3 {
			t.Errorf("%d skipped, want 3", len(rep.Skipped))
		}
		if n := len(f.ex.Calls()); n != 2 {
			t.Errorf("%d calls to the exchange, want 2", n)
		}
		for _, r := range []vault.Record{revoked, leaked, typed} {
			if got := f.record(t, r.ID); !equalCheck(got.LastCheck, r.LastCheck) {
				t.Errorf("%s: last check changed to %+v", r.Name, got.LastCheck)
			}
		}
		for _, r := range []vault.Record{active, parked} {
			if got := f.record(t, r.ID); got.LastCheck == nil || !got.LastCheck.At.Equal(at) {
				t.Errorf("%s: answer not saved", r.Name)
			}
		}
	})

	t.Run("a typed-2FA key is taken when its code is given", func(t *testing.T) {
		f, _, _, _, _, typed := setup(t)
		codes := func(r vault.Record) string {
			if r.ID == typed.ID {
				return "hunter2-static"
			}
			return ""
		}
		rep, err := f.svc.CheckAll(ctx, codes)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(rep.Results, func(r check.Result) bool { return r.Record.ID == typed.ID })
		if i < 0 {
			t.Fatal("the typed-2FA key was not checked")
		}
		if rb := rep.Results[i].Readback; rb.Outcome != vault.OutcomeOK {
			t.Errorf("outcome %s (%s)", rb.Outcome, rb.Problem)
		}
		if len(rep.Skipped) != 2 {
			t.Errorf("%d skipped, want 2", len(rep.Skipped))
		}
	})

	t.Run("a locked keyring fails the run once, before any call, and changes no key", func(t *testing.T) {
		f, _, _, _, _, _ := setup(t)
		before := f.keysFile(t)
		f.secrets.SetError(lockedKeyring)
		f.advance(time.Hour)
		rep, err := f.svc.CheckAll(ctx, nil)
		f.secrets.SetError(nil)
		if !errors.Is(err, vault.ErrKeyringUnavailable) {
			t.Fatalf("got %v, want ErrKeyringUnavailable", err)
		}
		if len(rep.Results) != 0 {
			t.Errorf("%d results, want none", len(rep.Results))
		}
		if n := len(f.ex.Calls()); n != 0 {
			t.Errorf("%d calls to the exchange, want none", n)
		}
		if !slices.Equal(f.keysFile(t), before) {
			t.Error("keys.json changed")
		}
		if msg := keys.UserMessage(err); !strings.Contains(msg, "Unlock") {
			t.Errorf("message %q", msg)
		}
	})

	t.Run("an exchange out of reach saves nothing: the last real answers stay", func(t *testing.T) {
		f, active, parked, _, _, _ := setup(t)
		if _, err := f.svc.CheckAll(ctx, nil); err != nil {
			t.Fatal(err)
		}
		before := f.keysFile(t)
		f.ex.Close()
		f.advance(time.Hour)
		rep, err := f.svc.CheckAll(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, res := range rep.Results {
			if !res.Readback.Unreached {
				t.Errorf("%s: readback %+v, want unreached", res.Record.Name, res.Readback)
			}
		}
		if !slices.Equal(f.keysFile(t), before) {
			t.Error("keys.json changed")
		}
		for _, r := range []vault.Record{active, parked} {
			if got := f.record(t, r.ID).LastCheck; got == nil || got.Outcome != vault.OutcomeOK {
				t.Errorf("%s: last check %+v, want the earlier ok", r.Name, got)
			}
		}
	})
}

func TestService_Check(t *testing.T) {
	ctx := context.Background()

	t.Run("an answer is saved with a checked event", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "tax")
		at := f.advance(time.Hour)
		got, rb, err := f.svc.Check(ctx, rec.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if rb.Outcome != vault.OutcomeOK || got.LastCheck == nil || !got.LastCheck.At.Equal(at) {
			t.Fatalf("readback %+v, saved %+v", rb, got.LastCheck)
		}
		if !hasEvent(f.record(t, rec.ID), vault.EventChecked) {
			t.Error("no checked event")
		}
	})

	t.Run("an unreached answer is not saved and the last real answer stays", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "tax")
		first := f.advance(time.Hour)
		if _, _, err := f.svc.Check(ctx, rec.ID, ""); err != nil {
			t.Fatal(err)
		}
		before := f.record(t, rec.ID)
		f.ex.Close() // the network is gone
		f.advance(time.Hour)
		got, rb, err := f.svc.Check(ctx, rec.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if !rb.Unreached || rb.Outcome != vault.OutcomeError {
			t.Fatalf("readback %+v, want an unreached error", rb)
		}
		stored := f.record(t, rec.ID)
		for _, r := range []vault.Record{got, stored} {
			if r.LastCheck == nil || r.LastCheck.Outcome != vault.OutcomeOK || !r.LastCheck.At.Equal(first) {
				t.Errorf("last check %+v, want the ok answer of %v", r.LastCheck, first)
			}
		}
		if len(stored.History) != len(before.History) {
			t.Errorf("history grew from %d to %d events", len(before.History), len(stored.History))
		}
	})

	t.Run("an older answer never overwrites a newer one", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "tax")
		newer := f.advance(time.Hour)
		if _, _, err := f.svc.Check(ctx, rec.ID, ""); err != nil {
			t.Fatal(err)
		}
		before := f.record(t, rec.ID)
		// A background check that started before the person's own, and
		// ends after it.
		results := f.svc.CheckInBackground(ctx, []vault.Record{before}, newer.Add(-10*time.Minute))
		if len(results) != 1 || results[0].Readback.Outcome != vault.OutcomeOK {
			t.Fatalf("results %+v", results)
		}
		got := f.record(t, rec.ID)
		if !got.LastCheck.At.Equal(newer) {
			t.Errorf("last check at %v, want the newer %v", got.LastCheck.At, newer)
		}
		if len(got.History) != len(before.History) {
			t.Errorf("history grew from %d to %d events", len(before.History), len(got.History))
		}

		later := newer.Add(time.Hour)
		f.svc.CheckInBackground(ctx, []vault.Record{before}, later)
		if got := f.record(t, rec.ID); !got.LastCheck.At.Equal(later) {
			t.Errorf("a newer background answer was not saved: last check at %v, want %v", got.LastCheck.At, later)
		}
	})

	t.Run("a background answer for a key retired meanwhile is not saved", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "bot")
		stale := f.record(t, rec.ID) // what the scheduler read, before the revoke
		if _, err := f.svc.Revoke(ctx, rec.ID, "", true); err != nil {
			t.Fatal(err)
		}
		before := f.record(t, rec.ID)
		results := f.svc.CheckInBackground(ctx, []vault.Record{stale}, f.advance(time.Hour))
		if len(results) != 1 || results[0].Readback.Outcome != vault.OutcomeOK {
			t.Fatalf("results %+v, want the key still answering", results)
		}
		if got := f.record(t, rec.ID); !equalCheck(got.LastCheck, before.LastCheck) || got.Status != vault.StatusRevoked {
			t.Errorf("status %s, last check %+v; want the revoke's own", got.Status, got.LastCheck)
		}
	})

	t.Run("a background answer for a key removed meanwhile does not bring it back", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "gone")
		stale := f.record(t, rec.ID)
		if err := f.svc.Remove(rec.ID); err != nil {
			t.Fatal(err)
		}
		f.svc.CheckInBackground(ctx, []vault.Record{stale}, f.advance(time.Hour))
		if _, ok := f.lookup(t, rec.ID); ok {
			t.Error("the removed record is back")
		}
	})

	t.Run("a cancelled background check saves nothing", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "tax")
		before := f.keysFile(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if res := f.svc.CheckInBackground(cctx, []vault.Record{f.record(t, rec.ID)}, f.advance(time.Hour)); res != nil {
			t.Errorf("results %+v, want none", res)
		}
		if !slices.Equal(f.keysFile(t), before) {
			t.Error("keys.json changed")
		}
	})

	t.Run("without an exchange client a check says so", func(t *testing.T) {
		dir := t.TempDir()
		store, err := vault.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		svc := keys.New(keys.Params{Store: store, Secrets: vault.NewMemory(), Settings: testSettings(dir, dir)})
		if _, _, err := svc.Check(ctx, "x", ""); !errors.Is(err, keys.ErrNoExchange) {
			t.Errorf("Check: got %v, want ErrNoExchange", err)
		}
		if _, err := svc.CheckAll(ctx, nil); !errors.Is(err, keys.ErrNoExchange) {
			t.Errorf("CheckAll: got %v, want ErrNoExchange", err)
		}
	})
}

func equalCheck(a, b *vault.Readback) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.At.Equal(b.At) && a.Outcome == b.Outcome && a.Problem == b.Problem
}

// Issue 20: "Checked 3 keys." with 4 keys; the key that needs a typed 2FA
// code was skipped silently.
func TestCheckAllSummary_NamesEveryKeyLeftOut(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.add(t, "active")
	revoked, _ := f.add(t, "revoked")
	if _, err := f.svc.Revoke(ctx, revoked.ID, "", true); err != nil {
		t.Fatal(err)
	}
	leaked, _ := f.add(t, "leaked")
	if _, err := f.svc.MarkCompromised(leaked.ID, ""); err != nil {
		t.Fatal(err)
	}
	f.addTyped(t, "typed\x1b[2J", "hunter2-static")
	rep, err := f.svc.CheckAll(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		face keys.Face
		want []string
	}{
		{keys.InWindow, []string{
			"Checked 1 key. Not checked: ",
			`“typed\x1b[2J” (its 2FA code must be typed for each check: select it, press Check now and type the code)`,
			"“leaked” (it is marked as leaked: delete it on the Kraken website, then confirm in its runbook)"}},
		{keys.InTray, []string{"open Keywarden, select it and press Check now"}},
		{keys.OnCommandLine, []string{"give its current code in KEYWARDEN_OTP, or with --otp - on standard input",
			`then run "keywarden revoke leaked" to confirm`}},
	}
	for _, tc := range tests {
		got := keys.CheckAllSummary(len(rep.Results), rep.Skipped, tc.face)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("face %d: %q lacks %q", tc.face, got, w)
			}
		}
		if strings.Contains(got, "revoked") || strings.Contains(got, "\x1b") {
			t.Errorf("face %d: %q names the revoked key or shows a control character", tc.face, got)
		}
	}
	if got := keys.NotChecked(rep.Skipped[:0], keys.InWindow); got != "" {
		t.Errorf("nothing left out, yet %q", got)
	}
}

// A mistyped key-2FA code is a wrong code, not a broken key: Check says so
// in plain words and keeps the record as it was (issue 20, item 9).
func TestService_Check_wrongTypedCode(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	typed := f.addTyped(t, "typed", "hunter2-static")
	before := f.record(t, typed.ID)

	_, _, err := f.svc.Check(ctx, typed.ID, "hunter3-static")
	if !errors.Is(err, keys.ErrWrongCode) {
		t.Fatalf("Check with a mistyped code: %v, want ErrWrongCode", err)
	}
	msg := keys.UserMessage(err)
	if !strings.HasPrefix(msg, "Wrong code, nothing changed") || strings.Contains(msg, "does not belong to this API key (paste") {
		t.Errorf("words: %q", msg)
	}
	if got := f.record(t, typed.ID); !reflect.DeepEqual(got, before) {
		t.Errorf("the record changed: last check %+v, was %+v", got.LastCheck, before.LastCheck)
	}

	// Named checks (the command line) list it as left out, with why.
	rep, err := f.svc.CheckNamed(ctx, []string{typed.ID}, func(vault.Record) string { return "hunter3-static" })
	if err != nil || len(rep.Results) != 0 || len(rep.Skipped) != 1 || !strings.Contains(rep.Skipped[0].Reason, "refused the 2FA code") {
		t.Errorf("named check: %+v, %v", rep, err)
	}

	// The right code still checks and saves.
	if _, rb, err := f.svc.Check(ctx, typed.ID, "hunter2-static"); err != nil || rb.Outcome != vault.OutcomeOK {
		t.Fatalf("the right code: %v, %+v", err, rb)
	}
}
