package ui

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/internal/safetext"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

// The account watch in the window: a small Activity dialog listing the
// ledger entries that need an answer, each with "It was me" and "Not me".
// The tray part polls on its timer; the window reads the ledger when it
// opens and when the dialog opens, through the same keys.Service.

// activityView is what the dialog shows, read off the UI goroutine.
type activityView struct {
	watched   int
	questions []keys.Question
	problems  []string // why a read of an account stopped
	stopped   []string // watches that stopped: why, and what to do
	read      int      // entries read by this look
	err       error
}

// activityDialog is the Activity dialog; its widgets are kept for tests.
type activityDialog struct {
	dlg   *dialog.CustomDialog
	lines []*widget.Label
	me    []*widget.Button // "It was me", one per question
	notMe []*widget.Button // "Not me", one per question
	// stopped are the lines saying a watch stopped, as shown.
	stopped []string
}

// lookAtActivity reads the watched accounts' new ledger entries (when the
// service can reach the exchange) and the open questions.
func (mw *mainWindow) lookAtActivity(poll bool) activityView {
	var v activityView
	if poll && mw.keys.CanCheck() {
		ctx, cancel := mw.checkContext()
		polls, err := mw.keys.PollActivity(ctx)
		cancel()
		if err != nil && !errors.Is(err, keys.ErrNoExchange) {
			v.err = err
		}
		for _, p := range polls {
			v.read += len(p.Read)
			if p.Err != nil {
				v.problems = append(v.problems, userMessage(p.Err))
			}
		}
	}
	st, err := mw.keys.Activity()
	if err != nil && v.err == nil {
		v.err = err
	}
	v.watched, v.questions = len(st.Watches), st.Questions
	for _, w := range st.Watches {
		if w.Stopped != "" {
			v.stopped = append(v.stopped, w.Stopped)
		}
	}
	return v
}

// watchOnOpen reads the ledger once when the window opens, and says in the
// status line when something needs an answer.
func (mw *mainWindow) watchOnOpen() {
	if st, err := mw.keys.Activity(); err != nil || len(st.Watches) == 0 {
		return // nothing watched: no job, no call
	}
	mw.background("Reading the account's ledger", func() func() {
		v := mw.lookAtActivity(true)
		return func() {
			if len(v.questions) > 0 {
				mw.notice(questionsWords(len(v.questions)) + ": open Activity to answer.")
			}
		}
	})
}

func questionsWords(n int) string {
	if n == 1 {
		return "1 entry of your account's ledger needs your answer"
	}
	return strconv.Itoa(n) + " entries of your account's ledger need your answer"
}

// showActivity reads the ledger and opens the Activity dialog.
func (mw *mainWindow) showActivity() {
	mw.background("Reading the account's ledger", func() func() {
		v := mw.lookAtActivity(true)
		return func() { mw.openActivity(v) }
	})
}

// openActivity shows v in the Activity dialog.
func (mw *mainWindow) openActivity(v activityView) {
	a := &activityDialog{}
	rows := container.NewVBox()
	now := mw.env.now()
	switch {
	case v.err != nil:
		rows.Add(newWrapped(userMessage(v.err)))
	case v.watched == 0:
		rows.Add(newWrapped(keys.UserMessage(keys.ErrNoWatchKey)))
	case len(v.questions) == 0:
		rows.Add(newWrapped("Nothing needs an answer. Keywarden read " + strconv.Itoa(v.read) + " new entries of the account's ledger now, and reads it every few minutes while the tray part runs."))
	default:
		rows.Add(newWrapped(questionsWords(len(v.questions)) + ". None of your keys in use was meant to do these:"))
	}
	for _, why := range v.stopped {
		a.stopped = append(a.stopped, safetext.Line(why))
		rows.Add(newWrapped(safetext.Line(why)))
	}
	for _, p := range v.problems {
		rows.Add(newWrapped("The ledger could not be read to the end: " + p))
	}
	for _, q := range v.questions {
		line := newWrapped(safetext.Line(keys.EntryWords(q.Entry(), now, time.Local) + " — was this you? (" + q.Verdict.Why + ")"))
		me := widget.NewButton("It was me", func() { mw.answerActivity(a, q, true) })
		notMe := widget.NewButtonWithIcon("Not me", theme.WarningIcon(), func() { mw.answerActivity(a, q, false) })
		notMe.Importance = widget.DangerImportance
		a.lines, a.me, a.notMe = append(a.lines, line), append(a.me, me), append(a.notMe, notMe)
		rows.Add(container.NewVBox(line, container.NewHBox(me, notMe), widget.NewSeparator()))
	}
	scroll := container.NewVScroll(rows)
	scroll.SetMinSize(fyne.NewSize(480, 240))
	a.dlg = dialog.NewCustom("Account activity", "Close", scroll, mw.win)
	mw.activityDlg = a
	a.dlg.Show()
}

