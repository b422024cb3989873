package ui

import (
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// idleFixture opens a window over one key with a clock the test moves, and
// counts the window's closes.
func idleFixture(t *testing.T) (*fixture, *fakeClock, vault.Record, *int) {
	t.Helper()
	f := newFixture(t)
	clock := &fakeClock{t: time.Now()}
	f.env.Now = clock.now
	rec := f.addKey("koinly-tax-import", []kraken.Permission{kraken.QueryFunds}, kraken.QueryFunds)
	f.open()
	closed := new(int)
	f.mw.closeWin = func() { *closed++ }
	return f, clock, rec, closed
}

func TestIdleCloser_closesAfterTheSetTimeAndComesBackToTheSameScreen(t *testing.T) {
	f, clock, rec, closed := idleFixture(t)
	f.mw.showDetail(rec.ID)

	clock.advance(9 * time.Minute)
	f.mw.idle.check()
	if *closed != 0 {
		t.Fatal("closed after 9 of 10 minutes")
	}
	// The pointer moving over the window is input.
	f.mw.win.Content().(desktop.Hoverable).MouseMoved(&desktop.MouseEvent{})
	clock.advance(9 * time.Minute)
	f.mw.idle.check()
	if *closed != 0 {
		t.Fatal("closed 9 minutes after the pointer moved")
	}
	// Scrolling the screen is input too, seen at the next look.
	f.mw.detail.scroll.ScrollToOffset(fyne.NewPos(0, 40))
	clock.advance(time.Minute)
	f.mw.idle.check()
	if *closed != 0 {
		t.Fatal("closed though the screen was scrolled")
	}
	clock.advance(10 * time.Minute)
	f.mw.idle.check()
	if *closed != 1 {
		t.Fatalf("not closed after 10 minutes without input (closed %d)", *closed)
	}

	// The next start shows the same key.
	next := newMainWindow(f.env)
	t.Cleanup(next.win.Close)
	st, ok := next.takeWindowState()
	if !ok || st.View != "detail" || st.ID != rec.ID {
		t.Fatalf("state %+v, %v; want the detail of %s", st, ok, rec.ID)
	}
	next.restoreScreen(st)
	f.mw = next
	f.wait()
	if next.view != viewDetail || next.viewID != rec.ID {
		t.Errorf("the next start shows view %v %q, want the detail of %s", next.view, next.viewID, rec.ID)
	}
	if _, again := next.takeWindowState(); again {
		t.Error("the screen is brought back twice")
	}
}

func TestIdleCloser_neverWhileKeysArePastedOrWhenSetToNever(t *testing.T) {
	t.Run("the wizard holds pasted keys", func(t *testing.T) {
		f, clock, rec, closed := idleFixture(t)
		f.mw.onNewKey()
		f.mw.wizard.Showcase(rec, vault.Secret{APIKey: "pasted", PrivateKey: "pasted too"}, 5)
		clock.advance(time.Hour)
		f.mw.idle.check()
		if *closed != 0 {
			t.Error("closed while the wizard held a pasted key")
		}
	})
	t.Run("the setting says never", func(t *testing.T) {
		f, clock, _, closed := idleFixture(t)
		if err := f.mw.keys.UpdateSettings(func(s *keys.Settings) error { s.IdleCloseMinutes = 0; return nil }); err != nil {
			t.Fatal(err)
		}
		f.mw.reload()
		f.wait()
		clock.advance(48 * time.Hour)
		f.mw.idle.check()
		if *closed != 0 {
			t.Error("closed though the setting says never")
		}
	})
}
