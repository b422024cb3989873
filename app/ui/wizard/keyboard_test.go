package wizard

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// keyboard drives the wizard's window with the keyboard alone: Tab moves
// the focus, keys and text go to whatever has it.
type keyboard struct {
	h *harness
	c fyne.Canvas
}

// tabTo presses Tab until target has the focus: everything a step needs
// must be reachable that way.
func (k keyboard) tabTo(target fyne.Focusable) {
	k.h.t.Helper()
	for range 80 {
		if k.c.Focused() == target {
			return
		}
		k.c.FocusNext()
	}
	k.h.t.Fatalf("step %d: Tab never reaches %T", k.h.wz.current+1, target)
}

// press sends a key to the focused widget.
func (k keyboard) press(name fyne.KeyName) {
	k.h.t.Helper()
	f := k.c.Focused()
	if f == nil {
		k.h.t.Fatalf("step %d: nothing has the focus for %s", k.h.wz.current+1, name)
	}
	f.TypedKey(&fyne.KeyEvent{Name: name})
}

// enter presses Enter: the focused widget gets it, or else the window,
// which hands it to the wizard's Next as the main window does.
func (k keyboard) enter() {
	ev := &fyne.KeyEvent{Name: fyne.KeyReturn}
	if f := k.c.Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	k.h.wz.Next()
}

// typeText types into the focused widget.
func (k keyboard) typeText(s string) { test.Type(k.c.Focused(), s) }

// wantStep fails unless the wizard shows step n (1-based).
func (k keyboard) wantStep(n int) {
	k.h.t.Helper()
	if k.h.wz.current != n-1 {
		k.h.t.Fatalf("on step %d, want %d (%q)", k.h.wz.current+1, n, k.h.wz.hint.Text)
	}
}

// A key made from start to save with the keyboard alone: Tab to each
// field, type, Enter to go on, Space on a button.
func TestWizard_keyboardOnly(t *testing.T) {
	h := newHarness(t, nil)
	k := keyboard{h: h, c: h.win.Canvas()}

	k.tabTo(h.wz.names.usedBy)
	k.typeText("Koinly")
	k.tabTo(h.wz.names.name)
	if h.wz.names.name.Text == "" {
		k.typeText("koinly-tax-import")
	}
	k.press(fyne.KeyReturn)
	k.wantStep(2)

	// Step 2: the focus reaching a box low on the page scrolls it into view.
	sc := h.wz.scrolls[1]
	last := h.wz.perms.checks[kraken.Catalogue[len(kraken.Catalogue)-1].Code]
	k.tabTo(last)
	if sc.Offset.Y == 0 && sc.Content.MinSize().Height > sc.Size().Height {
		t.Error("the focused box low on step 2 was not scrolled into view")
	}
	k.press(fyne.KeyReturn)
	k.wantStep(3)

	// Step 3: Tab leaves the multi-line IP list instead of typing a tab.
	k.tabTo(h.wz.limits.ips)
	k.typeText("203.0.113.7")
	if h.wz.limits.ips.AcceptsTab() {
		t.Error("the IP allow-list keeps Tab: a keyboard trap")
	}
	k.tabTo(h.wz.limits.nonce)
	k.press(fyne.KeyReturn)
	k.wantStep(4)

	key := h.addKey(h.wz.plan(), nil)
	k.tabTo(h.wz.next)
	k.press(fyne.KeySpace)
	k.wantStep(5)

	k.tabTo(h.wz.keys.apiKey)
	k.typeText(key.APIKey)
	k.tabTo(h.wz.keys.privateKey)
	k.typeText(key.PrivateKey)
	k.press(fyne.KeyReturn)
	k.wantStep(6)

	k.tabTo(h.wz.next)
	k.press(fyne.KeySpace)
	k.wantStep(7)
	h.wait()

	// Enter saves on the verify step (issue 20, item 8): the window hands
	// Enter that reaches no widget to Next.
	k.enter()
	h.wait()
	if s := h.savedResults(); len(s) != 1 || s[0].Record.Restrictions.IPAllowlist[0] != "203.0.113.7" {
		t.Fatalf("saved %+v", s)
	}
}

