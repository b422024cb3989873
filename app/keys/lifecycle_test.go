package keys_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

func TestService_Lifecycle(t *testing.T) {
	ctx := context.Background()

	t.Run("a leaked key stays leaked after a confirmed revoke, its checklist kept", func(t *testing.T) {
		f := newFixture(t)
		rec, k := f.add(t, "bot")
		leakedAt := f.advance(time.Hour)
		got, err := f.svc.MarkCompromised(rec.ID, "pasted in a public chat")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != vault.StatusCompromised || !got.LeakedAt.Equal(leakedAt) {
			t.Fatalf("status %s, leaked at %v; want compromised at %v", got.Status, got.LeakedAt, leakedAt)
		}
		for _, step := range []string{keys.LeakReplace, keys.LeakActivity, keys.LeakPassword} {
			if _, err := f.svc.SetLeakStep(rec.ID, step, true); err != nil {
				t.Fatalf("SetLeakStep %s: %v", step, err)
			}
		}
		if _, err := f.svc.SetLeakStep(rec.ID, keys.LeakPassword, false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SetLeakStep(rec.ID, keys.LeakReplace, true); err != nil { // twice: kept once
			t.Fatal(err)
		}

		f.ex.DeleteKey(k.APIKey)
		f.advance(time.Hour)
		res, err := f.svc.Revoke(ctx, rec.ID, "", false)
		if err != nil {
			t.Fatalf("Revoke: %v", err)
		}
		if !res.Confirmed || res.SecretErr != nil {
			t.Fatalf("confirmed %v, secret error %v", res.Confirmed, res.SecretErr)
		}
		for _, r := range []vault.Record{res.Record, f.record(t, rec.ID)} { // as returned, and as the next start reads it
			if r.Status != vault.StatusRevoked {
				t.Errorf("status %s, want revoked", r.Status)
			}
			if !r.LeakedAt.Equal(leakedAt) || !r.Leaked() {
				t.Errorf("the leak is forgotten: leaked at %v, Leaked() %v", r.LeakedAt, r.Leaked())
			}
			if want := []string{keys.LeakReplace, keys.LeakActivity}; !slices.Equal(r.LeakSteps, want) {
				t.Errorf("leak steps %v, want %v", r.LeakSteps, want)
			}
			if r.Pending != nil {
				t.Errorf("left pending: %+v", r.Pending)
			}
			if !hasEvent(r, vault.EventCompromised) || !hasEvent(r, vault.EventRevoked) {
				t.Errorf("history lacks the leak or the revocation: %+v", r.History)
			}
		}
		if f.hasSecret(t, rec.ID) {
			t.Error("the secret of a confirmed-dead key is still kept")
		}
		// The checklist can still be reopened and ticked.
		if r, err := f.svc.SetLeakStep(rec.ID, keys.LeakSupport, true); err != nil || !slices.Contains(r.LeakSteps, keys.LeakSupport) {
			t.Errorf("ticking a step after the revoke: %v, steps %v", err, r.LeakSteps)
		}
		if ok, why := keys.Can(f.record(t, rec.ID), keys.ActCompromised); ok || !strings.Contains(why, "leaked already") {
			t.Errorf("Can(compromised) = %v, %q; want refused as leaked already", ok, why)
		}
		snap, err := f.svc.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		// Until its after-a-leak steps are done, a leaked key stays in
		// view; then it is history, its leak noted.
		if !snap.NeedsAttention(rec.ID) {
			t.Errorf("a leaked key with steps left does not need attention: %+v", snap.Findings(rec.ID))
		}
		for _, step := range keys.LeakStepCodes {
			if _, err := f.svc.SetLeakStep(rec.ID, step, true); err != nil {
				t.Fatal(err)
			}
		}
		if snap, err = f.svc.Snapshot(); err != nil {
			t.Fatal(err)
		}
		if snap.NeedsAttention(rec.ID) {
			t.Errorf("a revoked key Kraken confirmed dead, its steps done, needs attention: %+v", snap.Findings(rec.ID))
		}
		if fs := snap.Findings(rec.ID); len(fs) != 1 || fs[0].Code != review.CodeLeakAftercare {
			t.Errorf("the leak is not noted: %+v", fs)
		}
	})

	t.Run("a revoked key is not checked, and is not told to paste the key again", func(t *testing.T) {
		f := newFixture(t)
		rec, k := f.add(t, "tax")
		f.ex.DeleteKey(k.APIKey)
		if _, err := f.svc.Revoke(ctx, rec.ID, "", false); err != nil {
			t.Fatal(err)
		}
		revoked := f.record(t, rec.ID)
		ok, why := keys.Can(revoked, keys.ActCheck)
		if ok {
			t.Fatal("Can(check) allows checking a revoked key")
		}
		f.ex.ResetCalls()
		_, _, err := f.svc.Check(ctx, rec.ID, "")
		var na *keys.NotAllowedError
		if !errors.As(err, &na) || !errors.Is(err, keys.ErrNotAllowed) || na.Action != keys.ActCheck {
			t.Fatalf("Check: got %v, want a *NotAllowedError for check", err)
		}
		msg := keys.UserMessage(err)
		for _, text := range []string{why, msg} {
			low := strings.ToLower(text)
			if strings.Contains(low, "paste") || strings.Contains(low, "again") {
				t.Errorf("%q tells the person to paste the key again", text)
			}
		}
		if !strings.Contains(msg, "revoked") || !strings.Contains(msg, "“tax”") {
			t.Errorf("message %q does not say which key is revoked", msg)
		}
		if n := len(f.ex.Calls()); n != 0 {
			t.Errorf("%d calls to the exchange, want none", n)
		}
	})

	t.Run("mark reviewed on a revoked key is refused and changes nothing", func(t *testing.T) {
		f := newFixture(t)
		rec, k := f.add(t, "tax")
		f.ex.DeleteKey(k.APIKey)
		if _, err := f.svc.Revoke(ctx, rec.ID, "", false); err != nil {
			t.Fatal(err)
		}
		before := f.keysFile(t)
		_, err := f.svc.MarkReviewed(rec.ID, "looked at it")
		if !errors.Is(err, keys.ErrNotAllowed) {
			t.Fatalf("got %v, want ErrNotAllowed", err)
		}
		if !slices.Equal(f.keysFile(t), before) {
			t.Error("keys.json changed")
		}
		if err := f.svc.Snooze(rec.ID, time.Hour); !errors.Is(err, keys.ErrNotAllowed) {
			t.Errorf("Snooze: got %v, want ErrNotAllowed", err)
		}
	})

	t.Run("a revoke the exchange does not confirm changes nothing", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "still alive")
		before := f.record(t, rec.ID)
		beforeFile := f.keysFile(t)
		res, err := f.svc.Revoke(ctx, rec.ID, "", false)
		var nc *keys.NotConfirmedError
		if !errors.As(err, &nc) || !errors.Is(err, keys.ErrNotConfirmed) {
			t.Fatalf("got %v, want a *NotConfirmedError", err)
		}
		if res.Confirmed || nc.Readback.Outcome != vault.OutcomeOK {
			t.Errorf("confirmed %v, outcome %s; want not confirmed, the key answered ok", res.Confirmed, nc.Readback.Outcome)
		}
		if msg := keys.UserMessage(err); !strings.Contains(msg, "still accepts") || !strings.Contains(msg, "Nothing was changed") {
			t.Errorf("message %q", msg)
		}
		if got := f.record(t, rec.ID); !reflect.DeepEqual(got, before) {
			t.Errorf("the record changed:\n got %+v\nwant %+v", got, before)
		}
		if !slices.Equal(f.keysFile(t), beforeFile) {
			t.Error("keys.json changed")
		}
		if !f.hasSecret(t, rec.ID) {
			t.Error("the secret is gone")
		}
	})

	t.Run("a revoke that cannot reach the exchange changes nothing either", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "offline")
		before := f.keysFile(t)
		f.ex.Close()
		_, err := f.svc.Revoke(ctx, rec.ID, "", false)
		var nc *keys.NotConfirmedError
		if !errors.As(err, &nc) || !nc.Readback.Unreached {
			t.Fatalf("got %v, want a *NotConfirmedError with an unreached answer", err)
		}
		if !slices.Equal(f.keysFile(t), before) {
			t.Error("keys.json changed")
		}
	})

	t.Run("a forced revoke records it revoked and keeps the secret", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "forced")
		res, err := f.svc.Revoke(ctx, rec.ID, "", true)
		if err != nil {
			t.Fatalf("Revoke: %v", err)
		}
		if res.Confirmed {
			t.Error("confirmed, but the key is still on the exchange")
		}
		got := f.record(t, rec.ID)
		if got.Status != vault.StatusRevoked || got.Pending != nil {
			t.Errorf("status %s, pending %+v; want revoked, not pending", got.Status, got.Pending)
		}
		if !f.hasSecret(t, rec.ID) {
			t.Error("the secret was deleted: a later check could not tell whether the key still works")
		}
		last := got.History[len(got.History)-1]
		if last.Kind != vault.EventRevoked || !strings.Contains(last.Note, "without Kraken's confirmation") {
			t.Errorf("last event %+v", last)
		}
		if ok, _ := keys.Can(got, keys.ActRevoke); !ok {
			t.Error("a revocation without confirmation cannot be confirmed later")
		}
		// Its secret is kept: the words must not say otherwise, and must
		// point at the way to find out whether it still works.
		_, _, err = f.svc.Check(ctx, rec.ID, "")
		msg := keys.UserMessage(err)
		if !errors.Is(err, keys.ErrNotAllowed) || strings.Contains(msg, "no longer kept") || !strings.Contains(msg, "Revoke") {
			t.Errorf("Check of a key revoked without confirmation: %v, %q", err, msg)
		}
	})

	t.Run("a forced revoke can be confirmed later, and then its secret goes", func(t *testing.T) {
		f := newFixture(t)
		rec, k := f.add(t, "forced")
		if _, err := f.svc.Revoke(ctx, rec.ID, "", true); err != nil {
			t.Fatal(err)
		}
		f.ex.DeleteKey(k.APIKey)
		f.advance(time.Hour)
		res, err := f.svc.Revoke(ctx, rec.ID, "", false)
		if err != nil || !res.Confirmed {
			t.Fatalf("confirming: %v, confirmed %v", err, res.Confirmed)
		}
		got := f.record(t, rec.ID)
		if got.Status != vault.StatusRevoked || got.Pending != nil || got.LastCheck.Outcome != vault.OutcomeInvalidKey {
			t.Errorf("status %s, pending %+v, last check %+v", got.Status, got.Pending, got.LastCheck)
		}
		if f.hasSecret(t, rec.ID) {
			t.Error("the secret of a confirmed-dead key is still kept")
		}
		if ok, _ := keys.Can(got, keys.ActCopySecret); ok {
			t.Error("copying the secret is still offered")
		}
	})

	t.Run("the lifecycle only moves forward", func(t *testing.T) {
		f := newFixture(t)
		rec, k := f.add(t, "bot")
		if _, err := f.svc.Edit(rec.ID, keys.Edit{Name: "bot", Parked: true}); err != nil {
			t.Fatal(err)
		}
		if got := f.record(t, rec.ID).Status; got != vault.StatusParked {
			t.Fatalf("status %s, want parked", got)
		}
		f.ex.DeleteKey(k.APIKey)
		if _, err := f.svc.Revoke(ctx, rec.ID, "", false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Edit(rec.ID, keys.Edit{Name: "bot renamed", Parked: false}); err != nil {
			t.Fatal(err)
		}
		got := f.record(t, rec.ID)
		if got.Status != vault.StatusRevoked || got.Name != "bot renamed" {
			t.Errorf("after an edit: status %s, name %q; want still revoked, renamed", got.Status, got.Name)
		}
		if _, err := f.svc.Revoke(ctx, rec.ID, "", false); !errors.Is(err, keys.ErrNotAllowed) {
			t.Errorf("a second revoke: got %v, want ErrNotAllowed", err)
		}
		// A leak found after the revocation is remembered too.
		got, err := f.svc.MarkCompromised(rec.ID, "found in an old backup")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != vault.StatusRevoked || !got.Leaked() {
			t.Errorf("status %s, leaked %v; want revoked and leaked", got.Status, got.Leaked())
		}
		if _, err := f.svc.MarkCompromised(rec.ID, ""); !errors.Is(err, keys.ErrNotAllowed) {
			t.Errorf("a second leak mark: got %v, want ErrNotAllowed", err)
		}
	})

	t.Run("a key never leaked has no checklist", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "tax")
		if _, err := f.svc.SetLeakStep(rec.ID, keys.LeakReplace, true); !errors.Is(err, keys.ErrNotAllowed) {
			t.Errorf("got %v, want ErrNotAllowed", err)
		}
	})

	t.Run("mark reviewed on a key in use records it", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "tax")
		at := f.advance(24 * time.Hour)
		got, err := f.svc.MarkReviewed(rec.ID, "still needed")
		if err != nil {
			t.Fatal(err)
		}
		if !got.LastReviewed.Equal(at) || !hasEvent(f.record(t, rec.ID), vault.EventReviewed) {
			t.Errorf("last reviewed %v, want %v with an event", got.LastReviewed, at)
		}
	})
}

