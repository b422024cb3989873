package keys_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

// TestService_Edit_ontoTheRecordAsItIsNow: an edit made in a dialog while
// another process changed the key is saved onto the key as it is now: the
// fields the person changed are saved, the others keep what the other
// process wrote (the dialog's old copy used to overwrite them); a field
// both changed to different values refuses the edit, and nothing is saved.
func TestService_Edit_ontoTheRecordAsItIsNow(t *testing.T) {
	f := newFixture(t)
	// The other process: a second service over the same folder and keyring.
	other := keys.New(keys.Params{Store: f.store, Secrets: f.secrets, Settings: testSettings(f.store.Dir(), f.dir)})

	t.Run("fields changed elsewhere are kept", func(t *testing.T) {
		rec, _ := f.add(t, "koinly-tax")
		shown := keys.EditOf(rec) // the dialog opens
		if _, err := other.Edit(rec.ID, keys.Edit{Name: rec.Name, Notes: "from the terminal", UsedBy: []string{"Koinly"}, Parked: true}); err != nil {
			t.Fatal(err)
		}
		edit := shown
		edit.Name, edit.From = "koinly-2026", &shown
		got, err := f.svc.Edit(rec.ID, edit)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "koinly-2026" || got.Notes != "from the terminal" || !slices.Equal(got.UsedBy, []string{"Koinly"}) || got.Status != vault.StatusParked {
			t.Errorf("saved name %q, notes %q, used by %v, status %s; want the new name over the other process's notes, services and parking",
				got.Name, got.Notes, got.UsedBy, got.Status)
		}
	})

	t.Run("the same field changed to something else is refused", func(t *testing.T) {
		rec, _ := f.add(t, "cointracker")
		shown := keys.EditOf(rec)
		if _, err := other.Edit(rec.ID, keys.Edit{Name: rec.Name, Notes: "theirs"}); err != nil {
			t.Fatal(err)
		}
		edit := shown
		edit.Notes, edit.Account, edit.From = "mine", "me@example.com", &shown
		_, err := f.svc.Edit(rec.ID, edit)
		var conflict *keys.EditConflictError
		if !errors.As(err, &conflict) || !slices.Equal(conflict.Fields, []string{"notes"}) {
			t.Fatalf("Edit = %v, want an EditConflictError naming the notes", err)
		}
		now, err := f.svc.Record(rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if now.Notes != "theirs" || now.Account != rec.Account {
			t.Errorf("after the refusal: notes %q, account %q; want nothing saved", now.Notes, now.Account)
		}
	})

	t.Run("the same field changed to the same value is no conflict", func(t *testing.T) {
		rec, _ := f.add(t, "grafana")
		shown := keys.EditOf(rec)
		if _, err := other.Edit(rec.ID, keys.Edit{Name: rec.Name, Notes: "dashboard"}); err != nil {
			t.Fatal(err)
		}
		edit := shown
		edit.Notes, edit.From = " dashboard ", &shown
		if got, err := f.svc.Edit(rec.ID, edit); err != nil || got.Notes != "dashboard" {
			t.Errorf("Edit = %q, %v; want the notes saved once", got.Notes, err)
		}
	})
}
