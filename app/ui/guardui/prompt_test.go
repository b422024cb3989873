package guardui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/vault"
)

func TestProtect_guardOff(t *testing.T) {
	f := newFixture(t, false)
	ran := 0
	Protect(f.win, f.guard, nil, "Copy the private key of koinly-tax", f.clock.now, func() { ran++ })
	ui.drain() // the keyring is asked off the UI goroutine
	if ran != 1 {
		t.Fatalf("action ran %d times, want once", ran)
	}
	if f.dialogOpen() {
		t.Error("a dialog is open although app 2FA is off")
	}
}

// TestProtect_seedDecides: with the seed in the keyring the prompt comes
// up although the switch says off (a deleted or edited guard.json), and a
// keyring that cannot be asked shows the prompt too; the action never runs
// without a code.
func TestProtect_seedDecides(t *testing.T) {
	f := newFixture(t, true)
	f.app.Preferences().SetBool(guard.EnabledFlag, false)
	ran := false
	Protect(f.win, f.guard, nil, "Copy the private key of koinly-tax", f.clock.now, func() { ran = true })
	ui.drain()
	if ran || !f.dialogOpen() {
		t.Fatalf("switch off, seed in the keyring: ran=%v, prompt open=%v; want the prompt", ran, f.dialogOpen())
	}

	f = newFixture(t, false)
	f.mem.SetError(&vault.KeyringError{Op: "get", Err: errors.New("locked")})
	Protect(f.win, f.guard, nil, "Copy the private key of koinly-tax", f.clock.now, func() { ran = true })
	ui.drain()
	if ran || !f.dialogOpen() {
		t.Fatalf("keyring locked: ran=%v, prompt open=%v; want the prompt", ran, f.dialogOpen())
	}
}

func TestProtect_rightCode(t *testing.T) {
	f := newFixture(t, true)
	ran := 0
	p := protect(f.win, f.guard, nil, "Copy the private key of koinly-tax", f.clock.now, func() { ran++ })
	if ran != 0 || !f.dialogOpen() {
		t.Fatalf("ran=%d open=%v before a code was typed", ran, f.dialogOpen())
	}
	p.enter(t, code(t, testSeed, t0))
	if ran != 1 {
		t.Errorf("action ran %d times, want once", ran)
	}
	if f.dialogOpen() {
		t.Error("the prompt is still open after a right code")
	}
}

func TestProtect_enterKeySubmits(t *testing.T) {
	f := newFixture(t, true)
	ran := false
	p := protect(f.win, f.guard, nil, "Reveal the private key of bot", f.clock.now, func() { ran = true })
	c := code(t, testSeed, t0)
	test.Type(p.entry, c[:3]+" "+c[3:])
	p.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	ui.drain()
	if !ran {
		t.Error("Enter with a right code did not run the action")
	}
}

func TestProtect_wrongCode(t *testing.T) {
	f := newFixture(t, true)
	ran := false
	p := protect(f.win, f.guard, nil, "Remove the key koinly-tax", f.clock.now, func() { ran = true })
	p.enter(t, wrongCode(t, testSeed, t0))
	if ran {
		t.Fatal("a wrong code ran the action")
	}
	if !f.dialogOpen() {
		t.Fatal("the prompt closed after a wrong code")
	}
	want := guard.UserMessage(&guard.WrongCodeError{Left: guard.MaxWrong - 1})
	if !p.message.Visible() || p.message.Text != want || p.message.Importance != widget.DangerImportance {
		t.Errorf("message = %q (visible %v), want %q", p.message.Text, p.message.Visible(), want)
	}
	if p.entry.Text != "" || p.entry.Disabled() || !p.confirm.Disabled() {
		t.Errorf("after a wrong code: entry %q disabled=%v, confirm disabled=%v; want an empty, enabled entry",
			p.entry.Text, p.entry.Disabled(), p.confirm.Disabled())
	}
	// A second try in the same dialog works.
	p.enter(t, code(t, testSeed, t0))
	if !ran || f.dialogOpen() {
		t.Errorf("right code after a wrong one: ran=%v open=%v", ran, f.dialogOpen())
	}
}

func TestProtect_replayedCode(t *testing.T) {
	f := newFixture(t, true)
	c := code(t, testSeed, t0)
	first := protect(f.win, f.guard, nil, "Copy the API key of bot", f.clock.now, func() {})
	first.enter(t, c)

	f.clock.t = t0.Add(5 * time.Second)
	ran := false
	p := protect(f.win, f.guard, nil, "Copy the private key of bot", f.clock.now, func() { ran = true })
	p.enter(t, c)
	if ran {
		t.Fatal("a replayed code ran the action")
	}
	if want := guard.UserMessage(guard.ErrReplayed); p.message.Text != want {
		t.Errorf("message = %q, want %q", p.message.Text, want)
	}
	if !f.dialogOpen() {
		t.Error("the prompt closed after a replayed code")
	}
}

func TestProtect_locked(t *testing.T) {
	f := newFixture(t, true)
	ran := false
	p := protect(f.win, f.guard, nil, "Export the key list", f.clock.now, func() { ran = true })
	for range guard.MaxWrong {
		p.enter(t, wrongCode(t, testSeed, t0))
	}
	if !strings.HasPrefix(p.message.Text, "Too many wrong codes") {
		t.Fatalf("after %d wrong codes: message %q, want the lock explained", guard.MaxWrong, p.message.Text)
	}
	f.clock.t = t0.Add(30 * time.Second)
	p.enter(t, code(t, testSeed, f.clock.t))
	if ran || !strings.HasPrefix(p.message.Text, "Too many wrong codes") {
		t.Fatalf("right code while locked: ran=%v message %q", ran, p.message.Text)
	}
	f.clock.t = t0.Add(guard.LockTimeout + time.Second)
	p.enter(t, code(t, testSeed, f.clock.t))
	if !ran {
		t.Errorf("right code after the lock: not run; message %q", p.message.Text)
	}
}

