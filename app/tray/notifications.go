package tray

import (
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/app/internal/safetext"
	"github.com/keywarden/keywarden/app/remind"
)

// How the reminders the scheduler finds become notifications.

// deliver shows the reminders the scheduler found due at one look
// (remind.Config.Deliver) and returns the IDs of those shown: the
// scheduler marks only those, and offers the others (a notification that
// failed) again later. Those that fell due while notifications were off
// come first (WhileOff), summed up in one notification. The others are
// shown each on its own when there are a few, else in one notification
// that sums them up (the first start after an update, or after weeks
// away, would otherwise pile up a dozen). It also has the model built
// again: the scheduler calls it after every look.
func (t *Tray) deliver(rems []remind.Reminder) (shown []string) {
	defer t.lookAgain()
	if len(rems) == 0 {
		return nil
	}
	if t.cfg.Notify == nil {
		return reminderIDs(rems)
	}
	var missed, due []remind.Reminder
	for _, rem := range rems {
		if rem.WhileOff {
			missed = append(missed, rem)
		} else {
			due = append(due, rem)
		}
	}
	if len(missed) > 0 {
		title := "While notifications were off: " + plural(len(missed), "reminder", "reminders")
		if t.summary(title, missed) {
			shown = reminderIDs(missed)
		}
	}
	if len(due) <= MaxSeparate {
		for _, rem := range due {
			if t.noteNotify(t.cfg.Notify.Reminder(safeReminder(rem))) {
				shown = append(shown, rem.ID)
			}
		}
		return shown
	}
	if t.summary(plural(len(due), "reminder", "reminders")+" about your keys", due) {
		shown = append(shown, reminderIDs(due)...)
	}
	return shown
}

// summary shows one notification under title about the keys the
// reminders are about, and reports whether it went out.
func (t *Tray) summary(title string, rems []remind.Reminder) bool {
	var names []string
	seen := make(map[string]bool)
	for _, rem := range rems {
		if !seen[rem.RecordID] {
			seen[rem.RecordID] = true
			names = append(names, "“"+keyName(rem.Name)+"”")
		}
	}
	if len(names) == 1 && !rems[0].WhileOff {
		title = plural(len(rems), "reminder", "reminders") + " about " + names[0]
	}
	listed := names
	if len(names) > 4 {
		listed = append(names[:3:3], fmt.Sprintf("%d more", len(names)-3))
	}
	list := strings.Join(listed[:len(listed)-1], ", ") + " and " + listed[len(listed)-1]
	if len(listed) == 1 {
		list = listed[0]
	}
	return t.noteNotify(t.cfg.Notify.Message(safetext.Line(title), safetext.Line("About "+list+". Open Keywarden to see what each needs.")))
}

// notificationsOff reports whether the person turned notifications off
// (remind.Config.Off). A settings file that cannot be read gives the
// defaults: on.
func (t *Tray) notificationsOff() bool {
	set, _ := t.cfg.Keys.Settings()
	return !set.Notifications
}

func reminderIDs(rems []remind.Reminder) []string {
	ids := make([]string, len(rems))
	for i, rem := range rems {
		ids[i] = rem.ID
	}
	return ids
}

func (t *Tray) message(title, body string) {
	if t.cfg.Notify != nil {
		t.noteNotify(t.cfg.Notify.Message(safetext.Line(title), safetext.Line(body)))
	}
}

// safeReminder returns rem with its texts as one line of printable text
// each: they quote the key's name and findings, and whatever shows them
// (a notification server, Windows, a log) must not act on a control
// character or a bidi override in them. The IDs stay as they are: they
// are matched, never shown.
func safeReminder(rem remind.Reminder) remind.Reminder {
	rem.Name, rem.Title, rem.Body = safetext.Line(rem.Name), safetext.Line(rem.Title), safetext.Line(rem.Body)
	return rem
}

// noteNotify reports whether a notification went out. It reports the
// first that fails, and the first after one went out again, so a desktop
// without a notification server logs one line, not one per reminder.
func (t *Tray) noteNotify(err error) bool {
	if err == nil {
		t.notified.Store(false)
		return true
	}
	if t.notified.CompareAndSwap(false, true) {
		t.report(fmt.Errorf("%w; reminders show in the tray menu, and are tried again later", err))
	}
	return false
}

// notifierConfig is how the tray's Notifier works: with the app icon
// written beside the key list, the actions picked passed to OnAction, and
// a notification server that comes (back) on the bus making the scheduler
// look again at once, so reminders that failed meanwhile come within a
// moment instead of at the next retry (remind.RetryDeliver).
func (t *Tray) notifierConfig() NotifierConfig {
	icon, err := IconFile(t.cfg.Keys.Dir())
	if err != nil {
		t.report(fmt.Errorf("%w; notifications name their icon instead, which only an installed Keywarden has", err))
		icon = AppID
	}
	return NotifierConfig{Icon: icon, OnAction: t.OnAction, OnServer: t.Poke}
}