// answerActivity saves the answer; "Not me" then opens the compromise
// runbook of a key that could have done it, or says the website login is
// the likely door.
func (mw *mainWindow) answerActivity(a *activityDialog, q keys.Question, me bool) {
	a.dlg.Hide()
	mw.answer(q, me)
}

// notMe answers "Not me" on the open question about the ledger entry
// refID, as its button in Activity does: the tray's notification asks for
// it (`keywarden open not-me REFID`). When no question about it is open
// (answered meanwhile, in another face), Activity shows what is.
func (mw *mainWindow) notMe(refID string) {
	mw.background("Reading the account's questions", func() func() {
		st, _ := mw.keys.Activity() // a damaged file: Activity says so
		return func() {
			for _, q := range st.Questions {
				if q.RefID == refID {
					mw.answer(q, false)
					return
				}
			}
			mw.showActivity()
		}
	})
}

// answer saves the answer on q, and for "Not me" shows what to do.
func (mw *mainWindow) answer(q keys.Question, me bool) {
	var closed []keys.Question
	mw.do("Saving your answer", func() error {
		var err error
		closed, err = mw.keys.AnswerActivity(q.RefID, me)
		return err
	}, func() {
		if me {
			mw.notice("Noted: it was you. Keywarden will not ask about it again.")
			return
		}
		for _, c := range closed {
			for _, id := range c.Verdict.Could {
				if rec, err := mw.keys.Record(id); err == nil && !rec.Retired() {
					mw.showRevoke(id, true)
					mw.notice("“" + rec.Name + "” may do this: treat it as leaked, and look at the other keys that may too.")
					return
				}
			}
		}
		mw.showMessage("The website login is the likely door",
			"None of your keys in Keywarden could have done this, so someone probably signed in to your Kraken account. First: sign in to Kraken, change the password, reset 2FA and sign out every other session (Settings → Security). Then look at the recent withdrawals and withdrawal addresses, and contact Kraken support.")
	})
}

// knownGood is the runbook's last known-good moment for a leaked key: its
// last check that Kraken answered, else a week before it was marked
// leaked, else a week ago.
func knownGood(rec vault.Record, now time.Time) time.Time {
	if rec.LastCheck != nil && rec.LastCheck.Outcome == vault.OutcomeOK && (rec.LeakedAt.IsZero() || rec.LastCheck.At.Before(rec.LeakedAt)) {
		return rec.LastCheck.At
	}
	if !rec.LeakedAt.IsZero() {
		return rec.LeakedAt.Add(-7 * 24 * time.Hour)
	}
	return now.Add(-7 * 24 * time.Hour)
}

// sinceLayout is how the runbook's ledger start is shown and typed.
const sinceLayout = "2006-01-02 15:04"

// ledgerPicker is the runbook's "Look at recent account activity" action:
// a start, the leaked key's last known-good moment unless the person types
// another, and the button that reads the ledger from it.
type ledgerPicker struct {
	box   fyne.CanvasObject
	from  *widget.Entry
	read  *widget.Button
	since time.Time // the start of the last read asked for
}

// activityStepAction is the runbook's "Look at recent account activity"
// action: it reads the account's ledger since the start the person picks
// (the key's last known-good moment by default) with the account's watch
// key and lists it, marking the entries no key explains. Without a watch
// key it says how to make one.
func (mw *mainWindow) activityStepAction(rec vault.Record) fyne.CanvasObject {
	return mw.newLedgerPicker(rec).box
}

func (mw *mainWindow) newLedgerPicker(rec vault.Record) *ledgerPicker {
	p := &ledgerPicker{from: widget.NewEntry()}
	p.from.SetText(knownGood(rec, mw.env.now()).Local().Format(sinceLayout))
	p.from.SetPlaceHolder("YYYY-MM-DD HH:MM")
	p.read = widget.NewButtonWithIcon("Read the ledger", theme.HistoryIcon(), func() {
		since, problem := parseSince(p.from.Text, mw.env.now(), time.Local)
		if problem != "" {
			mw.showMessage("The start was not read", problem) // what was typed stays in the field
			return
		}
		p.since = since
		mw.readLedgerSince(rec, since)
	})
	p.box = container.NewHBox(widget.NewLabel("From"), fixedWidth(150, p.from), p.read)
	return p
}

