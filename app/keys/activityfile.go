package keys

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/keywarden/keywarden/app/internal/atomicfile"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// File names of the account watch's state, beside keys.json.
const (
	ActivityName        = "activity.json"
	activityLockName    = "activity.lock"
	ActivityDamagedName = ActivityName + ".damaged"
)

// activitySchema is the version of activity.json this code reads and writes.
const activitySchema = 1

// The caps of activity.json: it keeps what the rule needs and no ledger.
const (
	// MaxActivityFile is the most of activity.json that is read.
	MaxActivityFile = 1 << 20
	// MaxAnswers is how many answers are kept; the oldest go first.
	MaxAnswers = 2000
	// MaxQuestions is how many open questions are kept; the oldest go first.
	MaxQuestions = 500
	// maxAtCursor is how many ledger IDs of the cursor's second are kept.
	maxAtCursor = 200
)

// AccountWatch is the watch of one account: its watch key, where the ledger
// was last read to, and what the person said to expect.
type AccountWatch struct {
	// Account is the account's label as its keys spell it ("" is the
	// keys without one).
	Account string `json:"account"`
	// KeyID is the record ID of the watch key.
	KeyID string `json:"keyId"`
	// Since is the time of the newest entry read, or when the watch began.
	Since time.Time `json:"since"`
	// LastID is the ledger ID of the newest entry read: the next read
	// starts after it ("" before the first entry, when Since is the bound).
	LastID string `json:"lastId,omitempty"`
	// AtCursor are the IDs of the entries read in Since's second, which the
	// next read, starting at that second, answers again.
	AtCursor []string `json:"atCursor,omitempty"`
	// Pass is a read of many pages not finished in one poll.
	Pass *LedgerPass `json:"pass,omitempty"`
	// WithdrawalsExpected: withdrawals do not ask, except above AskAbove.
	WithdrawalsExpected bool `json:"withdrawalsExpected,omitempty"`
	// AskAbove holds, by asset (BTC, USD...), the amount above which an
	// expected withdrawal still asks.
	AskAbove map[string]string `json:"askAbove,omitempty"`
	// LastPoll and LastProblem are when the ledger was last read, and what
	// stopped it then ("" when it read to the end).
	LastPoll    time.Time `json:"lastPoll,omitzero"`
	LastProblem string    `json:"lastProblem,omitempty"`
	// Stopped says, in words for the person, why the watch key no longer
	// reads the ledger and what to do ("" while it does): it was removed,
	// revoked or drifted beyond reading, or the exchange kept refusing it.
	// StoppedTold is set once a notification said so, so it is said once.
	Stopped     string `json:"stopped,omitempty"`
	StoppedTold bool   `json:"stoppedTold,omitempty"`
	// Denied counts the polls in a row the exchange refused the watch key
	// (invalid key, permission denied).
	Denied int `json:"denied,omitempty"`
}

// LedgerPass is an unfinished read of a ledger that had more new entries
// than one poll may read: the query's bounds, pinned so the pages stay put,
// the offset to go on from, and the newest entry it began with.
type LedgerPass struct {
	Start     string    `json:"start"`
	End       string    `json:"end"`
	Ofs       int       `json:"ofs"`
	Newest    time.Time `json:"newest"`
	NewestID  string    `json:"newestId"`
	NewestIDs []string  `json:"newestIds,omitempty"`
}

// Question is a ledger entry that needs the person's answer. Only what the
// notification and the runbook need is kept: no balance, no fee.
type Question struct {
	Account  string    `json:"account"`
	LedgerID string    `json:"ledgerId"`
	RefID    string    `json:"refId"`
	Time     time.Time `json:"time"`
	Type     string    `json:"type"`
	Subtype  string    `json:"subtype,omitempty"`
	Asset    string    `json:"asset"`
	Amount   string    `json:"amount"`
	Verdict  Verdict   `json:"verdict"`
	// Notified is set once the question was shown as a notification, so it
	// is shown once.
	Notified bool `json:"notified,omitempty"`
}

// Answer is what the person said about an entry's refid.
type Answer struct {
	Account string    `json:"account"`
	RefID   string    `json:"refId"`
	Me      bool      `json:"me"`
	At      time.Time `json:"at"`
}

// ActivityState is everything activity.json holds.
type ActivityState struct {
	Watches   []AccountWatch `json:"watches,omitempty"`
	Questions []Question     `json:"questions,omitempty"`
	Answers   []Answer       `json:"answers,omitempty"`
}

// Watch returns the watch of the account (matched as the review rules
// match accounts: case and spaces aside), or nil.
func (st *ActivityState) Watch(account string) *AccountWatch {
	for i := range st.Watches {
		if sameAccount(st.Watches[i].Account, account) {
			return &st.Watches[i]
		}
	}
	return nil
}

// Answered reports whether the person answered the refid on the account.
func (st *ActivityState) Answered(account, refID string) bool {
	return slices.ContainsFunc(st.Answers, func(a Answer) bool {
		return a.RefID == refID && sameAccount(a.Account, account)
	})
}

// Asked reports whether the ledger entry is an open question already.
func (st *ActivityState) Asked(account, ledgerID string) bool {
	return slices.ContainsFunc(st.Questions, func(q Question) bool {
		return q.LedgerID == ledgerID && sameAccount(q.Account, account)
	})
}