// In the demo, the simulated website makes the key after the checklist and
// the next step pastes its pair: the wizard completes without an exchange
// account.
func TestWizard_demoSiteCompletes(t *testing.T) {
	h := newHarness(t, nil)
	h.wz.d.DemoSite = func(name string, perms []kraken.Permission, ips []string, expires time.Time, nonce int) (string, string) {
		k := h.ex.AddKey(krakentest.Key{Name: name, Permissions: perms, IPAllowlist: ips, ValidUntil: expires, NonceWindow: nonce})
		return k.APIKey, k.PrivateKey
	}
	h.wz = New(h.wz.d, nil, h.onSave, func() {})
	h.win.SetContent(h.wz.Content())
	h.fillStep1("koinly-tax-import", "Koinly", vault.PurposeTaxImport)
	h.next()
	h.next()
	h.next()
	if h.wz.site.demo == nil {
		t.Fatal("no simulated website in demo mode")
	}
	test.Tap(h.wz.site.demo)
	h.next()
	if h.wz.keys.demoPaste.Hidden {
		t.Fatal("no demo pair to paste")
	}
	test.Tap(h.wz.keys.demoPaste)
	h.next()
	h.next()
	h.wait()
	test.Tap(h.wz.save)
	h.wait()
	if s := h.savedResults(); len(s) != 1 || s[0].Readback == nil || s[0].Readback.Outcome != vault.OutcomeOK {
		t.Fatalf("saved %+v", s)
	}
}

// A field reached with Tab is scrolled into view, so nothing is typed
// blind: the Name on step 1 in a 640×480 window (issue 20, item 8).
func TestWizard_focusedFieldScrolledIntoView(t *testing.T) {
	h := newHarness(t, nil)
	h.win.Resize(fyne.NewSize(640, 480))
	k := keyboard{h: h, c: h.win.Canvas()}
	sc := h.wz.scrolls[0]
	if sc.Content.MinSize().Height <= sc.Size().Height {
		t.Fatalf("step 1 fits (%v in %v): the test shows nothing", sc.Content.MinSize().Height, sc.Size().Height)
	}
	sc.ScrollToTop()
	k.tabTo(h.wz.names.name)
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(h.wz.names.name).Y - d.AbsolutePositionForObject(sc).Y
	if top < 0 || top+h.wz.names.name.Size().Height > sc.Size().Height {
		t.Errorf("the focused Name is at %v in a page %v high: out of view", top, sc.Size().Height)
	}
}

// In the demo, step 4's simulated website comes first and in view, says
// in place that it made the key, makes it once however often it is
// clicked, and no real link is offered (issue 20, item 4).
func TestWizard_demoSiteFirstOnceInPlace(t *testing.T) {
	h := newHarness(t, nil)
	made := 0
	h.wz.d.DemoSite = func(name string, perms []kraken.Permission, ips []string, expires time.Time, nonce int) (string, string) {
		made++
		k := h.ex.AddKey(krakentest.Key{Name: name, Permissions: perms, IPAllowlist: ips, ValidUntil: expires, NonceWindow: nonce})
		return k.APIKey, k.PrivateKey
	}
	h.wz = New(h.wz.d, nil, h.onSave, func() {})
	h.win.SetContent(h.wz.Content())
	h.win.Resize(fyne.NewSize(840, 580))
	h.fillStep1("koinly-tax-import", "Koinly", vault.PurposeTaxImport)
	h.next()
	h.next()
	h.next()
	site, sc := h.wz.site, h.wz.scrolls[3]
	inView := func(o fyne.CanvasObject) bool {
		d := fyne.CurrentApp().Driver()
		top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(sc).Y
		return o.Visible() && top >= 0 && top+o.Size().Height <= sc.Size().Height
	}
	if !inView(site.demo) {
		t.Fatal("the simulated website's button is not in view on arrival")
	}
	for _, o := range test.LaidOutObjects(h.wz.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && b.Text == site.open.Text {
			t.Errorf("the demo offers the real %q", b.Text)
		}
	}
	test.Tap(site.demo)
	test.Tap(site.demo)
	if made != 1 {
		t.Errorf("two clicks made %d keys on the simulated website", made)
	}
	if !inView(site.demoDone) || !strings.HasPrefix(site.demoDone.Text, "Done:") {
		t.Errorf("the confirmation %q is not shown in place", site.demoDone.Text)
	}
	if len(h.opened) != 0 {
		t.Errorf("the demo opened %v", h.opened)
	}
}
