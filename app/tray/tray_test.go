package tray

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/demo"
	"github.com/keywarden/keywarden/app/instance"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
)

// stillClock stands at one time; its timers never fire, so the scheduler
// looks only when poked. armed receives a value each time the scheduler
// sets its timer, which it does after every look.
type stillClock struct {
	now   time.Time
	armed chan struct{}
}

func newStillClock(now time.Time) *stillClock {
	return &stillClock{now: now, armed: make(chan struct{}, 100)}
}

func (c *stillClock) Now() time.Time { return c.now }

func (c *stillClock) NewTimer(time.Duration) remind.Timer {
	c.armed <- struct{}{}
	return stillTimer{}
}

type stillTimer struct{}

func (stillTimer) C() <-chan time.Time { return nil }
func (stillTimer) Stop() bool          { return true }

// recorder stands in for the tray icon, the notifications and the window.
type recorder struct {
	mu sync.Mutex
	// fail, when set, makes notifications fail (no notification server).
	fail      error
	models    []Model
	reminders []string // reminder IDs
	texts     []string // each reminder's title and body
	messages  []string // titles
	windows   []string // record IDs; "" for the window as it is
	questions []string // each question's refid, title and body
	activity  []string // Activity opened: "" or the refid "Not me" was picked on
	closed    []string // record IDs whose notifications were closed
	saved     int
	errs      []error
	changed   chan struct{}
}

func newRecorder() *recorder { return &recorder{changed: make(chan struct{}, 100)} }

func (r *recorder) do(fn func()) {
	r.mu.Lock()
	fn()
	r.mu.Unlock()
	r.changed <- struct{}{}
}

func (r *recorder) show(m Model) { r.do(func() { r.models = append(r.models, m) }) }
func (r *recorder) Reminder(rem remind.Reminder) (err error) {
	r.do(func() {
		if err = r.fail; err == nil {
			r.reminders = append(r.reminders, rem.ID)
			r.texts = append(r.texts, rem.Title+" "+rem.Body)
		}
	})
	return err
}
func (r *recorder) Message(title, body string) (err error) {
	r.do(func() {
		if err = r.fail; err == nil {
			r.messages = append(r.messages, title+" "+body)
		}
	})
	return err
}
func (r *recorder) Question(refID, title, body string) (err error) {
	r.do(func() {
		if err = r.fail; err == nil {
			r.questions = append(r.questions, refID+" "+title+" "+body)
		}
	})
	return err
}
func (r *recorder) showActivity(notMeRefID string) error {
	r.do(func() { r.activity = append(r.activity, notMeRefID) })
	return nil
}
func (r *recorder) CloseKey(recordID string) {
	r.do(func() { r.closed = append(r.closed, recordID) })
}
func (r *recorder) window(id string) error {
	r.do(func() { r.windows = append(r.windows, id) })
	return nil
}

// locked runs fn with the recorder locked, to read what it holds.
func (r *recorder) locked(fn func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fn()
}

// model returns the model shown last.
func (r *recorder) model() Model {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastModel()
}

// lastModel is model for callers that hold the lock (waitFor's cond).
func (r *recorder) lastModel() Model {
	if len(r.models) == 0 {
		return Model{}
	}
	return r.models[len(r.models)-1]
}

// waitFor waits until cond holds, looking again after each change.
func (r *recorder) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		r.mu.Lock()
		ok := cond()
		r.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-r.changed:
		case <-deadline:
			t.Fatalf("after 5 s, still not: %s", what)
		}
	}
}

// trayHarness runs a Tray over a key list in a temporary folder, through
// a key service with its secrets in memory.
type trayHarness struct {
	t      *testing.T
	dir    string
	store  *vault.Store
	svc    *keys.Service
	clock  *stillClock
	rec    *recorder
	cfg    Config
	tray   *Tray
	cancel context.CancelFunc
	done   chan error
}

func newTrayHarness(t *testing.T, records ...vault.Record) *trayHarness {
	dir := t.TempDir()
	store, err := vault.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(records) > 0 {
		err := store.Update(func(d *vault.Data) error { d.Records = append(d.Records, records...); return nil })
		if err != nil {
			t.Fatal(err)
		}
	}
	h := &trayHarness{t: t, dir: dir, store: store, clock: newStillClock(t0), rec: newRecorder()}
	h.useService(vault.NewMemory(), nil)
	return h
}