func TestProtect_cancel(t *testing.T) {
	f := newFixture(t, true)
	ran := false
	p := protect(f.win, f.guard, nil, "Copy the private key of bot", f.clock.now, func() { ran = true })
	test.Type(p.entry, "123")
	if !p.confirm.Disabled() {
		t.Error("confirm enabled with 3 digits")
	}
	test.Tap(p.cancel)
	if ran || f.dialogOpen() {
		t.Errorf("after Cancel: ran=%v open=%v", ran, f.dialogOpen())
	}
}

func TestProtect_escapeCancels(t *testing.T) {
	f := newFixture(t, true)
	ran := false
	p := protect(f.win, f.guard, nil, "Copy the private key of bot", f.clock.now, func() { ran = true })
	test.Type(p.entry, "12")
	p.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if ran || f.dialogOpen() {
		t.Errorf("after Escape: ran=%v open=%v", ran, f.dialogOpen())
	}
}

func TestProtect_keyringLocked(t *testing.T) {
	f := newFixture(t, true)
	f.mem.SetError(&vault.KeyringError{Op: "get", Err: errors.New("prompt dismissed")})
	ran := false
	p := protect(f.win, f.guard, nil, "Copy the private key of bot", f.clock.now, func() { ran = true })
	p.enter(t, code(t, testSeed, t0))
	if ran {
		t.Fatal("ran without the seed")
	}
	if !strings.Contains(p.message.Text, "keyring") || strings.Contains(p.message.Text, "prompt dismissed") {
		t.Errorf("message = %q, want plain advice about the keyring", p.message.Text)
	}
	f.mem.SetError(nil)
	p.enter(t, code(t, testSeed, t0))
	if !ran {
		t.Errorf("not run once the keyring opened; message %q", p.message.Text)
	}
}

func TestShowDisable(t *testing.T) {
	f := newFixture(t, true)
	var done []bool
	p := showDisable(f.win, f.guard, f.clock.now, func(ok bool) { done = append(done, ok) })
	p.enter(t, wrongCode(t, testSeed, t0))
	if len(done) != 0 || !f.guard.Enabled() {
		t.Fatalf("wrong code: done=%v enabled=%v", done, f.guard.Enabled())
	}
	if p.reset.Visible() {
		t.Error("the no-code button shows although the seed is there")
	}
	p.enter(t, code(t, testSeed, t0))
	if len(done) != 1 || !done[0] || f.guard.Enabled() {
		t.Fatalf("right code: done=%v enabled=%v", done, f.guard.Enabled())
	}
	if len(f.mem.IDs()) != 0 {
		t.Errorf("keyring still holds %v", f.mem.IDs())
	}
}

func TestShowDisable_cancel(t *testing.T) {
	f := newFixture(t, true)
	var done []bool
	p := showDisable(f.win, f.guard, f.clock.now, func(ok bool) { done = append(done, ok) })
	test.Tap(p.cancel)
	if len(done) != 1 || done[0] || !f.guard.Enabled() {
		t.Errorf("Cancel: done=%v enabled=%v", done, f.guard.Enabled())
	}
}

func TestShowDisable_seedMissing(t *testing.T) {
	f := newFixture(t, true)
	if err := f.mem.Delete(guard.SeedID); err != nil {
		t.Fatal(err)
	}
	var done []bool
	p := showDisable(f.win, f.guard, f.clock.now, func(ok bool) { done = append(done, ok) })
	p.enter(t, code(t, testSeed, t0))
	if !p.reset.Visible() || p.message.Text != guard.UserMessage(guard.ErrSeedMissing) {
		t.Fatalf("seed missing: reset visible=%v message %q", p.reset.Visible(), p.message.Text)
	}
	test.Tap(p.reset)
	ui.drain()
	if len(done) != 1 || !done[0] || f.guard.Enabled() {
		t.Errorf("reset: done=%v enabled=%v", done, f.guard.Enabled())
	}
}

// slowKeyring holds every Get until release is closed, as a keyring
// showing its unlock prompt does.
type slowKeyring struct {
	*vault.Memory
	release chan struct{}
}

func (s *slowKeyring) Get(id string) (vault.Secret, error) {
	<-s.release
	return s.Memory.Get(id)
}

func TestProtect_keyringBlocks(t *testing.T) {
	for _, cancel := range []bool{false, true} {
		name := "the action runs once the keyring answers"
		if cancel {
			name = "Cancel while waiting means the action never runs"
		}
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, true)
			slow := &slowKeyring{Memory: f.mem, release: make(chan struct{})}
			g := guard.New(slow, f.app.Preferences())
			ran := false
			p := protect(f.win, g, nil, "Copy the private key of bot", f.clock.now, func() { ran = true })
			test.Type(p.entry, code(t, testSeed, t0))
			test.Tap(p.confirm) // returns although the keyring has not answered
			if !p.entry.Disabled() || !p.confirm.Disabled() || !strings.HasPrefix(p.message.Text, "Checking…") {
				t.Errorf("while waiting: entry disabled=%v confirm disabled=%v message %q",
					p.entry.Disabled(), p.confirm.Disabled(), p.message.Text)
			}
			if cancel {
				test.Tap(p.cancel)
			}
			close(slow.release)
			ui.drain()
			if ran == cancel {
				t.Errorf("ran = %v", ran)
			}
		})
	}
}
