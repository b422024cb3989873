package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// A leaked key that was rotated already, then revoked: the detail's count,
// the checklist's ticks and the runbook's heading agree (issue 20 item 3).
func TestLeakChecklist_agreesAfterRotationAndRevocation(t *testing.T) {
	f := newFixture(t)
	old := f.addKey("koinly-tax", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
	repl := f.addKey("koinly-tax-2", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
	if err := f.store.Update(func(d *vault.Data) error {
		for i := range d.Records {
			switch d.Records[i].ID {
			case old.ID:
				d.Records[i].ReplacedBy = repl.ID
			case repl.ID:
				d.Records[i].Replaces = old.ID
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	f.open()
	if _, err := f.mw.keys.MarkCompromised(old.ID, ""); err != nil {
		t.Fatal(err)
	}
	f.mw.reload()
	f.wait()
	f.mw.showRevoke(old.ID, true)
	rb := f.mw.revoke
	if !strings.Contains(rb.title.Text, "revoke it now") || rb.intro.Importance != widget.DangerImportance {
		t.Errorf("before the revocation: heading %q (%v), want the urgent one in red", rb.title.Text, rb.intro.Importance)
	}

	secret, _ := f.secrets.Get(old.ID)
	f.ex.DeleteKey(secret.APIKey)
	test.Tap(rb.confirm)
	f.wait()
	if got := f.stored(old.ID); got.Status != vault.StatusRevoked {
		t.Fatalf("status %s, want revoked", got.Status)
	}
	rb = f.mw.revoke
	if strings.Contains(rb.title.Text, "revoke it now") || strings.Contains(rb.intro.Text, "Delete it first") ||
		rb.intro.Importance == widget.DangerImportance {
		t.Errorf("after Kraken confirmed: heading %q, intro %q (%v); want it no longer urgent", rb.title.Text, rb.intro.Text, rb.intro.Importance)
	}
	unticked := 0
	for _, c := range rb.leak.ticks {
		if !c.Checked {
			unticked++
		}
	}
	if !rb.leak.ticks[0].Checked {
		t.Error("“Make a replacement” is not ticked though the key was rotated")
	}
	rec, _ := f.mw.record(old.ID)
	want := fmt.Sprintf("%d of %d steps left", unticked, len(vault.LeakStepCodes))
	found := false
	for _, fd := range f.mw.findings(rec) {
		if fd.Code == review.CodeLeakAftercare {
			found = true
			if !strings.Contains(fd.Title, want) {
				t.Errorf("the detail says %q; the checklist shows %d unticked (want %q)", fd.Title, unticked, want)
			}
		}
	}
	if !found {
		t.Error("no after-a-leak finding for the revoked leaked key")
	}
}
