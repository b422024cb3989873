package tray

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/keywarden/keywarden/app/internal/safetext"
	"github.com/keywarden/keywarden/app/keys"
)

// The account watch, as the tray part runs it: the scheduler calls
// pollWatch on its one timer, every Settings.WatchMinutes while an account
// is watched, and at once after "Check all keys now".

// pollWatch reads the watched accounts' new ledger entries
// (keys.Service.PollActivity) and shows each new entry that needs an
// answer as a notification, once. It returns how long until the next poll,
// or 0 when no account is watched (then it costs no wake-up of its own).
func (t *Tray) pollWatch(ctx context.Context, now time.Time) time.Duration {
	st, err := t.cfg.Keys.Activity()
	if err != nil {
		t.report(fmt.Errorf("account watch: %w", err))
		return 0
	}
	if len(st.Watches) == 0 {
		return 0
	}
	ctx, cancel := context.WithTimeout(ctx, keys.CheckTimeout)
	defer cancel()
	polls, err := t.cfg.Keys.PollActivity(ctx)
	if err != nil {
		t.report(fmt.Errorf("account watch: %w", err))
	}
	for _, p := range polls {
		if p.Err != nil && !errors.Is(p.Err, context.Canceled) {
			t.report(fmt.Errorf("account watch of %q stopped, and tries again at the next poll: %w", safetext.Line(p.Account), p.Err))
		}
	}
	t.askAboutActivity(now)
	t.tellStopped()
	// The menu counts the open questions.
	t.lookAgain()
	set, _ := t.cfg.Keys.Settings() // a damaged file gives the defaults
	return time.Duration(set.WatchMinutes) * time.Minute
}

// askAboutActivity notifies the open questions not shown yet, each once,
// and marks those it showed. With notifications turned off they stay
// open, unmarked: `keywarden activity` and the window still list them.
func (t *Tray) askAboutActivity(now time.Time) {
	if t.cfg.Notify == nil {
		return
	}
	if set, _ := t.cfg.Keys.Settings(); !set.Notifications {
		return
	}
	st, err := t.cfg.Keys.Activity()
	if err != nil {
		return
	}
	var shown []string
	for _, q := range st.Questions {
		if q.Notified {
			continue
		}
		title, body := QuestionWords(q, now, time.Local)
		if t.noteNotify(t.cfg.Notify.Question(q.RefID, title, body)) {
			shown = append(shown, q.LedgerID)
		}
	}
	if len(shown) > 0 {
		if err := t.cfg.Keys.MarkNotified(shown); err != nil {
			t.report(fmt.Errorf("account watch: %w", err))
		}
	}
}

// tellStopped says once, in a notification, that an account's watch
// stopped (its key removed, revoked, drifted beyond reading, or refused by
// the exchange), with what to do; the menu and Activity keep saying it
// until it reads again. With notifications off it stays untold.
func (t *Tray) tellStopped() {
	if t.cfg.Notify == nil || t.notificationsOff() {
		return
	}
	st, err := t.cfg.Keys.Activity()
	if err != nil {
		return
	}
	var told []string
	for _, w := range st.Watches {
		if w.Stopped == "" || w.StoppedTold {
			continue
		}
		if t.noteNotify(t.cfg.Notify.Message("The account watch stopped", safetext.Line(w.Stopped))) {
			told = append(told, w.Account)
		}
	}
	if len(told) > 0 {
		if err := t.cfg.Keys.MarkStopTold(told); err != nil {
			t.report(fmt.Errorf("account watch: %w", err))
		}
	}
}

// QuestionWords is the notification of an entry that needs an answer:
// "0.5 BTC withdrawn at 14:02 — was this you?", why it asks, and how to
// answer. Every text from the exchange is escaped.
func QuestionWords(q keys.Question, now time.Time, loc *time.Location) (title, body string) {
	words := keys.EntryWords(q.Entry(), now, loc)
	title = words + " — was this you?"
	ref := safetext.Line(q.RefID)
	body = fmt.Sprintf("Keywarden asks because %s. If it was you: keywarden activity ok %s. If not: keywarden activity not-me %s, which says what to do first.",
		safetext.Line(q.Verdict.Why), ref, ref)
	return safetext.Line(title), safetext.Line(body)
}
