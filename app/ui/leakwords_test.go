package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// Issue 20: a leak had four names across the screens ("Mark compromised…",
// "The key leaked", "After-a-leak steps", "(Revoke…)"). It has one now:
// "Mark as leaked…" marks it, "Leak checklist…" opens what to do, before
// and after Kraken confirms the revocation, and the words that point to it
// say so.
func TestLeak_OneNameOnEveryScreen(t *testing.T) {
	f := newDemoFixture(t)
	rec := f.byName("koinly-tax-import")
	f.mw.showDetail(rec.ID)
	if got := f.mw.detail.compromised.Text; got != "Mark as leaked…" {
		t.Errorf("the button that marks a leak says %q", got)
	}
	test.Tap(f.mw.detail.compromised)
	f.mw.detail.confirm.Confirm()
	f.wait()

	f.mw.showDetail(rec.ID)
	d := f.mw.detail
	if d.revoke.Text != "Leak checklist…" || d.revoke.Disabled() {
		t.Errorf("before the revocation the runbook's button says %q (disabled %v)", d.revoke.Text, d.revoke.Disabled())
	}
	if all := strings.Join(texts(d.reminders.content), "\n"); !strings.Contains(all, "“Leak checklist…”") {
		t.Errorf("the reminders point elsewhere:\n%s", all)
	}

	secret, _ := f.secrets.Get(rec.ID)
	f.ex.DeleteKey(secret.APIKey)
	test.Tap(d.revoke) // opens the runbook
	test.Tap(f.mw.revoke.confirm)
	f.wait()
	f.mw.showDetail(rec.ID)
	d = f.mw.detail
	if d.revoke.Text != "Leak checklist…" || d.revoke.Disabled() {
		t.Errorf("after the revocation the runbook's button says %q (disabled %v)", d.revoke.Text, d.revoke.Disabled())
	}
	var steps []string
	for _, fd := range d.findings {
		steps = append(steps, fd.NextStep)
	}
	if all := strings.Join(steps, "\n"); !strings.Contains(all, "Leak checklist…") || strings.Contains(all, "Revoke…") {
		t.Errorf("the findings point elsewhere:\n%s", all)
	}
	for _, old := range []string{"compromised", "After-a-leak", "after-a-leak"} {
		if all := strings.Join(texts(f.mw.win.Content()), "\n"); strings.Contains(all, old) {
			t.Errorf("the detail still says %q:\n%s", old, all)
		}
	}
}