// trim keeps the lists within their caps, dropping the oldest.
func (st *ActivityState) trim() {
	if n := len(st.Answers) - MaxAnswers; n > 0 {
		st.Answers = slices.Delete(st.Answers, 0, n)
	}
	if n := len(st.Questions) - MaxQuestions; n > 0 {
		st.Questions = slices.Delete(st.Questions, 0, n)
	}
	for i := range st.Watches {
		w := &st.Watches[i]
		if n := len(w.AtCursor) - maxAtCursor; n > 0 {
			w.AtCursor = slices.Delete(w.AtCursor, 0, n)
		}
	}
}

// ErrActivityDamaged matches, with errors.Is, an activity file that could
// not be read.
var ErrActivityDamaged = errors.New("the account watch's file is damaged")

// ActivityDamagedError says activity.json could not be read: the watch
// keys, where the ledgers were read to, and the answers given are lost,
// and the watch is off until a watch key is chosen again. The next save
// keeps the damaged file as ActivityDamagedName.
type ActivityDamagedError struct {
	Path, Reason string
}

func (e *ActivityDamagedError) Error() string {
	return fmt.Sprintf("%s: %s; choose the watch key again (keywarden watch NAME) to turn the account watch back on", e.Path, e.Reason)
}

// Is matches ErrActivityDamaged.
func (e *ActivityDamagedError) Is(target error) bool { return target == ErrActivityDamaged }

// ActivityFile is activity.json beside keys.json: written atomically under
// a lock (atomicfile.Write, vault.LockFile), 0600, at most
// MaxActivityFile, read only when it is a regular file. A damaged file is
// set aside, never overwritten; a writer killed midway leaves the old file
// and a temporary one that the next save removes.
type ActivityFile struct{ dir string }

// OpenActivity returns the activity file in dir, the store's folder.
func OpenActivity(dir string) *ActivityFile { return &ActivityFile{dir: dir} }

// Path returns the path of activity.json.
func (f *ActivityFile) Path() string { return filepath.Join(f.dir, ActivityName) }

// Load reads the state: an empty one when there is no file, and an empty
// one with an *ActivityDamagedError when it cannot be read.
func (f *ActivityFile) Load() (ActivityState, error) {
	st, _, err := f.read()
	return st, err
}

// Update applies fn to the latest state and saves it, under the lock. When
// the file is damaged, fn starts from an empty state and the damaged file
// is set aside. fn's error cancels the save and is returned.
func (f *ActivityFile) Update(fn func(*ActivityState) error) error {
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return fmt.Errorf("keys: create the folder: %w", err)
	}
	unlock, err := vault.LockFile(filepath.Join(f.dir, activityLockName))
	if err != nil {
		return fmt.Errorf("keys: lock the account watch's file: %w", err)
	}
	defer unlock()
	st, old, err := f.read()
	var damaged *ActivityDamagedError
	switch {
	case errors.As(err, &damaged):
		if err := os.Rename(f.Path(), filepath.Join(f.dir, ActivityDamagedName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("keys: set the damaged account watch's file aside: %w", err)
		}
		old = nil
	case err != nil:
		return err
	}
	if err := fn(&st); err != nil {
		return err
	}
	st.trim()
	b, err := json.MarshalIndent(activityDoc{Schema: activitySchema, ActivityState: st}, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if old != nil && bytes.Equal(b, old) {
		return nil
	}
	atomicfile.RemoveStaleTemps(f.Path()) // left by a writer that was killed
	if err := atomicfile.Write(f.Path(), b, 0o600); err != nil {
		return fmt.Errorf("keys: save the account watch's file: %w", err)
	}
	return nil
}

type activityDoc struct {
	Schema int `json:"schema"`
	ActivityState
}

func (f *ActivityFile) read() (ActivityState, []byte, error) {
	b, err := vault.ReadFileLimit(f.Path(), MaxActivityFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ActivityState{}, nil, nil
	case errors.Is(err, vault.ErrTooLarge):
		return ActivityState{}, nil, &ActivityDamagedError{Path: f.Path(), Reason: fmt.Sprintf("the file is larger than %d KiB, far more than the watch ever writes, so it was not read", MaxActivityFile>>10)}
	case err != nil:
		return ActivityState{}, nil, fmt.Errorf("keys: read the account watch's file: %w", err)
	}
	var doc activityDoc
	reason := ""
	switch err := json.Unmarshal(b, &doc); {
	case len(bytes.TrimSpace(b)) == 0:
		reason = "the file is empty"
	case err != nil:
		reason = "the file cannot be read: " + err.Error()
	case doc.Schema != activitySchema:
		reason = fmt.Sprintf("the file uses schema %d; this version knows schema %d", doc.Schema, activitySchema)
	}
	if reason != "" {
		return ActivityState{}, b, &ActivityDamagedError{Path: f.Path(), Reason: reason}
	}
	return doc.ActivityState, b, nil
}

func sameAccount(a, b string) bool { return foldAccount(a) == foldAccount(b) }

// Entry returns the question's ledger entry, as far as it is kept.
func (q Question) Entry() kraken.LedgerEntry {
	return kraken.LedgerEntry{ID: q.LedgerID, RefID: q.RefID, Time: q.Time, Type: q.Type, Subtype: q.Subtype, Asset: q.Asset, Amount: q.Amount}
}
