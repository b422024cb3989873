package tray

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
)

// What the menu items and the notifications' actions do.

// OpenKey shows the key in the window.
func (t *Tray) OpenKey(recordID string) { t.window(recordID) }

// OpenWindow shows the window.
func (t *Tray) OpenWindow() { t.window("") }

// Snooze holds back the key's reminders for d (keys.Service.Snooze, which
// tells a running window, whose key detail shows the snooze).
func (t *Tray) Snooze(recordID string, d time.Duration) {
	if err := t.cfg.Keys.Snooze(recordID, d); err != nil {
		t.report(fmt.Errorf("snooze: %w", err))
		return
	}
	t.Poke()
}

// OnAction acts on an action picked on a reminder's notification. Open
// and the snoozes close the key's other notifications: the person has
// seen to the key, and what the others say is in its review.
func (t *Tray) OnAction(recordID, action string) {
	if ref, ok := questionRef(recordID); ok {
		t.onQuestion(ref, action)
		return
	}
	switch action {
	case ActionOpen:
		t.OpenKey(recordID)
	case ActionSnoozeDay, ActionSnoozeWeek:
		if recordID == "" {
			return // a summary: no one key to snooze
		}
		d := remind.SnoozeDay
		if action == ActionSnoozeWeek {
			d = remind.SnoozeWeek
		}
		t.Snooze(recordID, d)
	default:
		return
	}
	if recordID != "" && t.cfg.Notify != nil {
		t.cfg.Notify.CloseKey(recordID)
	}
}

// onQuestion acts on an answer picked on a question's notification.
// "It was me" is recorded here, through the service, and never asked
// again; "Not me" opens the window, which records it and shows what to do
// (a key that could have done it: its leak runbook; none: the website
// login). Either closes the notification. A click on it, and an answer
// that cannot be saved, open Activity, where the question stays open.
func (t *Tray) onQuestion(refID, action string) {
	switch {
	case refID == "" || !ValidRefID(refID):
		t.activity("")
		return
	case action == ActionItWasMe:
		if _, err := t.cfg.Keys.AnswerActivity(refID, true); err != nil && !t.answered(refID) {
			t.report(fmt.Errorf("account watch: It was me: %w", err))
			t.activity("")
			return
		}
		t.lookAgain()
	case action == ActionNotMe:
		t.activity(refID)
	default:
		t.activity("")
		return
	}
	if t.cfg.Notify != nil {
		t.cfg.Notify.CloseKey(QuestionSubject(refID))
	}
}

// answered reports whether the entry refID was answered already (in the
// window, or at the command line): its notification only needs closing.
func (t *Tray) answered(refID string) bool {
	st, err := t.cfg.Keys.Activity()
	return err == nil && slices.ContainsFunc(st.Answers, func(a keys.Answer) bool { return a.RefID == refID })
}

// OpenActivity shows the window's Activity screen.
func (t *Tray) OpenActivity() { t.activity("") }

func (t *Tray) activity(notMeRefID string) {
	if t.cfg.Activity == nil {
		return
	}
	if err := t.cfg.Activity(notMeRefID); err != nil {
		t.report(fmt.Errorf("open the window on Activity: %w", err))
	}
}

// CheckAll checks the keys "Check all" takes (keys.Service.CheckAll: the
// same keys, saved by the same rule, as in the window and the command
// line), in the background, within keys.CheckTimeout, and says how it went
// in a notification. It does nothing while a check of all keys runs
// already.
func (t *Tray) CheckAll() {
	if !t.cfg.Keys.CanCheck() || !t.checking.CompareAndSwap(false, true) {
		return
	}
	t.lookAgain() // show "Checking…"
	t.sched.WatchNow()
	go func() {
		defer func() {
			t.checking.Store(false)
			t.Poke()
			freeMemory()
		}()
		title, body, err := t.checkAll()
		if err != nil {
			t.report(fmt.Errorf("check all keys: %w", err))
			title, body = "The keys were not checked", keys.UserMessage(err)
		}
		t.message(title, body)
	}()
}

func (t *Tray) checkAll() (title, body string, err error) {
	t.mu.Lock()
	base := t.ctx
	t.mu.Unlock()
	if base == nil {
		base = context.Background()
	}
	ctx, cancel := context.WithTimeout(base, keys.CheckTimeout)
	defer cancel()
	rep, err := t.cfg.Keys.CheckAll(ctx, nil)
	if err != nil && len(rep.Results) == 0 {
		return "", "", err
	}
	if err != nil {
		t.report(fmt.Errorf("check all keys: save the answers: %w", err))
	}

	// What could not be checked, and why, goes to the log key by key; the
	// notification sums it up in the same words.
	for _, line := range rep.LogLines() {
		t.report(errors.New("check all keys: " + line))
	}
	attention := -1
	if snap, err := t.cfg.Keys.Snapshot(); err == nil {
		attention = snap.AttentionCount()
	}
	title, body = rep.Words(attention)
	return title, body, nil
}

func (t *Tray) window(recordID string) {
	if t.cfg.Window == nil {
		return
	}
	if err := t.cfg.Window(recordID); err != nil {
		t.report(fmt.Errorf("open the window: %w", err))
	}
}

func (t *Tray) quit() {
	if t.cfg.Quit != nil {
		t.cfg.Quit()
	}
}
