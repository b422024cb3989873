package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/ui/async"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// tinyHost is a window of the least kind, for building one screen alone:
// a real key service (a store in a temporary folder, secrets in memory, a
// simulated exchange), work run at once on the test's goroutine, and a
// log of what the screen asked for (notices, errors, where it went).
type tinyHost struct {
	t       *testing.T
	app     fyne.App
	win     fyne.Window
	store   *vault.Store
	secrets *vault.Memory
	ex      *krakentest.Exchange
	svc     *keys.Service
	snap    *keys.Snapshot
	ctx     context.Context

	notices, errors, messages, went []string
	told                            int // tellTray calls
	current                         any // the screen shown
}

func newTinyHost(t *testing.T) *tinyHost {
	t.Helper()
	store, err := vault.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ex := krakentest.New()
	t.Cleanup(ex.Close)
	h := &tinyHost{t: t, app: test.NewTempApp(t), store: store, secrets: vault.NewMemory(), ex: ex}
	h.svc = keys.New(keys.Params{Store: store, Secrets: h.secrets, Runner: &check.Runner{Secrets: h.secrets, BaseURL: ex.URL()}})
	h.win = h.app.NewWindow("screen")
	t.Cleanup(h.win.Close)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	h.ctx = ctx
	h.setData(h.readList())
	return h
}

