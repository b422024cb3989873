package guardui

import (
	"github.com/keywarden/keywarden/app/ui/async"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/pquerna/otp/totp"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/vault"
)

// t0 is 10 s into a time step.
var t0 = time.Unix(1_700_000_020, 0)

const testSeed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// clock is a settable now for the prompts.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// fixture is a test app and window and a guard over an in-memory keyring
// and the app's own preferences (so fyne.Preferences is the Flags used).
type fixture struct {
	app   fyne.App
	win   fyne.Window
	mem   *vault.Memory
	guard *guard.Guard
	clock *clock
}

func newFixture(t *testing.T, enabled bool) *fixture {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel("(the keys list)"))
	w.Resize(fyne.NewSize(900, 620))
	mem := vault.NewMemory()
	if enabled {
		if err := mem.Set(guard.SeedID, vault.Secret{OTPSeed: testSeed}); err != nil {
			t.Fatal(err)
		}
		a.Preferences().SetBool(guard.EnabledFlag, true)
	}
	return &fixture{app: a, win: w, mem: mem, guard: guard.New(mem, a.Preferences()), clock: &clock{t: t0}}
}

func code(t *testing.T, seed string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(seed, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wrongCode is a code that no time step near at produces.
func wrongCode(t *testing.T, seed string, at time.Time) string {
	t.Helper()
	near := map[string]bool{}
	for d := -2; d <= 2; d++ {
		near[code(t, seed, at.Add(time.Duration(d)*guard.Period))] = true
	}
	for _, c := range []string{"000000", "111111", "222222"} {
		if !near[c] {
			return c
		}
	}
	t.Fatal("no wrong code")
	return ""
}

// enter types a code into the prompt, taps the confirm button and waits for
// the check to come back.
func (p *codePrompt) enter(t *testing.T, code string) {
	t.Helper()
	p.entry.SetText("")
	test.Type(p.entry, code)
	if p.confirm.Disabled() {
		t.Fatalf("confirm button disabled after typing %q", code)
	}
	test.Tap(p.confirm)
	ui.drain()
}

// ui stands in for the UI goroutine: checks run on their own goroutine as
// in the app, and their results are applied when a test drains the queue,
// as fyne.Do would on the main goroutine.
var ui uiQueue

type uiQueue struct {
	running sync.WaitGroup
	mu      sync.Mutex
	done    []func()
}

func (q *uiQueue) runOff(_ *async.Runner, work func() error, done func(error)) {
	q.running.Add(1)
	go func() {
		defer q.running.Done()
		err := work()
		q.mu.Lock()
		q.done = append(q.done, func() { done(err) })
		q.mu.Unlock()
	}()
}

// drain waits for the checks in flight and applies their results.
func (q *uiQueue) drain() {
	q.running.Wait()
	q.mu.Lock()
	done := q.done
	q.done = nil
	q.mu.Unlock()
	for _, f := range done {
		f()
	}
}

func TestMain(m *testing.M) {
	runOff = ui.runOff
	os.Exit(m.Run())
}

// dialogOpen reports whether a dialog is showing over the window.
func (f *fixture) dialogOpen() bool { return f.win.Canvas().Overlays().Top() != nil }

// assertNotClipped fails if any label in the dialog got less height than it
// needs, or sticks out of the window.
func assertNotClipped(t *testing.T, win fyne.Window, o fyne.CanvasObject) {
	t.Helper()
	winSize := win.Canvas().Size()
	for _, obj := range test.LaidOutObjects(o) {
		l, ok := obj.(*widget.Label)
		if !ok || !l.Visible() || l.Text == "" {
			continue
		}
		if l.Size().Height+0.5 < l.MinSize().Height || l.Size().Width+0.5 < l.MinSize().Width {
			t.Errorf("label %q is %v, needs %v", short(l.Text), l.Size(), l.MinSize())
		}
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(l)
		if pos.X < 0 || pos.Y < 0 || pos.X+l.Size().Width > winSize.Width || pos.Y+l.Size().Height > winSize.Height {
			t.Errorf("label %q at %v size %v is outside the %v window", short(l.Text), pos, l.Size(), winSize)
		}
	}
}

func short(s string) string {
	if len(s) > 30 {
		return s[:30] + "…"
	}
	return strings.TrimSpace(s)
}
