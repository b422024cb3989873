package tray

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
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

// OnAction acts on an action picked on a reminder's notification.
func (t *Tray) OnAction(recordID, action string) {
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

	failed := 0
	for _, res := range rep.Results {
		if res.Readback.Outcome == vault.OutcomeError {
			failed++
		}
	}
	title = fmt.Sprintf("Checked %s", plural(len(rep.Results), "key", "keys"))
	var parts []string
	if failed > 0 {
		parts = append(parts, fmt.Sprintf("%s could not be checked.", plural(failed, "key", "keys")))
	}
	if not := keys.NotChecked(rep.Skipped, keys.InTray); not != "" {
		parts = append(parts, not)
	}
	if snap, err := t.cfg.Keys.Snapshot(); err == nil {
		switch n := snap.AttentionCount(); {
		case n == 1:
			parts = append(parts, "1 key needs attention: open Keywarden to see what to do.")
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d keys need attention: open Keywarden to see what to do.", n))
		case failed == 0:
			parts = append(parts, "All look fine.")
		}
	}
	return title, strings.Join(parts, " "), nil
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
