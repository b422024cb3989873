package tray

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/instance"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
)

// Messages the tray part takes through app/instance (name "tray").
const (
	// MsgChanged says the key list, the reminders or the settings changed:
	// look again now.
	MsgChanged = instance.TrayChanged
	// MsgPing asks nothing; a delivered ping shows the tray part runs.
	MsgPing = "ping"
	// MsgQuit ends the tray part.
	MsgQuit = "quit"
)

// MaxSeparate is the most reminders shown one notification each; more
// found at once are summed up in one.
const MaxSeparate = 3

// Notifications is what the tray needs to show notifications; *Notifier
// has it.
type Notifications interface {
	Reminder(rem remind.Reminder) error
	Message(title, body string) error
}

// Config is what a Tray works with. Store and State are required.
type Config struct {
	Store *vault.Store
	State *remind.StateFile
	// Runner checks keys, for the background checks and "Check all keys
	// now"; nil turns both off.
	Runner *check.Runner
	// SettingsFile is the window's preferences file (SettingsPath), read
	// each time the tray looks at the keys; "" means DefaultSettings.
	SettingsFile string
	// Notify shows notifications; nil drops them (they are still marked as
	// shown, as with notifications turned off).
	Notify Notifications
	// Window shows the window: on the key with the given record ID, or as
	// it is for "". nil does nothing.
	Window func(recordID string) error
	// Saved is called after the tray saved the key list (check results) or
	// a snooze, so a running window can read them again. nil does nothing.
	Saved func()
	// Quit ends the tray part (the "Quit" menu item, MsgQuit). nil does
	// nothing.
	Quit func()
	// Report receives what went wrong, for the log. nil drops it.
	Report func(error)
	// Clock is the time; nil means the system clock.
	Clock remind.Clock
}

// face is what shows a Model: the system tray, or a test's recorder.
type face interface {
	show(m Model)
}

// Tray is the resident part: the scheduler, the model of the tray menu,
// and the actions of the menu and the notifications. Its methods are safe
// for concurrent use.
type Tray struct {
	cfg   Config
	clock remind.Clock
	sched *remind.Scheduler
	look  chan struct{} // asks the refresh loop to build the model again

	checking atomic.Bool
	notified atomic.Bool // a failed notification was reported already

	mu      sync.Mutex
	pending []remind.Reminder // found by the scheduler's current look
	face    face
	model   Model
	built   bool
	stamp   stamp // of the files the model was built from
	running bool
}

// New returns a Tray for cfg; Run starts it.
func New(cfg Config) *Tray {
	t := &Tray{cfg: cfg, clock: cfg.Clock, look: make(chan struct{}, 1)}
	if t.clock == nil {
		t.clock = remind.SystemClock{}
	}
	sc := remind.Config{
		Vault:  vaultView{t},
		State:  cfg.State,
		Clock:  armedClock{Clock: t.clock, armed: t.looked},
		Notify: t.onReminder,
		Report: t.report,
	}
	if cfg.Runner != nil {
		sc.CheckKeys = func(ctx context.Context, recs []vault.Record, now time.Time) []check.Result {
			defer freeMemory()
			return cfg.Runner.CheckAll(ctx, recs, nil, now)
		}
	}
	t.sched = remind.NewScheduler(sc)
	return t
}

// attach makes f show the model from now on, and builds and shows it once,
// so the tray is right from the first moment. Call it before Run.
func (t *Tray) attach(f face) {
	t.mu.Lock()
	t.face = f
	t.mu.Unlock()
	t.refresh()
}

// Run runs the scheduler and keeps the face (see attach) showing the
// current model, until ctx ends.
func (t *Tray) Run(ctx context.Context) error {
	t.mu.Lock()
	if t.running {
		t.mu.Unlock()
		return errors.New("tray: Run called twice")
	}
	t.running = true
	t.mu.Unlock()

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		freed := false
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.look:
				t.refresh()
			}
			if !freed {
				// Hand back what starting up left (package set-up, the
				// first look at the files): the collector is off.
				freeMemory()
				freed = true
			}
		}
	}()
	err := t.sched.Run(ctx)
	wg.Wait()
	return err
}

// Model returns what the tray shows now.
func (t *Tray) Model() Model {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.model
}