// addKey makes a key on the exchange and keeps it through the service.
func (h *tinyHost) addKey(name string) (vault.Record, krakentest.Key) {
	h.t.Helper()
	k := h.ex.AddKey(krakentest.Key{Name: name, Permissions: []kraken.Permission{kraken.QueryFunds}})
	rec, err := h.svc.Add(context.Background(), keys.NewKey{
		Record: vault.Record{Name: name, Account: "me@example.com", Purpose: vault.PurposeCustom, TwoFA: vault.TwoFANone,
			UsedBy: []string{"Koinly"}, Intended: []kraken.Permission{kraken.QueryFunds}},
		Secret: vault.Secret{APIKey: k.APIKey, PrivateKey: k.PrivateKey},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.setData(h.readList())
	return rec, k
}

// show puts a screen's content in the window, as the window would.
func (h *tinyHost) show(screen any, content fyne.CanvasObject) {
	h.current = screen
	h.win.SetContent(content)
	h.win.Resize(fyne.NewSize(900, 620))
}

func (h *tinyHost) service() *keys.Service    { return h.svc }
func (h *tinyHost) window() fyne.Window       { return h.win }
func (h *tinyHost) notice(text string)        { h.notices = append(h.notices, text) }
func (h *tinyHost) showList()                 { h.went = append(h.went, "list") }
func (h *tinyHost) showDetail(id string)      { h.went = append(h.went, "detail "+id) }
func (h *tinyHost) showReview(id string)      { h.went = append(h.went, "review "+id) }
func (h *tinyHost) onRotate(rec vault.Record) { h.went = append(h.went, "rotate "+rec.ID) }
func (h *tinyHost) editKey(rec vault.Record)  { h.went = append(h.went, "edit "+rec.ID) }
func (h *tinyHost) showRevoke(id string, compromised bool) {
	h.went = append(h.went, "revoke "+id)
}
func (h *tinyHost) showError(title string, err error) {
	h.errors = append(h.errors, title+": "+userMessage(err))
}
func (h *tinyHost) showMessage(title, text string) { h.messages = append(h.messages, title+": "+text) }
func (h *tinyHost) background(what string, work func() func()) {
	if done := work(); done != nil {
		done()
	}
}
func (h *tinyHost) do(what string, work func() error, done func()) {
	err := work()
	h.setData(h.readList())
	switch {
	case err != nil:
		h.showError("Nothing was changed", err)
	case done != nil:
		done()
	}
}
func (h *tinyHost) openURL(u string)                             { h.went = append(h.went, u) }
func (h *tinyHost) protect(reason string, action func())         { action() }
func (h *tinyHost) askKeyCode(r vault.Record, then func(string)) { then("") }
func (h *tinyHost) checkContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(h.ctx, keys.CheckTimeout)
}
func (h *tinyHost) readList() listSnapshot {
	snap, err := h.svc.Snapshot()
	return listSnapshot{snap: snap, err: err}
}
func (h *tinyHost) setData(s listSnapshot) { h.take(s) }
func (h *tinyHost) take(s listSnapshot) {
	if s.err != nil {
		h.t.Fatal(s.err)
	}
	h.snap = s.snap
}
func (h *tinyHost) findings(r vault.Record) []review.Finding { return h.snap.Findings(r.ID) }
func (h *tinyHost) state(r vault.Record) review.DisplayState { return h.snap.State(r.ID) }
func (h *tinyHost) website() DemoWebsite                     { return nil }
func (h *tinyHost) keepRecord(vault.Record)                  {}
func (h *tinyHost) activityStepAction(rec vault.Record) fyne.CanvasObject {
	return widget.NewLabel("ledger since the last good check of " + rec.Name)
}
func (h *tinyHost) settingsShown() keys.Settings           { return h.snap.Settings }
func (h *tinyHost) startAtLogin() func(bool) error         { return nil }
func (h *tinyHost) demo() bool                             { return false }
func (h *tinyHost) appGuard() *guard.Guard                 { return nil }
func (h *tinyHost) now() time.Time                         { return time.Now() }
func (h *tinyHost) runner() *async.Runner                  { return async.New(func(func()) {}) }
func (h *tinyHost) tellTray()                              { h.told++ }
func (h *tinyHost) shows(screen any) bool                  { return screen == h.current }
func (h *tinyHost) snapshot() *keys.Snapshot               { return h.snap }
func (h *tinyHost) lifetime() context.Context              { return h.ctx }
func (h *tinyHost) clipboard() fyne.Clipboard              { return h.app.Clipboard() }
func (h *tinyHost) keyList() []vault.Record                { return h.snap.Records }
func (h *tinyHost) nameOf(id string) string                { return h.snap.Effective(id).Name }
func (h *tinyHost) checkKey(rec vault.Record, code string) { h.went = append(h.went, "check "+rec.ID) }
func (h *tinyHost) markReviewed(rec vault.Record, note string) {
	h.do("Saving", func() error { _, err := h.svc.MarkReviewed(rec.ID, note); return err }, nil)
}
func (h *tinyHost) copySecret(rec vault.Record, what string, part func(vault.Secret) string) {
	h.went = append(h.went, "copy "+what)
}
func (h *tinyHost) removeKey(rec vault.Record) { h.went = append(h.went, "remove "+rec.ID) }

// The hosts the screens are built over: the tiny host is each, and so is
// the window.
var (
	_ revokeHost   = (*tinyHost)(nil)
	_ settingsHost = (*tinyHost)(nil)
	_ detailHost   = (*tinyHost)(nil)
	_ sweepHost    = (*tinyHost)(nil)
	_ reviewHost   = (*tinyHost)(nil)
	_ reviewHost   = (*mainWindow)(nil)
	_ revokeHost   = (*mainWindow)(nil)
	_ settingsHost = (*mainWindow)(nil)
	_ detailHost   = (*mainWindow)(nil)
	_ sweepHost    = (*mainWindow)(nil)
)

func (h *tinyHost) wentTo(where string) bool {
	for _, w := range h.went {
		if w == where {
			return true
		}
	}
	return false
}

// TestRevokeRunbook_alone: the runbook works over a tiny host: Kraken
// still accepting the key changes nothing and says so; once the key is
// deleted on the exchange, confirming revokes it through the service.
func TestRevokeRunbook_alone(t *testing.T) {
	h := newTinyHost(t)
	rec, k := h.addKey("koinly-tax")
	rb := newRevokeRunbook(h, rec, false, h.keyList())
	h.show(rb, rb.content)

	test.Tap(rb.confirm)
	if !strings.Contains(rb.result.Text, "still accepts") {
		t.Errorf("with the key still on the exchange, the runbook says %q", rb.result.Text)
	}
	if got := h.snap.Effective(rec.ID).Status; got != vault.StatusActive {
		t.Fatalf("status %s after a confirmation Kraken refused, want active", got)
	}

	h.ex.DeleteKey(k.APIKey)
	test.Tap(rb.confirm)
	if got := h.snap.Effective(rec.ID).Status; got != vault.StatusRevoked {
		t.Errorf("status %s after Kraken answered invalid key, want revoked (errors %v)", got, h.errors)
	}
	if len(h.notices) == 0 || !strings.HasPrefix(h.notices[len(h.notices)-1], "Revoked koinly-tax") {
		t.Errorf("notices %q, want one that it was revoked", h.notices)
	}
	test.Tap(rb.back)
	if !h.wentTo("detail " + rec.ID) {
		t.Errorf("Back went to %v, want the key's detail", h.went)
	}
}

// TestKeyDetail_alone: a key's detail works over a tiny host: it shows the
// key, Mark reviewed saves through the service, and its buttons ask the
// host for the other screens.
func TestKeyDetail_alone(t *testing.T) {
	h := newTinyHost(t)
	rec, _ := h.addKey("koinly-tax")
	d := newKeyDetail(h, rec)
	h.show(d, d.content)

	test.Tap(d.markReviewed)
	if got := h.snap.Effective(rec.ID).LastReviewed; got.IsZero() {
		t.Errorf("Mark reviewed saved nothing (errors %v)", h.errors)
	}
	test.Tap(d.revoke)
	test.Tap(d.rotate)
	test.Tap(d.edit)
	for _, want := range []string{"revoke " + rec.ID, "rotate " + rec.ID, "edit " + rec.ID} {
		if !h.wentTo(want) {
			t.Errorf("the host was not asked for %q; it was asked for %v", want, h.went)
		}
	}
}

// TestSettingsScreen_alone: the settings screen works over a tiny host: a
// review interval typed there is saved through the service, the tray part
// is told, and Keys goes back to the list.
func TestSettingsScreen_alone(t *testing.T) {
	h := newTinyHost(t)
	s := newSettingsScreen(h)
	h.show(s, s.content)

	s.readOnly.SetText("45")
	s.commit()
	set, err := h.svc.Settings()
	if err != nil || set.ReadOnlyDays != 45 {
		t.Errorf("read-only review days %d (%v), want 45 saved (errors %v)", set.ReadOnlyDays, err, h.errors)
	}
	if h.told != 1 {
		t.Errorf("the tray part was told %d times, want once", h.told)
	}
	test.Tap(s.back)
	if !h.wentTo("list") {
		t.Errorf("Keys went to %v, want the list", h.went)
	}
}

// TestSweepScreen_alone: Find copies works over a tiny host, and its
// summary names every key not looked for, with why: one whose secret is
// not in the keyring, one whose saving did not finish.
func TestSweepScreen_alone(t *testing.T) {
	h := newTinyHost(t)
	_, k := h.addKey("koinly-tax")
	err := h.store.Update(func(d *vault.Data) error {
		for _, r := range []vault.Record{
			{ID: vault.NewID(), Name: "no-secret", Status: vault.StatusActive, Purpose: vault.PurposeCustom, TwoFA: vault.TwoFANone},
			{ID: vault.NewID(), Name: "half-saved", Status: vault.StatusActive, Purpose: vault.PurposeCustom, TwoFA: vault.TwoFANone,
				Pending: &vault.Pending{Op: vault.PendingAdd, PID: 1 << 30}},
		} {
			if _, err := d.Add(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bot.env"), []byte("KRAKEN_KEY="+k.APIKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := newSweepScreen(h)
	h.show(s, s.content)
	s.start([]string{dir})

	summary := s.progress.Text
	for _, want := range []string{
		"Found 1 copy of 1 of your keys.",
		"looking for 1 stored key.",
		"Not looked for: ",
		"“no-secret” (its secret is not in the system keyring)",
		"“half-saved” (Keywarden has not finished saving or removing it)",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary %q does not say %q", summary, want)
		}
	}
	test.Tap(s.back)
	if !h.wentTo("list") {
		t.Errorf("Keys went to %v, want the list", h.went)
	}
}

// TestReviewScreen_alone: the review screen works over a tiny host: Mark
// reviewed, once the three questions are answered, saves through the
// service; Revoke asks the host for the
// runbook.
func TestReviewScreen_alone(t *testing.T) {
	h := newTinyHost(t)
	rec, _ := h.addKey("koinly-tax")
	s := newReviewScreen(h, rec)
	h.show(s, s.content)
	test.Tap(s.markReviewed)
	if !h.snap.Effective(rec.ID).LastReviewed.IsZero() {
		t.Fatal("marked reviewed before the three questions were answered")
	}
	for _, c := range []*widget.Check{s.needed, s.services, s.minimal} {
		c.SetChecked(true)
	}
	test.Tap(s.markReviewed)
	if got := h.snap.Effective(rec.ID).LastReviewed; got.IsZero() {
		t.Errorf("Mark reviewed saved nothing (errors %v)", h.errors)
	}
	test.Tap(s.revoke)
	if !h.wentTo("revoke " + rec.ID) {
		t.Errorf("Revoke went to %v, want the runbook", h.went)
	}
}
