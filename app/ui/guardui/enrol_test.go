package guardui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/vault"
)

func TestShowEnrol(t *testing.T) {
	f := newFixture(t, false)
	var done []bool
	e := showEnrol(f.win, f.guard, "alice@laptop", f.clock.now, func(ok bool) { done = append(done, ok) })
	if e.qr == nil || e.qr.MinSize() != fyne.NewSquareSize(qrSize) {
		t.Fatalf("QR code: %v", e.qr)
	}
	// The seed as shown is what a person types into the authenticator app.
	seed := strings.ReplaceAll(e.seed.Text, " ", "")
	if len(seed) != 32 {
		t.Fatalf("seed shown as %q", e.seed.Text)
	}

	e.enter(t, wrongCode(t, seed, t0))
	if len(done) != 0 || f.guard.Enabled() || len(f.mem.IDs()) != 0 {
		t.Fatalf("wrong code: done=%v enabled=%v keyring=%v", done, f.guard.Enabled(), f.mem.IDs())
	}
	if !strings.HasPrefix(e.message.Text, "That code is not right") {
		t.Errorf("message %q", e.message.Text)
	}

	e.enter(t, code(t, seed, t0))
	if len(done) != 1 || !done[0] || !f.guard.Enabled() || f.dialogOpen() {
		t.Fatalf("right code: done=%v enabled=%v open=%v; message %q", done, f.guard.Enabled(), f.dialogOpen(), e.message.Text)
	}
	s, err := f.mem.Get(guard.SeedID)
	if err != nil || s.OTPSeed != seed {
		t.Fatalf("keyring after enrolment: seed stored=%v, %v", s.OTPSeed == seed, err)
	}

	// From now on Protect asks, and accepts the next code.
	at := t0.Add(guard.Period)
	f.clock.t = at
	ran := false
	p := protect(f.win, f.guard, nil, "Copy the private key of koinly-tax", f.clock.now, func() { ran = true })
	if p == nil {
		t.Fatal("Protect did not ask after enrolment")
	}
	p.enter(t, code(t, seed, at))
	if !ran {
		t.Errorf("Protect after enrolment: not run; message %q", p.message.Text)
	}
}

func TestShowEnrol_cancel(t *testing.T) {
	f := newFixture(t, false)
	var done []bool
	e := showEnrol(f.win, f.guard, "alice", f.clock.now, func(ok bool) { done = append(done, ok) })
	test.Tap(e.cancel)
	if len(done) != 1 || done[0] || f.guard.Enabled() || len(f.mem.IDs()) != 0 {
		t.Errorf("Cancel: done=%v enabled=%v keyring=%v", done, f.guard.Enabled(), f.mem.IDs())
	}
}

func TestShowEnrol_keyringLocked(t *testing.T) {
	f := newFixture(t, false)
	var done []bool
	e := showEnrol(f.win, f.guard, "alice", f.clock.now, func(ok bool) { done = append(done, ok) })
	seed := strings.ReplaceAll(e.seed.Text, " ", "")
	f.mem.SetError(&vault.KeyringError{Op: "set", Err: errTest})
	e.enter(t, code(t, seed, t0))
	if len(done) != 0 || f.guard.Enabled() || !strings.Contains(e.message.Text, "keyring") {
		t.Errorf("keyring locked: done=%v enabled=%v message %q", done, f.guard.Enabled(), e.message.Text)
	}
}

func TestShowEnrol_alreadyOn(t *testing.T) {
	f := newFixture(t, true)
	var done []bool
	if e := showEnrol(f.win, f.guard, "alice", f.clock.now, func(ok bool) { done = append(done, ok) }); e != nil {
		t.Fatal("enrolment started while app 2FA is on")
	}
	top := f.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no message shown")
	}
	var ok *widget.Button
	for _, o := range test.LaidOutObjects(top) {
		if b, isButton := o.(*widget.Button); isButton && b.Visible() {
			ok = b
		}
	}
	if ok == nil {
		t.Fatal("no button to close the message")
	}
	test.Tap(ok)
	if len(done) != 1 || done[0] {
		t.Errorf("done = %v, want [false]", done)
	}
}