// useService makes the tray work through a key service with these secrets
// and this exchange (nil: no checks).
func (h *trayHarness) useService(secrets vault.SecretStore, runner *check.Runner) {
	set := keys.OpenSettings(h.dir)
	set.LegacyPath = filepath.Join(h.dir, "no-toolkit-preferences.json") // never the person's own
	h.svc = keys.New(keys.Params{
		Store: h.store, Secrets: secrets, Runner: runner, Settings: set,
		Now:     func() time.Time { return h.clock.Now() },
		Changed: func() { h.rec.do(func() { h.rec.saved++ }) },
	})
	h.cfg = Config{
		Keys: h.svc, Notify: h.rec, Window: h.rec.window, Activity: h.rec.showActivity, Clock: h.clock,
		Report: func(err error) { h.rec.do(func() { h.rec.errs = append(h.rec.errs, err) }) },
	}
}

// settings changes the settings as the window or `keywarden settings set`
// does.
func (h *trayHarness) settings(fn func(s *keys.Settings)) {
	h.t.Helper()
	if err := h.svc.UpdateSettings(func(s *keys.Settings) error { fn(s); return nil }); err != nil {
		h.t.Fatal(err)
	}
}

// start starts a Tray and waits for its first look.
func (h *trayHarness) start() {
	h.t.Helper()
	h.startWith(nil)
}

// startWith starts a Tray as start does, after setup (if not nil) has
// changed it.
func (h *trayHarness) startWith(setup func(*Tray)) {
	h.t.Helper()
	h.tray = New(h.cfg)
	if setup != nil {
		setup(h.tray)
	}
	h.tray.attach(h.rec)
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan error, 1)
	go func() { h.done <- h.tray.Run(ctx) }()
	h.t.Cleanup(h.stop)
	h.waitLook()
}

func (h *trayHarness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	select {
	case <-h.done:
	case <-time.After(5 * time.Second):
		h.t.Error("Run did not return after its context ended")
	}
	h.cancel = nil
}

// waitLook waits until the scheduler has looked again, then builds the
// model from what it left, as the tray's own refresh does.
func (h *trayHarness) waitLook() {
	h.t.Helper()
	select {
	case <-h.clock.armed:
	case <-time.After(5 * time.Second):
		h.t.Fatal("the scheduler did not look")
	}
	h.tray.refresh()
}

// poke tells the tray "changed" and waits for its look.
func (h *trayHarness) poke() {
	h.t.Helper()
	h.tray.Handle(MsgChanged)
	h.waitLook()
}

func (h *trayHarness) update(fn func(d *vault.Data)) {
	h.t.Helper()
	if err := h.store.Update(func(d *vault.Data) error { fn(d); return nil }); err != nil {
		h.t.Fatal(err)
	}
}

func TestTray_remindsOnceAndFollowsTheKeys(t *testing.T) {
	h := newTrayHarness(t, taxKey(reviewDueAt(t0.Add(-day))), botKey())
	h.start()
	rec := h.rec

	rec.waitFor(t, "the review reminder is shown", func() bool { return len(rec.reminders) == 1 })
	if m := rec.model(); !m.Attention || len(m.Keys) != 1 || m.Keys[0].RecordID != "k1" || m.CanCheck {
		t.Errorf("model = %+v; want attention and k1 listed, and no checks without a Runner", m)
	}

	t.Run("a restart shows nothing again", func(t *testing.T) {
		h.stop()
		h.start()
		h.poke()
		rec.locked(func() {
			if len(rec.reminders) != 1 {
				t.Errorf("reminders = %q: shown again after a restart", rec.reminders)
			}
		})
	})

	t.Run("a notification's actions open the key and snooze it", func(t *testing.T) {
		var savedBefore int
		rec.locked(func() { savedBefore = rec.saved })
		h.tray.OnAction("k1", ActionOpen)
		h.tray.OnAction("k2", ActionSnoozeWeek)
		rec.locked(func() {
			if rec.saved != savedBefore+1 {
				t.Errorf("the window was told %d times of the snooze, want once", rec.saved-savedBefore)
			}
		})
		rec.waitFor(t, "the window is asked for k1", func() bool { return slices.Equal(rec.windows, []string{"k1"}) })
		st, err := h.svc.Reminders().Load()
		if err != nil {
			t.Fatal(err)
		}
		if until, ok := st.SnoozedUntil("k2", t0); !ok || !until.Equal(t0.Add(remind.SnoozeWeek)) {
			t.Errorf("k2 snoozed until %v (%v), want %v", until, ok, t0.Add(remind.SnoozeWeek))
		}
	})

	t.Run("the window reviews the key: the tray follows when told", func(t *testing.T) {
		h.update(func(d *vault.Data) { d.Records[0].LastReviewed = t0 })
		h.poke()
		if m := rec.model(); m.Attention || len(m.Keys) != 0 || m.Tooltip != "Keywarden: all 2 keys look fine" {
			t.Errorf("model = %+v; want no attention", m)
		}
	})

	t.Run("the review interval set in the window's settings applies", func(t *testing.T) {
		// k1 was reviewed just now and k2 is a trading bot: only a new
		// read-only key added 10 days ago falls due with a 5-day interval.
		h.update(func(d *vault.Data) { d.Records = append(d.Records, taxKey(named("k3", "cointracker"))) })
		h.poke()
		if len(rec.model().Keys) != 0 {
			t.Fatalf("k3 is listed under the default 90-day interval: %+v", rec.model())
		}
		h.settings(func(s *keys.Settings) { s.ReadOnlyDays, s.Notifications = 5, false })
		h.poke() // the window tells the tray "changed"
		if m := rec.model(); len(m.Keys) != 1 || m.Keys[0].RecordID != "k3" {
			t.Errorf("model = %+v; want k3 listed", m)
		}
		rec.locked(func() {
			if len(rec.reminders) != 1 {
				t.Errorf("reminders = %q: shown with notifications turned off", rec.reminders)
			}
		})
	})
	rec.locked(func() {
		if len(rec.errs) > 0 {
			t.Errorf("reported: %v", rec.errs)
		}
	})
}

