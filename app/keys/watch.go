package keys

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/keywarden/keywarden/app/guard"
)

// Change says which of the files every face shows changed on disk: the key
// list (keys.json), the settings (settings.json), the reminders' state
// (reminders.json), app 2FA's state (guard.json) and the account watch's
// (activity.json: its open questions).
type Change struct {
	Keys, Settings, Reminders, Guard, Activity bool
}

// Any reports whether anything changed.
func (c Change) Any() bool { return c.Keys || c.Settings || c.Reminders || c.Guard || c.Activity }

// Merge returns c with o's changes added.
func (c Change) Merge(o Change) Change {
	return Change{Keys: c.Keys || o.Keys, Settings: c.Settings || o.Settings,
		Reminders: c.Reminders || o.Reminders, Guard: c.Guard || o.Guard, Activity: c.Activity || o.Activity}
}

// WatchSettle is how long the watcher waits after a change for more before
// it reports them as one: a save is a few file operations (a temporary
// file, a rename, a backup link), and a command that changes several keys
// saves several times.
const WatchSettle = 200 * time.Millisecond

// watchMaxDelay is the longest a change waits for a burst to end.
const watchMaxDelay = time.Second

// Watch reports the changes any process (this one too) makes to the key
// list, the settings, the reminders and app 2FA's state, until ctx ends:
// fn is called on the watcher's own goroutine, once for the changes that
// came within WatchSettle of each other, at most one call at a time. A
// face reloads what changed; a reload is cheap and idempotent, so the
// process's own saves coming back once is harmless.
//
// It watches the folders, not the files: saves replace a file by renaming
// a new one over it, which a watch on the file itself would lose. Nothing
// wakes the process while nothing changes (the system's file notification
// is read by a goroutine blocked on it, and the only timer is armed by a
// change), so the idle tray part costs nothing more.
//
// It returns an error, and watches nothing, when the system cannot watch
// the folders (too many watches, a file system without notifications);
// the faces then carry on as before, looking again on their own actions.
func (s *Service) Watch(ctx context.Context, fn func(Change)) error {
	names := map[string]Change{
		filepath.Clean(s.store.Path()):                                {Keys: true},
		filepath.Clean(s.settings.Path()):                             {Settings: true},
		filepath.Clean(s.reminders.Path()):                            {Reminders: true},
		filepath.Clean(filepath.Join(s.store.Dir(), guard.StateName)): {Guard: true},
		filepath.Clean(s.activity().Path()):                           {Activity: true},
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("keys: watch for changes: %w", err)
	}
	dirs := map[string]bool{}
	for name := range names {
		dir := filepath.Dir(name)
		if dirs[dir] {
			continue
		}
		dirs[dir] = true
		if err := w.Add(dir); err != nil {
			_ = w.Close()
			return fmt.Errorf("keys: watch %s for changes: %w", dir, err)
		}
	}
	wt := &watch{names: names, fn: fn, fire: make(chan struct{}, 1)}
	go wt.run(ctx, w)
	return nil
}

// watch gathers the file events of one Watch into Changes.
type watch struct {
	names map[string]Change // the files watched, by cleaned path
	fn    func(Change)
	fire  chan struct{} // the settle timer fired

	mu      sync.Mutex
	pending Change
	timer   *time.Timer // armed by the first change after a report
	first   time.Time   // when that change came
}

// run reads the events until ctx ends, and reports the gathered change
// after each quiet WatchSettle.
func (wt *watch) run(ctx context.Context, w *fsnotify.Watcher) {
	defer func() { _ = w.Close() }()
	defer wt.stopTimer()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			wt.note(ev)
		case _, ok := <-w.Errors:
			if !ok {
				return
			}
			// The system dropped events (its queue overflowed): anything
			// may have changed.
			wt.add(Change{Keys: true, Settings: true, Reminders: true, Guard: true})
		case <-wt.fire:
			wt.mu.Lock()
			c := wt.pending
			wt.pending, wt.timer = Change{}, nil
			wt.mu.Unlock()
			if c.Any() && ctx.Err() == nil {
				wt.fn(c)
			}
		}
	}
}

// note adds one file event: a watched file written, created (a new one
// renamed over it), removed or renamed away. A change of mode is not a
// change of content.
func (wt *watch) note(ev fsnotify.Event) {
	if !ev.Op.Has(fsnotify.Write) && !ev.Op.Has(fsnotify.Create) && !ev.Op.Has(fsnotify.Remove) && !ev.Op.Has(fsnotify.Rename) {
		return
	}
	if c, ok := wt.names[filepath.Clean(ev.Name)]; ok {
		wt.add(c)
	}
}

// add gathers c and (re)arms the settle timer, so a burst of saves is
// reported once, WatchSettle after its last event; a burst that goes on is
// reported every watchMaxDelay, so the faces follow within about 2 s.
func (wt *watch) add(c Change) {
	wt.mu.Lock()
	defer wt.mu.Unlock()
	wt.pending = wt.pending.Merge(c)
	if wt.timer != nil {
		if time.Since(wt.first) < watchMaxDelay {
			wt.timer.Reset(WatchSettle)
		}
		return
	}
	wt.first = time.Now()
	wt.timer = time.AfterFunc(WatchSettle, func() {
		select {
		case wt.fire <- struct{}{}:
		default:
		}
	})
}

func (wt *watch) stopTimer() {
	wt.mu.Lock()
	defer wt.mu.Unlock()
	if wt.timer != nil {
		wt.timer.Stop()
	}
}