func TestCan(t *testing.T) {
	now := time.Now()
	active := vault.Record{ID: "a", Name: "a", Status: vault.StatusActive}
	leaked := vault.Record{ID: "l", Name: "l", Status: vault.StatusCompromised, LeakedAt: now}
	dead := vault.Record{ID: "d", Name: "d", Status: vault.StatusRevoked, LeakedAt: now,
		LastCheck: &vault.Readback{At: now, Outcome: vault.OutcomeInvalidKey}}
	forced := vault.Record{ID: "f", Name: "f", Status: vault.StatusRevoked,
		LastCheck: &vault.Readback{At: now, Outcome: vault.OutcomeOK}}
	replaced := vault.Record{ID: "r", Name: "r", Status: vault.StatusActive, ReplacedBy: "n"}
	tests := []struct {
		rec  vault.Record
		act  keys.Action
		want bool
	}{
		{active, keys.ActCheck, true},
		{active, keys.ActReview, true},
		{active, keys.ActRotate, true},
		{active, keys.ActRevoke, true},
		{active, keys.ActCompromised, true},
		{active, keys.ActCopySecret, true},
		{leaked, keys.ActCheck, true},
		{leaked, keys.ActReview, false},
		{leaked, keys.ActReminders, false},
		{leaked, keys.ActCompromised, false},
		{leaked, keys.ActRevoke, true},
		{dead, keys.ActCheck, false},
		{dead, keys.ActReview, false},
		{dead, keys.ActRotate, false},
		{dead, keys.ActRevoke, false},
		{dead, keys.ActCompromised, false},
		{dead, keys.ActCopySecret, false},
		{dead, keys.ActEdit, true},
		{dead, keys.ActRemove, true},
		{forced, keys.ActRevoke, true},
		{forced, keys.ActCopySecret, true},
		{replaced, keys.ActRotate, false},
		{replaced, keys.ActRevoke, true},
		{active, keys.ActExec, true},
		{leaked, keys.ActExec, false},
		{dead, keys.ActExec, false},
		{forced, keys.ActExec, false},
	}
	for _, tt := range tests {
		t.Run(tt.rec.Name+" "+string(tt.act), func(t *testing.T) {
			got, why := keys.Can(tt.rec, tt.act)
			if got != tt.want {
				t.Fatalf("Can = %v (%q), want %v", got, why, tt.want)
			}
			if !got && why == "" {
				t.Error("refused without saying why")
			}
		})
	}
}