func TestTray_manyRemindersAtOnceAreSummedUp(t *testing.T) {
	var records []vault.Record
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		records = append(records, taxKey(reviewDueAt(t0.Add(-day)), named("k"+name, name+"-key")))
	}
	h := newTrayHarness(t, records...)
	h.start()
	h.rec.locked(func() {
		want := "5 reminders about your keys About “a-key”, “b-key”, “c-key” and 2 more. Open Keywarden to see what each needs."
		if len(h.rec.reminders) != 0 || len(h.rec.messages) != 1 || h.rec.messages[0] != want {
			t.Errorf("reminders %q, messages %q; want one message %q", h.rec.reminders, h.rec.messages, want)
		}
	})
	h.tray.OnAction("", ActionOpen)
	h.tray.OnAction("", ActionSnoozeDay) // nothing to snooze
	h.rec.waitFor(t, "the window opens", func() bool { return slices.Equal(h.rec.windows, []string{""}) })
}

func TestTray_keyListCannotBeRead(t *testing.T) {
	h := newTrayHarness(t)
	if err := os.WriteFile(h.store.Path(), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.start()
	if m := h.rec.model(); !m.Equal(ErrorModel()) {
		t.Errorf("model = %+v, want ErrorModel", m)
	}
}

func TestTray_CheckAll(t *testing.T) {
	h := newTrayHarness(t)
	d, err := demo.New(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	h.useService(d.Secrets, d.Runner)
	h.clock.now = time.Now() // the demo's keys were checked moments ago, by the real clock
	h.start()
	data, err := h.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	checkable := 0
	for _, r := range data.Records {
		if ok, _ := remind.CanAutoCheck(r); ok {
			checkable++
		}
	}

	h.tray.CheckAll()
	h.tray.CheckAll() // a second click while the first runs does nothing
	rec := h.rec
	results := func() (out []string) {
		for _, m := range rec.messages {
			if strings.HasPrefix(m, "Checked ") {
				out = append(out, m)
			}
		}
		return out
	}
	rec.waitFor(t, "the result is shown", func() bool { return len(results()) > 0 })
	rec.waitFor(t, "the menu no longer says checking", func() bool {
		m := rec.lastModel()
		return !m.Checking && m.CanCheck
	})
	time.Sleep(50 * time.Millisecond)
	rec.locked(func() {
		got := results()
		if len(got) != 1 || !strings.HasPrefix(got[0], "Checked "+plural(checkable, "key", "keys")+" ") {
			t.Errorf("results = %q; want one, for %d keys", got, checkable)
		}
		t.Logf("the result: %s", got)
	})
	data, err = h.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range data.Records {
		if r.LastCheck != nil && r.LastCheck.At.Equal(h.clock.now) {
			checked++
		}
	}
	rec.locked(func() {
		if checked != checkable || rec.saved == 0 {
			t.Errorf("%d keys hold the new check (want %d); the window was told %d times", checked, checkable, rec.saved)
		}
	})
}

// Issue 25: with Kraken out of reach the tray said "Checked 4 keys" and
// "4 keys could not be checked", without a reason, and logged nothing.
func TestTray_CheckAll_exchangeUnreachable(t *testing.T) {
	h := newTrayHarness(t)
	d, err := demo.New(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	h.useService(d.Secrets, d.Runner)
	d.Close() // Kraken cannot be reached
	h.clock.now = time.Now()
	h.start()

	h.tray.CheckAll()
	rec := h.rec
	var msg string
	rec.waitFor(t, "the result is shown", func() bool {
		for _, m := range rec.messages {
			if strings.HasPrefix(m, "Checked ") || strings.HasPrefix(m, "Could not check") {
				msg = m
			}
		}
		return msg != ""
	})
	rec.locked(func() {
		if !strings.HasPrefix(msg, "Could not check the ") || !strings.Contains(msg, "No key could be checked: Kraken could not be reached.") {
			t.Errorf("notification = %q; want what happened and why", msg)
		}
		logged := 0
		for _, err := range rec.errs {
			if strings.HasPrefix(err.Error(), "check all keys: ") && strings.Contains(err.Error(), "could not be checked: Kraken could not be reached") {
				logged++
			}
		}
		if logged == 0 {
			t.Errorf("log = %v; want the keys that could not be checked, and why", rec.errs)
		}
	})
}

func TestMain_secondCopyHandsOver(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	t.Setenv("KEYWARDEN_DIR", t.TempDir()) // should it not hand over, it must not run on a real key list
	first, err := instance.Listen(InstanceTray)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- Main(nil, &stderr) }()
	select {
	case msg := <-first.Messages():
		if msg != MsgChanged {
			t.Errorf("the first copy got %q, want %q", msg, MsgChanged)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first copy heard nothing")
	}
	select {
	case code := <-done:
		if code != 0 || stderr.Len() > 0 {
			t.Errorf("the second copy exited %d, saying %q; want 0 and nothing", code, stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second copy did not exit")
	}
}

func TestMain_arguments(t *testing.T) {
	var stderr bytes.Buffer
	if code := Main([]string{"now"}, &stderr); code != 2 || !strings.Contains(stderr.String(), "takes no arguments") {
		t.Errorf("Main(now) = %d, %q; want 2 and a usage message", code, stderr.String())
	}
}

func TestEnsureRunning(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	dir := t.TempDir()
	exe := fakeProgram(t, dir)

	t.Run("a tray part runs: it is asked, not started again", func(t *testing.T) {
		in, err := instance.Listen(InstanceTray)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		started, err := EnsureRunning(exe)
		if started || err != nil {
			t.Errorf("EnsureRunning = %v, %v; want false, nil", started, err)
		}
		if msg := <-in.Messages(); msg != MsgPing {
			t.Errorf("the tray part got %q, want %q", msg, MsgPing)
		}
	})
	t.Run("none runs: it is started", func(t *testing.T) {
		started, err := EnsureRunning(exe)
		if !started || err != nil {
			t.Fatalf("EnsureRunning = %v, %v; want true, nil", started, err)
		}
		if got := waitFile(t, filepath.Join(dir, "args")); got != "tray" {
			t.Errorf("started with %q, want \"tray\"", got)
		}
	})
	t.Run("KEYWARDEN_NO_TRAY=1: nothing is started", func(t *testing.T) {
		t.Setenv(EnvNoTray, "1")
		os.Remove(filepath.Join(dir, "args"))
		if started, err := EnsureRunning(exe); started || err != nil {
			t.Errorf("EnsureRunning = %v, %v; want false, nil", started, err)
		}
	})
}

func TestShowWindow(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	dir := t.TempDir()
	exe := fakeProgram(t, dir)

	t.Run("a window runs: it gets the request", func(t *testing.T) {
		in, err := instance.Listen(InstanceWindow)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		for id, want := range map[string]string{"": "show", "k1": "open k1"} {
			if err := ShowWindow(exe, id); err != nil {
				t.Fatal(err)
			}
			if msg := <-in.Messages(); msg != want {
				t.Errorf("ShowWindow(%q): the window got %q, want %q", id, msg, want)
			}
		}
	})
	t.Run("none runs: the window is started on the key", func(t *testing.T) {
		if err := ShowWindow(exe, "k1"); err != nil {
			t.Fatal(err)
		}
		if got := waitFile(t, filepath.Join(dir, "args")); got != "open k1" {
			t.Errorf("started with %q, want \"open k1\"", got)
		}
	})
}

// fakeProgram writes a program that records its arguments in dir/args.
func fakeProgram(t *testing.T, dir string) string {
	t.Helper()
	if runtime.GOOS == "windows" { // no shell scripts: this test program plays it (TestMain)
		t.Setenv(envFakeArgs, filepath.Join(dir, "args"))
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		return exe
	}
	exe := filepath.Join(dir, "keywarden")
	script := "#!/bin/sh\necho \"$@\" > " + filepath.Join(dir, "args.tmp") + " && mv " + filepath.Join(dir, "args.tmp") + " " + filepath.Join(dir, "args") + "\n"
	if err := os.WriteFile(exe, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return exe
}

func waitFile(t *testing.T, path string) string {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(path); err == nil {
			return strings.TrimSpace(string(b))
		}
	}
	t.Fatalf("%s was not written in 5 s", path)
	return ""
}