// parseSince reads the start the person typed for the runbook's ledger: a
// date, or a date and a time of day, in loc; one in the future is refused.
// problem, when not empty, says what to type instead.
func parseSince(text string, now time.Time, loc *time.Location) (since time.Time, problem string) {
	text = strings.TrimSpace(text)
	t, err := time.ParseInLocation(sinceLayout, text, loc)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02", text, loc)
	}
	switch {
	case err != nil:
		return time.Time{}, "Type the start as a date, and a time if you like: 2026-03-01 or 2026-03-01 14:00."
	case t.After(now):
		return time.Time{}, "The start is in the future: pick a moment before now, such as the leaked key's last good check."
	}
	return t, ""
}

// readLedgerSince reads the account's ledger since the moment with its
// watch key and lists it.
func (mw *mainWindow) readLedgerSince(rec vault.Record, since time.Time) {
	var list keys.ActivityList
	mw.background("Reading the account's ledger", func() func() {
		ctx, cancel := mw.checkContext()
		defer cancel()
		var err error
		list, err = mw.keys.ActivitySince(ctx, rec.Account, since)
		return func() {
			if err != nil && len(list.Entries) == 0 {
				mw.showError("The ledger was not read", err)
				return
			}
			mw.showLedger(list, since, err)
		}
	})
}

// showLedger lists a stretch of the ledger with what the watch makes of
// each entry.
func (mw *mainWindow) showLedger(list keys.ActivityList, since time.Time, err error) {
	now := mw.env.now()
	rows := container.NewVBox(newWrapped(strconv.Itoa(len(list.Entries)) + " entries since " + since.Local().Format("2 Jan 2006 15:04") + ", newest first. “Needs your answer” marks what none of your keys in use was meant to do."))
	if list.Partial {
		rows.Add(newWrapped("These are the newest; there are more on Kraken's website."))
	}
	if err != nil {
		rows.Add(newWrapped("The ledger could not be read to the end: " + userMessage(err)))
	}
	var marked []string
	for _, e := range list.Entries {
		text := keys.EntryWords(e.Entry, now, time.Local)
		switch {
		case e.Verdict.Ask && e.Answered:
			text += " — you answered"
		case e.Verdict.Ask:
			text += " — needs your answer: " + e.Verdict.Why
			marked = append(marked, text)
		}
		rows.Add(newWrapped(safetext.Line(text)))
	}
	mw.ledgerLines = marked
	scroll := container.NewVScroll(rows)
	scroll.SetMinSize(fyne.NewSize(480, 260))
	dialog.NewCustom("Account activity since "+since.Local().Format("2 Jan 15:04"), "Close", scroll, mw.win).Show()
}

// watchWords says what the runbook's ledger button reads with, or how to
// make a watch key when the account has none.
func watchWords(svc *keys.Service, rec vault.Record) string {
	if _, w, err := svc.WatchedAccount(rec.Account); err == nil {
		return "Keywarden reads the ledger with the account's watch key, “" + w.Name + "”, and marks what none of your keys was meant to do."
	}
	return "To have Keywarden read the ledger for you: " + keys.UserMessage(keys.ErrNoWatchKey)
}

// watchIfMeant makes a key saved with the wizard's "watch the account"
// purpose its account's watch key (the service checks it once more on the
// exchange, and refuses a key that may do more than read), and says how
// that went; "" for any other purpose. It runs off the UI goroutine.
func (mw *mainWindow) watchIfMeant(rec vault.Record) string {
	if rec.Purpose != vault.PurposeWatch {
		return ""
	}
	ctx, cancel := mw.checkContext()
	defer cancel()
	if _, err := mw.keys.SetWatchKey(ctx, rec.ID); err != nil {
		return "Saved " + rec.Name + ", but it does not watch the account: " + userMessage(err)
	}
	return "Saved " + rec.Name + ": it now watches the account. Activity shows what needs your answer."
}

// askAboutActivity reads the watched ledgers now and, when something needs
// an answer, says so in the status line and a notification, and opens
// Activity. The demo calls it when its withdrawal has come in.
func (mw *mainWindow) askAboutActivity() {
	mw.background("Reading the account's ledger", func() func() {
		v := mw.lookAtActivity(true)
		return func() {
			if len(v.questions) == 0 {
				return
			}
			q := v.questions[len(v.questions)-1]
			title := safetext.Line(keys.EntryWords(q.Entry(), mw.env.now(), time.Local) + " — was this you?")
			mw.env.App.SendNotification(fyne.NewNotification(title, "Open Activity in Keywarden to answer: It was me, or Not me."))
			mw.notice(questionsWords(len(v.questions)) + ".")
			mw.openActivity(v)
		}
	})
}
