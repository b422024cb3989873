package tray

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/remind"
	"github.com/keywarden/keywarden/app/vault"
)

// What the menu items and the notifications' actions do.

// OpenKey shows the key in the window.
func (t *Tray) OpenKey(recordID string) { t.window(recordID) }

// OpenWindow shows the window.
func (t *Tray) OpenWindow() { t.window("") }

// Snooze holds back the key's reminders for d, and tells a running window,
// whose key detail shows the snooze.
func (t *Tray) Snooze(recordID string, d time.Duration) {
	until := t.clock.Now().Add(d)
	if err := t.cfg.State.Update(func(s *remind.State) { s.Snooze(recordID, until) }); err != nil {
		t.report(fmt.Errorf("snooze: %w", err))
		return
	}
	t.Poke()
	t.saved()
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

// CheckAll checks every key that can be checked unattended, in the
// background, saves the results, and says how it went in a notification.
// It does nothing while a check of all keys runs already.
func (t *Tray) CheckAll() {
	if t.cfg.Runner == nil || !t.checking.CompareAndSwap(false, true) {
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
			t.report(err)
			title, body = "The keys were not checked", vault.UserMessage(err)
		}
		t.message(title, body)
	}()
}

func (t *Tray) checkAll() (title, body string, err error) {
	data, err := t.cfg.Store.Load()
	if err != nil {
		return "", "", err
	}
	var recs []vault.Record
	typed := 0
	for _, r := range data.Records {
		if ok, _ := remind.CanAutoCheck(r); ok {
			recs = append(recs, r)
		} else if !r.Retired() {
			typed++
		}
	}
	now := t.clock.Now()
	results := t.cfg.Runner.CheckAll(context.Background(), recs, nil, now)
	err = t.cfg.Store.Update(func(d *vault.Data) error {
		for _, res := range results {
			rec, err := d.ByID(res.Record.ID)
			if err != nil {
				continue // removed meanwhile
			}
			if ok, _ := remind.CanAutoCheck(*rec); !ok {
				continue // revoked meanwhile: its own runbook checks it
			}
			if rec.LastCheck != nil && rec.LastCheck.At.After(res.Readback.At) {
				continue // checked in the window meanwhile: keep the newer answer
			}
			check.Apply(rec, res.Readback)
		}
		return nil
	})
	if err != nil {
		return "", "", err
	}
	t.saved()

	failed := 0
	for _, res := range results {
		if res.Readback.Outcome == vault.OutcomeError {
			failed++
		}
	}
	title = fmt.Sprintf("Checked %s", plural(len(recs), "key", "keys"))
	var parts []string
	if failed > 0 {
		parts = append(parts, fmt.Sprintf("%s could not be checked.", plural(failed, "key", "keys")))
	}
	switch {
	case typed == 1:
		parts = append(parts, "1 key needs its 2FA code typed for each check: check it in the window.")
	case typed > 1:
		parts = append(parts, fmt.Sprintf("%d keys need their 2FA code typed for each check: check them in the window.", typed))
	}
	if fresh, err := t.records(); err == nil {
		m := BuildModel(fresh, remind.State{}, t.clock.Now())
		if n := len(m.Keys) + m.More; n == 1 {
			parts = append(parts, "1 key needs attention: open Keywarden to see what to do.")
		} else if n > 1 {
			parts = append(parts, fmt.Sprintf("%d keys need attention: open Keywarden to see what to do.", n))
		} else if failed == 0 {
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
