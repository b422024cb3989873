package keys_test

import (
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// deadPID returns the number of a process that has ended (one child, run
// once per test binary: each run of the race-built binary costs a second
// on a busy machine).
func deadPID(t *testing.T) int {
	t.Helper()
	pid, err := deadChild()
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

var deadChild = sync.OnceValues(func() (int, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=exit")
	if err := cmd.Run(); err != nil {
		return 0, err
	}
	return cmd.Process.Pid, nil
})

// leave writes rec as a killed process would have left it: marked pending
// op by pid since since, with its secret in the keyring when withSecret.
func (f *fixture) leave(t *testing.T, rec vault.Record, op vault.PendingOp, pid int, since time.Time, withSecret bool) vault.Record {
	t.Helper()
	if rec.ID == "" {
		rec.ID = vault.NewID()
	}
	if rec.Purpose == "" {
		rec.Purpose, rec.TwoFA, rec.Status = vault.PurposeCustom, vault.TwoFANone, vault.StatusActive
		rec.Intended = []kraken.Permission{kraken.QueryFunds}
		rec.Created = f.now()
	}
	rec.Pending = &vault.Pending{Op: op, Since: since, PID: pid}
	if err := f.store.Update(func(d *vault.Data) error {
		if r, err := d.ByID(rec.ID); err == nil {
			*r = rec
			return nil
		}
		_, err := d.Add(rec)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if withSecret {
		if err := f.secrets.Set(rec.ID, vault.Secret{APIKey: "api-" + rec.ID, PrivateKey: "priv"}); err != nil {
			t.Fatal(err)
		}
	}
	return rec
}

func TestService_Repair(t *testing.T) {
	t.Run("nothing to mend is a plain report", func(t *testing.T) {
		f := newFixture(t)
		f.add(t, "tax")
		before := f.keysFile(t)
		rep, err := f.svc.Repair()
		if err != nil || rep != (keys.RepairReport{}) {
			t.Fatalf("report %+v, error %v", rep, err)
		}
		if !slices.Equal(f.keysFile(t), before) {
			t.Error("keys.json changed")
		}
	})

	t.Run("an add killed after its secret was stored is completed, with its rotation link", func(t *testing.T) {
		f := newFixture(t)
		old, _ := f.add(t, "bot")
		rec := f.leave(t, vault.Record{Name: "bot 2", Replaces: old.ID}, vault.PendingAdd, deadPID(t), f.now(), true)
		rep, err := f.svc.Repair()
		if err != nil {
			t.Fatal(err)
		}
		if rep != (keys.RepairReport{Completed: 1}) {
			t.Errorf("report %+v, want one completed", rep)
		}
		got := f.record(t, rec.ID)
		if got.Pending != nil || got.Replaces != old.ID {
			t.Errorf("pending %+v, replaces %q", got.Pending, got.Replaces)
		}
		o := f.record(t, old.ID)
		if o.ReplacedBy != rec.ID || !hasEvent(o, vault.EventRotated) {
			t.Errorf("old.ReplacedBy %q, history %+v", o.ReplacedBy, o.History)
		}
		snap, err := f.svc.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := snap.Record(rec.ID); !ok {
			t.Error("the completed key is not shown")
		}
	})

	t.Run("an add killed before its secret arrived is dropped", func(t *testing.T) {
		f := newFixture(t)
		old, _ := f.add(t, "bot")
		rec := f.leave(t, vault.Record{Name: "bot 2", Replaces: old.ID}, vault.PendingAdd, deadPID(t), f.now(), false)
		rep, err := f.svc.Repair()
		if err != nil {
			t.Fatal(err)
		}
		if rep != (keys.RepairReport{Undone: 1}) {
			t.Errorf("report %+v, want one undone", rep)
		}
		if _, ok := f.lookup(t, rec.ID); ok {
			t.Error("the record is still there")
		}
		if got := f.record(t, old.ID); got.ReplacedBy != "" {
			t.Errorf("old.ReplacedBy = %q", got.ReplacedBy)
		}
	})

	t.Run("a removal killed halfway is finished, and its links cleared", func(t *testing.T) {
		for _, withSecret := range []bool{true, false} {
			f := newFixture(t)
			old, _ := f.add(t, "bot")
			next := f.rotate(t, old, "bot 2")
			f.leave(t, f.record(t, next.ID), vault.PendingRemove, deadPID(t), f.now(), withSecret)
			rep, err := f.svc.Repair()
			if err != nil {
				t.Fatal(err)
			}
			if rep != (keys.RepairReport{Removed: 1}) {
				t.Errorf("secret left %v: report %+v, want one removed", withSecret, rep)
			}
			if _, ok := f.lookup(t, next.ID); ok || f.hasSecret(t, next.ID) {
				t.Errorf("secret left %v: the record or its secret is still there", withSecret)
			}
			if got := f.record(t, old.ID); got.ReplacedBy != "" {
				t.Errorf("old.ReplacedBy = %q", got.ReplacedBy)
			}
		}
	})

	t.Run("a revoke killed before the secret was deleted deletes it", func(t *testing.T) {
		f := newFixture(t)
		rec, _ := f.add(t, "bot")
		r := f.record(t, rec.ID)
		r.Status, r.LeakedAt = vault.StatusRevoked, f.now()
		f.leave(t, r, vault.PendingRevoke, deadPID(t), f.now(), true)
		rep, err := f.svc.Repair()
		if err != nil {
			t.Fatal(err)
		}
		if rep != (keys.RepairReport{Revoked: 1}) {
			t.Errorf("report %+v, want one revoked", rep)
		}
		got := f.record(t, rec.ID)
		if got.Pending != nil || got.Status != vault.StatusRevoked || !got.Leaked() {
			t.Errorf("pending %+v, status %s, leaked %v", got.Pending, got.Status, got.Leaked())
		}
		if f.hasSecret(t, rec.ID) {
			t.Error("the secret is still kept")
		}
	})

	t.Run("a change whose process still runs is left to it", func(t *testing.T) {
		f := newFixture(t)
		adding := f.leave(t, vault.Record{Name: "adding"}, vault.PendingAdd, os.Getpid(), f.now(), false)
		removing, _ := f.add(t, "removing")
		f.leave(t, f.record(t, removing.ID), vault.PendingRemove, os.Getpid(), f.now(), false)
		before := f.keysFile(t)
		f.advance(time.Minute)
		rep, err := f.svc.Repair()
		if err != nil {
			t.Fatal(err)
		}
		if rep != (keys.RepairReport{Waiting: 2}) {
			t.Errorf("report %+v, want two waiting", rep)
		}
		if !slices.Equal(f.keysFile(t), before) {
			t.Error("keys.json changed")
		}
		if !f.hasSecret(t, removing.ID) {
			t.Error("the secret of a removal in progress was deleted")
		}

		// Past StaleAfter the process is taken for dead, whatever runs
		// under its number now.
		f.advance(keys.StaleAfter)
		rep, err = f.svc.Repair()
		if err != nil {
			t.Fatal(err)
		}
		if rep != (keys.RepairReport{Undone: 1, Removed: 1}) {
			t.Errorf("after StaleAfter: report %+v, want one undone, one removed", rep)
		}
		if _, ok := f.lookup(t, adding.ID); ok {
			t.Error("the stale add is still there")
		}
	})

	t.Run("a locked keyring leaves every change waiting", func(t *testing.T) {
		f := newFixture(t)
		f.leave(t, vault.Record{Name: "adding"}, vault.PendingAdd, deadPID(t), f.now(), true)
		before := f.keysFile(t)
		f.secrets.SetError(lockedKeyring)
		rep, err := f.svc.Repair()
		f.secrets.SetError(nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep != (keys.RepairReport{Waiting: 1}) {
			t.Errorf("report %+v, want one waiting", rep)
		}
		if !slices.Equal(f.keysFile(t), before) {
			t.Error("keys.json changed")
		}
		rep, err = f.svc.Repair()
		if err != nil || rep != (keys.RepairReport{Completed: 1}) {
			t.Errorf("once unlocked: report %+v, error %v; want one completed", rep, err)
		}
	})
}
