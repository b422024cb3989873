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
	"github.com/keywarden/keywarden/app/keys"
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
	// Question shows an account watch's question about a ledger entry,
	// with its answers It was me and Not me.
	Question(refID, title, body string) error
	// CloseKey closes the notifications about the key, or the question's
	// subject (QuestionSubject), that are still on screen.
	CloseKey(recordID string)
}

// Config is what a Tray works with. Keys is required.
type Config struct {
	// Keys is the key service: the key list, the reminders' state and the
	// settings (settings.json) the tray reads, and every change it makes
	// (check results, snoozes). The service's Changed hook is what tells a
	// running window that the tray saved something. Checks (background and
	// "Check all keys now") run when it can check (Service.CanCheck).
	Keys *keys.Service
	// Notify shows notifications; nil drops them (they are still marked as
	// shown, as with notifications turned off).
	Notify Notifications
	// Window shows the window: on the key with the given record ID, or as
	// it is for "". nil does nothing.
	Window func(recordID string) error
	// Activity shows the window on the account watch's Activity screen
	// (""), or answers "Not me" there for the ledger entry with the given
	// refid (ShowActivity). nil does nothing.
	Activity func(notMeRefID string) error
	// Quit ends the tray part (the "Quit" menu item, MsgQuit). nil does
	// nothing.
	Quit func()
	// Report receives what went wrong, and what was mended at start after
	// a crash (Service.Repair), for the log. nil drops it.
	Report func(error)
	// Clock is the scheduler's time; nil means the system clock. The key
	// service keeps its own (keys.Params.Now).
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
	sched *remind.Scheduler
	look  chan struct{} // asks the refresh loop to build the model again

	checking  atomic.Bool
	notified  atomic.Bool // a failed notification was reported already
	linkToken string      // what a snooze link must carry (followLink)

	mu      sync.Mutex
	ctx     context.Context // Run's, for the checks started from the menu
	face    face
	model   Model
	built   bool
	stamp   stamp // of the files the model was built from
	running bool
}

// New returns a Tray for cfg; Run starts it.
func New(cfg Config) *Tray {
	t := &Tray{cfg: cfg, look: make(chan struct{}, 1), linkToken: newLinkToken(os.Getenv)}
	sc := remind.Config{
		Vault:   vaultView{cfg.Keys},
		State:   cfg.Keys.Reminders(),
		Clock:   cfg.Clock,
		Deliver: t.deliver,
		Off:     t.notificationsOff,
		Report:  t.report,
	}
	if cfg.Keys.CanCheck() {
		sc.CheckKeys = func(ctx context.Context, recs []vault.Record, now time.Time) []check.Result {
			defer freeMemory()
			return cfg.Keys.CheckInBackground(ctx, recs, now)
		}
		sc.Watch = t.pollWatch
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
	t.ctx = ctx
	t.mu.Unlock()
	t.repair()
	// Another process's change (`keywarden add`, the window, a second
	// user's terminal) reaches the menu and the reminders within a moment,
	// without a timer: the watch wakes the process only when a file changes.
	if err := t.cfg.Keys.Watch(ctx, func(keys.Change) { t.Poke() }); err != nil {
		t.report(fmt.Errorf("%w; the menu follows other processes only when one of them tells it, or when it is opened", err))
	}

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
	default:
		if l, ok := parseLinkMessage(msg); ok {
			t.followLink(l)
		}
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

func (t *Tray) report(err error) {
	if t.cfg.Report != nil && err != nil {
		t.cfg.Report(err)
	}
}

// repair finishes or undoes what a killed process left half done in the
// key list and the keyring, and logs what it mended.
func (t *Tray) repair() {
	rep, err := t.cfg.Keys.Repair()
	if err != nil {
		t.report(fmt.Errorf("mend unfinished changes to the keys: %w", err))
	}
	if rep.Completed+rep.Undone+rep.Removed+rep.Revoked > 0 {
		t.report(fmt.Errorf("mended what a stopped Keywarden left unfinished: %d added keys completed, %d undone, %d removals and %d revocations finished",
			rep.Completed, rep.Undone, rep.Removed, rep.Revoked))
	}
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
	if snap, err := t.cfg.Keys.Snapshot(); err != nil {
		m = ErrorModel()
	} else {
		m = BuildModel(snap) // a damaged reminders or settings file is the scheduler's to report
		m.CanCheck = t.cfg.Keys.CanCheck()
		m = m.WithActivity(t.cfg.Keys.Activity())
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

// stamp identifies the versions of the files the model depends on: the
// key list, the reminders' state and the settings.
type stamp struct{ keys, state, settings, activity fileStamp }

type fileStamp struct {
	mod  time.Time
	size int64
}

func (t *Tray) takeStamp() stamp {
	k := t.cfg.Keys
	return stamp{keys: statFile(k.KeyListPath()), state: statFile(k.Reminders().Path()), settings: statFile(k.SettingsFile().Path()),
		activity: statFile(keys.OpenActivity(k.Dir()).Path())}
}

func statFile(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{mod: fi.ModTime(), size: fi.Size()}
}

// vaultView is the key list as the scheduler reads it: as every face sees
// it (keys.Snapshot), with the person's review defaults applied and
// without records in the middle of being added or removed.
type vaultView struct{ svc *keys.Service }

func (v vaultView) Load() (*vault.Data, error) {
	snap, err := v.svc.Snapshot()
	if err != nil {
		return nil, err
	}
	return &vault.Data{Records: snap.EffectiveRecords()}, nil
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