// Poke makes the tray look at the key list, the reminders and the settings
// again now.
func (t *Tray) Poke() { t.sched.Poke() }

// Handle acts on a message from another copy of the program.
func (t *Tray) Handle(msg string) {
	switch msg {
	case MsgChanged:
		t.Poke()
	case MsgQuit:
		t.quit()
	}
}

// PokeIfChanged pokes the tray when the key list, the reminders or the
// settings changed on disk since the model was built: a cheap look at the
// files' times and sizes, for when the menu is opened.
func (t *Tray) PokeIfChanged() {
	t.mu.Lock()
	old := t.stamp
	t.mu.Unlock()
	if t.takeStamp() != old {
		t.Poke()
	}
}

func (t *Tray) saved() {
	if t.cfg.Saved != nil {
		t.cfg.Saved()
	}
}

func (t *Tray) report(err error) {
	if t.cfg.Report != nil && err != nil {
		t.cfg.Report(err)
	}
}

func (t *Tray) settings() Settings {
	if t.cfg.SettingsFile == "" {
		return DefaultSettings()
	}
	return ReadSettings(t.cfg.SettingsFile)
}

// records loads the key list with the person's review defaults applied.
func (t *Tray) records() ([]vault.Record, error) {
	data, err := t.cfg.Store.Load()
	if err != nil {
		return nil, err
	}
	s := t.settings()
	recs := make([]vault.Record, len(data.Records))
	for i, r := range data.Records {
		recs[i] = s.Effective(r)
	}
	return recs, nil
}

// lookAgain asks the refresh loop to build the model again; it never
// blocks, and requests made while it is busy fold into one.
func (t *Tray) lookAgain() {
	select {
	case t.look <- struct{}{}:
	default:
	}
}

// refresh builds the model from the files and shows it if it changed.
func (t *Tray) refresh() {
	st := t.takeStamp()
	var m Model
	recs, err := t.records()
	if err != nil {
		m = ErrorModel()
	} else {
		state, _ := t.cfg.State.Load() // a damaged file is the scheduler's to report
		m = BuildModel(recs, state, t.clock.Now())
		m.CanCheck = t.cfg.Runner != nil
	}
	m.Checking = t.checking.Load()
	if m.Checking {
		m.CanCheck = false
	}

	t.mu.Lock()
	t.stamp = st
	if t.built && t.model.Equal(m) {
		t.mu.Unlock()
		return
	}
	t.model, t.built = m, true
	f := t.face
	t.mu.Unlock()
	if f != nil {
		f.show(m)
	}
}

// stamp identifies the versions of the files the model depends on.
type stamp struct{ keys, state, settings fileStamp }

type fileStamp struct {
	mod  time.Time
	size int64
}

func (t *Tray) takeStamp() stamp {
	s := stamp{keys: statFile(t.cfg.Store.Path()), state: statFile(t.cfg.State.Path())}
	if t.cfg.SettingsFile != "" {
		s.settings = statFile(t.cfg.SettingsFile)
	}
	return s
}

func statFile(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{mod: fi.ModTime(), size: fi.Size()}
}

// vaultView is the key list as the scheduler sees it: with the person's
// review defaults applied when read, and the window told when the
// scheduler saved check results.
type vaultView struct{ t *Tray }

func (v vaultView) Load() (*vault.Data, error) {
	data, err := v.t.cfg.Store.Load()
	if err != nil {
		return nil, err
	}
	s := v.t.settings()
	for i := range data.Records {
		data.Records[i] = s.Effective(data.Records[i])
	}
	return data, nil
}

func (v vaultView) Update(fn func(*vault.Data) error) error {
	err := v.t.cfg.Store.Update(fn)
	if err == nil {
		v.t.saved()
	}
	return err
}

// armedClock tells the tray each time the scheduler sets its timer, which
// it does after every look at the keys: the moment to rebuild the model.
type armedClock struct {
	remind.Clock
	armed func()
}

func (c armedClock) NewTimer(d time.Duration) remind.Timer {
	c.armed()
	return c.Clock.NewTimer(d)
}

// freeMemory hands memory back to the system after a burst of work (a
// check of many keys): with the collector off (see Main) it would
// otherwise stay until the memory limit is near.
func freeMemory() { debug.FreeOSMemory() }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
