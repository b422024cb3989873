package wizard

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// harness is a wizard in a test window, wired to a simulated exchange.
type harness struct {
	t   *testing.T
	ex  *krakentest.Exchange
	win fyne.Window
	wz  *Wizard
	now time.Time

	mu       sync.Mutex
	saved    []Result
	saveErr  error // what onSave answers
	canceled int
	opened   []string
	existing []vault.Record
	// posted holds UI work from the wizard's goroutines: the test's own
	// goroutine runs it in wait, as the UI goroutine would.
	posted chan func()
}

func newHarness(t *testing.T, replaces *vault.Record, existing ...vault.Record) *harness {
	t.Helper()
	test.NewTempApp(t)
	h := &harness{t: t, ex: krakentest.New(), existing: existing, now: time.Now()}
	t.Cleanup(h.ex.Close)
	h.win = test.NewWindow(nil)
	t.Cleanup(h.win.Close)
	runner := &check.Runner{Secrets: vault.NewMemory(), BaseURL: h.ex.URL()}
	verify := func(ctx context.Context, secret vault.Secret, twoFA vault.TwoFA, code string) vault.Readback {
		return runner.CheckSecret(ctx, secret, twoFA, check.Options{OTP: code}, time.Now())
	}
	d := Deps{
		Window:   h.win,
		Verify:   verify,
		Existing: func() []vault.Record { return h.existing },
		Now:      func() time.Time { return h.now },
		OpenURL:  func(u string) { h.opened = append(h.opened, u) },
		Do:       func(f func()) { h.posted <- f },
	}
	h.posted = make(chan func(), 16)
	h.wz = New(d, replaces, h.onSave, func() { h.canceled++ })
	h.win.SetContent(h.wz.Content())
	h.win.Resize(fyne.NewSize(900, 620))
	return h
}

func (h *harness) onSave(r Result) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.saveErr != nil {
		return h.saveErr
	}
	h.saved = append(h.saved, r)
	return nil
}

func (h *harness) savedResults() []Result {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Result(nil), h.saved...)
}

// wait runs the UI work the wizard's goroutines post until none is
// pending, with a timeout.
func (h *harness) wait() {
	h.t.Helper()
	timeout := time.After(30 * time.Second)
	for h.wz.run.Pending() > 0 {
		select {
		case f := <-h.posted:
			f()
		case <-timeout:
			h.t.Fatal("the wizard's background work did not finish within 30 s")
		}
	}
}

// next taps Next and checks that the wizard moved on.
func (h *harness) next() {
	h.t.Helper()
	before := h.wz.current
	if h.wz.next.Disabled() {
		h.t.Fatalf("step %d: Next is disabled: %q", before+1, h.wz.hint.Text)
	}
	test.Tap(h.wz.next)
	if h.wz.current != before+1 {
		h.t.Fatalf("step %d: Next did not move on (%q)", before+1, h.wz.hint.Text)
	}
}

func (h *harness) back() {
	h.t.Helper()
	before := h.wz.current
	test.Tap(h.wz.back)
	if h.wz.current != before-1 {
		h.t.Fatalf("step %d: Back did not go back", before+1)
	}
}

// fillStep1 types the name and used-by and picks the purpose.
func (h *harness) fillStep1(name, usedBy string, p vault.Purpose) {
	h.t.Helper()
	test.Type(h.wz.names.usedBy, usedBy)
	h.wz.names.purpose.SetSelected(p.Label())
	test.Type(h.wz.names.name, name)
}

// paste fills the key fields as a paste would.
func (h *harness) paste(apiKey, privateKey string) {
	h.wz.keys.apiKey.SetText(apiKey)
	h.wz.keys.privateKey.SetText(privateKey)
}

// addKey puts a key on the exchange as the checklist describes p.
func (h *harness) addKey(p plan, change func(*krakentest.Key)) krakentest.Key {
	k := krakentest.Key{Name: p.Name, Permissions: p.Perms, IPAllowlist: p.IPs, ValidUntil: p.Expires, NonceWindow: p.NonceWindow}
	if change != nil {
		change(&k)
	}
	return h.ex.AddKey(k)
}

// toVerify goes from step 1 to the verify step with defaults for everything
// after step 1, making the key on the exchange along the way; twofa sets up
// step 6. It waits for the verify call.
func (h *harness) toVerify(change func(*krakentest.Key), twofa func(k krakentest.Key)) krakentest.Key {
	h.t.Helper()
	h.next() // 1 → 2
	h.next() // 2 → 3
	h.next() // 3 → 4
	k := h.addKey(h.wz.plan(), change)
	h.next() // 4 → 5
	h.paste(k.APIKey, k.PrivateKey)
	h.next() // 5 → 6
	if twofa != nil {
		twofa(k)
	}
	h.next() // 6 → 7: verifies
	h.wait()
	return k
}

// row returns the comparison row whose What starts with what.
func (h *harness) row(what string) rowCells {
	h.t.Helper()
	for _, c := range h.wz.verify.cells {
		if strings.HasPrefix(c.row.What, what) {
			return c
		}
	}
	h.t.Fatalf("no comparison row %q; rows: %+v", what, h.wz.verify.rows)
	return rowCells{}
}

// visibleText returns every piece of text on the window's canvas, overlays
// (dialogs) included, but not what password entries hold.
func visibleText(c fyne.Canvas) string {
	var b strings.Builder
	objs := test.LaidOutObjects(c.Content())
	for _, o := range c.Overlays().List() {
		objs = append(objs, test.LaidOutObjects(o)...)
	}
	for _, o := range objs {
		switch o := o.(type) {
		case *widget.Label:
			b.WriteString(o.Text + "\n")
		case *canvas.Text:
			b.WriteString(o.Text + "\n")
		case *widget.Button:
			b.WriteString(o.Text + "\n")
		case *widget.Check:
			b.WriteString(o.Text + "\n")
		}
	}
	return b.String()
}

func permsEqual(a, b []kraken.Permission) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
