package tray

import (
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/app/remind"
)

// How the reminders the scheduler finds become notifications.

// onReminder keeps a reminder the scheduler found due, to be shown when
// it has finished looking (looked).
func (t *Tray) onReminder(rem remind.Reminder) {
	t.mu.Lock()
	t.pending = append(t.pending, rem)
	t.mu.Unlock()
}

// looked runs each time the scheduler has finished a look: it shows the
// reminders that look found, and has the model built again.
func (t *Tray) looked() {
	t.mu.Lock()
	rems := t.pending
	t.pending = nil
	t.mu.Unlock()
	t.notify(rems)
	t.lookAgain()
}

// notify shows reminders found at once, unless the person turned
// notifications off: each on its own when there are a few, else one
// notification that sums them up (the first start after an update, or
// after weeks away, would otherwise pile up a dozen).
func (t *Tray) notify(rems []remind.Reminder) {
	if len(rems) == 0 || t.cfg.Notify == nil || !t.settings().Notifications {
		return
	}
	if len(rems) <= MaxSeparate {
		for _, rem := range rems {
			t.noteNotify(t.cfg.Notify.Reminder(rem))
		}
		return
	}
	var names []string
	seen := make(map[string]bool)
	for _, rem := range rems {
		if !seen[rem.RecordID] {
			seen[rem.RecordID] = true
			names = append(names, "“"+keyName(rem.Name)+"”")
		}
	}
	title := fmt.Sprintf("%d reminders about your keys", len(rems))
	if len(names) == 1 {
		title = fmt.Sprintf("%d reminders about %s", len(rems), names[0])
	}
	shown := names
	if len(names) > 4 {
		shown = append(names[:3:3], fmt.Sprintf("%d more", len(names)-3))
	}
	list := strings.Join(shown[:len(shown)-1], ", ") + " and " + shown[len(shown)-1]
	if len(shown) == 1 {
		list = shown[0]
	}
	t.noteNotify(t.cfg.Notify.Message(title, "About "+list+". Open Keywarden to see what each needs."))
}

func (t *Tray) message(title, body string) {
	if t.cfg.Notify != nil {
		t.noteNotify(t.cfg.Notify.Message(title, body))
	}
}

// noteNotify reports the first notification that fails, and the first
// after one went out again, so a desktop without a notification server
// logs one line, not one per reminder.
func (t *Tray) noteNotify(err error) {
	if err == nil {
		t.notified.Store(false)
		return
	}
	if t.notified.CompareAndSwap(false, true) {
		t.report(fmt.Errorf("%w; reminders show in the tray menu only", err))
	}
}
