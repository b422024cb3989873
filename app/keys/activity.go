package keys

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// MaxLedgerCallsPerPoll is the most Ledgers calls one poll of one account
// makes: 3 calls cost 6 on the watch key's counter (Starter's maximum is
// 15), and read up to 150 new entries. A poll with more to read goes on
// from where it stopped at the next one.
const MaxLedgerCallsPerPoll = 3

// maxListCalls is the most Ledgers calls a listing (ActivitySince) makes.
const maxListCalls = 4

// watchPermissions are the permissions a watch key may have: queries only.
var watchPermissions = []kraken.Permission{kraken.QueryFunds, kraken.QueryOpenTrades,
	kraken.QueryClosedTrades, kraken.QueryLedger, kraken.ExportData}

// WatchRefusedError says why a key cannot be the account's watch key.
type WatchRefusedError struct {
	Name string
	Why  string
}

func (e *WatchRefusedError) Error() string {
	return fmt.Sprintf("“%s” cannot be the account's watch key: %s", e.Name, e.Why)
}

// ErrNoWatchKey is returned when an account has no watch key.
var ErrNoWatchKey = errors.New("this account has no watch key yet: make a read-only key with only “Funds – Query” and “Data – Query ledger entries” ticked, add it, then run keywarden watch NAME")

// WatchKeyProblem says why r cannot watch its account, from what the
// exchange last said about it; "" means it can. The rule fails closed: a
// key never verified, or whose permissions the probes could not all tell,
// is refused, as is one that may do anything beyond reading.
func WatchKeyProblem(r vault.Record) string {
	switch {
	case r.Status != vault.StatusActive || r.Retired():
		return "only an active key can watch the account; this one is " + statusWords(r)
	case r.TwoFA == vault.TwoFATyped:
		return "its 2FA code must be typed at every call, and the watch reads the ledger unattended; give the key an authenticator seed, or make a watch key without 2FA but with an IP allow-list"
	case r.LastCheck == nil || r.LastCheck.Outcome != vault.OutcomeOK:
		return "Kraken has not confirmed what it may do; check it first"
	}
	perms := append(slices.Clone(r.LastCheck.Permissions), r.LastCheck.Unknown...)
	var beyond []string
	for _, p := range perms {
		if !slices.Contains(watchPermissions, p) {
			beyond = append(beyond, permissionLabel(p))
		}
	}
	if len(beyond) > 0 {
		return "Kraken says it also has " + strings.Join(beyond, ", ") + ", and a watch key must only read. Make a new key with only “Funds – Query” and “Data – Query ledger entries” ticked"
	}
	if !slices.Contains(perms, kraken.QueryLedger) {
		return "it cannot read the ledger: tick “Data – Query ledger entries” for it on Kraken's website, or make a new key with it"
	}
	return ""
}

func permissionLabel(p kraken.Permission) string {
	if info, ok := p.Info(); ok {
		return "“" + info.Group + " – " + info.Label + "”"
	}
	return "“" + kraken.Quote(string(p)) + "”"
}

func (s *Service) activity() *ActivityFile { return OpenActivity(s.store.Dir()) }

// Activity returns the account watch's state: the watched accounts, the
// open questions and the answers given.
func (s *Service) Activity() (ActivityState, error) { return s.activity().Load() }

// SetWatchKey makes the key the watch key of its account, in place of any
// other. It first checks the key on the exchange (one GetApiKeyInfo call)
// and refuses, with a *WatchRefusedError, a key whose verified permissions
// go beyond reading or do not include the ledger. The watch reads entries
// from now on.
func (s *Service) SetWatchKey(ctx context.Context, id string) (vault.Record, error) {
	rec, rb, err := s.Check(ctx, id, "")
	if err != nil {
		return rec, err
	}
	if rb.Outcome != vault.OutcomeOK {
		return rec, &WatchRefusedError{Name: rec.Name, Why: "Kraken could not confirm what it may do: " + rb.Problem}
	}
	if why := WatchKeyProblem(rec); why != "" {
		return rec, &WatchRefusedError{Name: rec.Name, Why: why}
	}
	now := s.now()
	err = s.activity().Update(func(st *ActivityState) error {
		if w := st.Watch(rec.Account); w != nil {
			if w.KeyID != rec.ID {
				w.KeyID, w.Since, w.LastID, w.AtCursor, w.Pass, w.LastProblem = rec.ID, now, "", nil, nil, ""
			}
			w.Stopped, w.StoppedTold, w.Denied = "", false, 0 // the key qualifies again
			return nil
		}
		st.Watches = append(st.Watches, AccountWatch{Account: rec.Account, KeyID: rec.ID, Since: now})
		return nil
	})
	if err == nil {
		s.notify()
	}
	return rec, err
}

// SetWithdrawalsExpected records whether withdrawals from the account are
// expected (so they do not ask), and above which amount, by asset, one
// still asks. Amounts must be plain decimal numbers.
func (s *Service) SetWithdrawalsExpected(account string, expected bool, askAbove map[string]string) error {
	clean := map[string]string{}
	for asset, amount := range askAbove {
		r, ok := parseAmount(amount)
		if !ok || r.Sign() < 0 {
			return &SettingError{Msg: fmt.Sprintf("%q is not an amount: write it as a plain number, such as 0.1", amount)}
		}
		clean[DisplayAsset(strings.TrimSpace(asset))] = amount
	}
	err := s.activity().Update(func(st *ActivityState) error {
		w := st.Watch(account)
		if w == nil {
			return ErrNoWatchKey
		}
		w.WithdrawalsExpected, w.AskAbove = expected, clean
		return nil
	})
	if err == nil {
		s.notify()
	}
	return err
}

// ReadEntry is one ledger entry read, with what the watch makes of it.
type ReadEntry struct {
	Entry    kraken.LedgerEntry
	Verdict  Verdict
	Answered bool // the person already said it was them (or not)
}

// AccountPoll is what one poll of one account did.
type AccountPoll struct {
	Account string
	Calls   int         // Ledgers calls made
	Read    []ReadEntry // the new entries, newest first
	New     []Question  // entries that became open questions, oldest first
	// More is true when there was more to read than one poll may: the next
	// poll goes on.
	More bool
	// Err is what stopped the poll (throttling, a lockout, no network...);
	// the next poll tries again from the same place.
	Err error
}

// PollActivity reads each watched account's ledger from where it was last
// read, at most MaxLedgerCallsPerPoll calls an account, holds every new
// entry against what the account's keys are for (JudgeEntry), and keeps
// those that need an answer as open questions. An answer that says nothing
// about the ledger (throttling, a lockout, the counter full, no network)
// stops that account's poll where it was; the next poll goes on from there.
func (s *Service) PollActivity(ctx context.Context) ([]AccountPoll, error) {
	runner, err := s.checkRunner()
	if err != nil {
		return nil, err
	}
	st, err := s.activity().Load()
	if err != nil {
		return nil, err
	}
	d, err := s.store.Load()
	if err != nil {
		return nil, err
	}
	var out []AccountPoll
	for _, w := range st.Watches {
		key, err := d.ByID(w.KeyID)
		if err != nil {
			out = append(out, AccountPoll{Account: w.Account, Err: ErrNoWatchKey})
			if err := s.stopWatch(w, "its watch key is no longer in Keywarden"); err != nil {
				return out, err
			}
			continue
		}
		if why := WatchKeyProblem(*key); why != "" {
			out = append(out, AccountPoll{Account: w.Account, Err: &WatchRefusedError{Name: key.Name, Why: why}})
			if err := s.stopWatch(w, "its watch key “"+key.Name+"” no longer qualifies: "+why); err != nil {
				return out, err
			}
			continue
		}
		p := ledgerReader{ctx: ctx, read: func(q kraken.LedgerQuery) (*kraken.LedgerPage, error) { return runner.Ledgers(ctx, *key, q) }}
		next := p.poll(w)
		poll := s.judge(&st, next, p, accountRecords(d.Records, w.Account))
		if err := s.savePoll(w, next, &poll); err != nil {
			return out, err
		}
		out = append(out, poll)
	}
	return out, nil
}

func accountRecords(all []vault.Record, account string) []vault.Record {
	var out []vault.Record
	for _, r := range all {
		if sameAccount(r.Account, account) && r.Pending == nil {
			out = append(out, r)
		}
	}
	return out
}

// judge holds the entries read against the rule; st is the state as the
// poll began (for the answers given).
func (s *Service) judge(st *ActivityState, w AccountWatch, p ledgerReader, recs []vault.Record) AccountPoll {
	poll := AccountPoll{Account: w.Account, Calls: p.calls, More: w.Pass != nil, Err: p.err}
	for _, e := range p.entries {
		v := JudgeEntry(e, recs, w)
		re := ReadEntry{Entry: e, Verdict: v, Answered: st.Answered(w.Account, e.RefID)}
		poll.Read = append(poll.Read, re)
		if v.Ask && !re.Answered && !st.Asked(w.Account, e.ID) {
			poll.New = append(poll.New, Question{Account: w.Account, LedgerID: e.ID, RefID: e.RefID, Time: e.Time,
				Type: e.Type, Subtype: e.Subtype, Asset: e.Asset, Amount: e.Amount, Verdict: v})
		}
	}
	return poll
}

// savePoll stores where the poll got to and its new questions. When another
// process polled the same account meanwhile, its place is kept and only the
// questions not already asked are added.
func (s *Service) savePoll(was, next AccountWatch, poll *AccountPoll) error {
	problem := ""
	if poll.Err != nil {
		problem = UserMessage(poll.Err)
	}
	var added []Question
	err := s.activity().Update(func(st *ActivityState) error {
		w := st.Watch(was.Account)
		if w == nil || w.KeyID != was.KeyID {
			return nil // the watch was changed meanwhile: this poll is moot
		}
		if w.Since.Equal(was.Since) && w.LastID == was.LastID && passEqual(w.Pass, was.Pass) {
			w.Since, w.LastID, w.AtCursor, w.Pass = next.Since, next.LastID, next.AtCursor, next.Pass
		}
		w.LastPoll, w.LastProblem = s.now(), problem
		noteRefusals(w, poll.Err)
		added = added[:0]
		for i := len(poll.New) - 1; i >= 0; i-- { // oldest first, as they happened
			q := poll.New[i]
			if !st.Asked(q.Account, q.LedgerID) && !st.Answered(q.Account, q.RefID) {
				st.Questions = append(st.Questions, q)
				added = append(added, q)
			}
		}
		return nil
	})
	poll.New = added
	if err == nil && len(added) > 0 {
		s.notify()
	}
	return err
}

// stopAfterRefusals is how many polls in a row the exchange may refuse the
// watch key (invalid key, permission denied) before the person is told the
// watch stopped: one refusal can be a key being edited on the website.
const stopAfterRefusals = 2

// noteRefusals follows the exchange's refusals of the watch key in w: a
// poll that read to the end clears a stop; one the exchange refused
// counts, and the second in a row stops the watch. Other troubles
// (throttling, the network) say nothing about the key.
func noteRefusals(w *AccountWatch, err error) {
	switch {
	case err == nil:
		w.Stopped, w.StoppedTold, w.Denied = "", false, 0
	case errors.Is(err, kraken.ErrInvalidKey), errors.Is(err, kraken.ErrPermissionDenied):
		w.Denied++
		if w.Denied >= stopAfterRefusals && w.Stopped == "" {
			w.Stopped = WatchStoppedWords(w.Account, "Kraken refused its watch key at the last "+strconv.Itoa(w.Denied)+" reads: "+strings.TrimSuffix(UserMessage(err), "."))
		}
	}
}

// stopWatch records why the account's watch stopped, keeping whether the
// person was told when the reason is the same.
func (s *Service) stopWatch(was AccountWatch, why string) error {
	words := WatchStoppedWords(was.Account, why)
	changed := false
	err := s.activity().Update(func(st *ActivityState) error {
		w := st.Watch(was.Account)
		if w == nil || w.KeyID != was.KeyID || w.Stopped == words {
			return nil
		}
		w.Stopped, w.StoppedTold, changed = words, false, true
		return nil
	})
	if err == nil && changed {
		s.notify()
	}
	return err
}

// WatchStoppedWords says that the account's watch stopped, why, and what
// to do: the person relies on it, so a stop is news, not a log line.
func WatchStoppedWords(account, why string) string {
	name := "The account watch"
	if strings.TrimSpace(account) != "" {
		name += " of " + account
	}
	return name + " stopped: " + why + ". Until it reads the ledger again, nobody tells you of a withdrawal none of your keys was meant to make. " +
		"Choose a read-only watch key again: keywarden watch NAME, or the new-key wizard's “Watch the account”."
}

// MarkStopTold records that the person was told the watch of these
// accounts stopped, so they are told once.
func (s *Service) MarkStopTold(accounts []string) error {
	return s.activity().Update(func(st *ActivityState) error {
		for _, a := range accounts {
			if w := st.Watch(a); w != nil && w.Stopped != "" {
				w.StoppedTold = true
			}
		}
		return nil
	})
}

func passEqual(a, b *LedgerPass) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Start == b.Start && a.End == b.End && a.Ofs == b.Ofs
}

// ledgerReader reads pages of one ledger for one poll.
type ledgerReader struct {
	ctx     context.Context
	read    func(kraken.LedgerQuery) (*kraken.LedgerPage, error)
	calls   int
	entries []kraken.LedgerEntry // new entries read, newest first
	err     error
}

// poll reads from where w left off and returns the watch's new place.
// Pages are read newest first. A first page that is full starts a pass
// whose end is pinned just after its newest entry, so that entries made
// meanwhile do not shift the pages; the cursor moves to that newest entry
// only when the pass is read to its end, so nothing older is skipped.
func (p *ledgerReader) poll(w AccountWatch) AccountWatch {
	seen := map[string]bool{}
	for _, id := range w.AtCursor {
		seen[id] = true
	}
	if w.Pass == nil {
		start := w.LastID
		if start == "" {
			start = unixFloor(w.Since)
		}
		page, ok := p.page(kraken.LedgerQuery{Start: start}, seen)
		if !ok && start == w.LastID && errors.Is(p.err, kraken.ErrInvalidArguments) {
			// The exchange no longer takes the last entry's ID as a bound:
			// the next poll starts at its time instead (AtCursor tells the
			// entries of that second apart), so the watch cannot stick.
			w.LastID = ""
		}
		if !ok || len(page.Entries) == 0 {
			return w
		}
		newest := page.Entries[0].Time
		w.Pass = &LedgerPass{Start: start, End: strconv.FormatInt(newest.Unix()+1, 10), Ofs: len(page.Entries), Newest: newest,
			NewestID: page.Entries[0].ID, NewestIDs: idsFrom(page.Entries, newest)}
		if len(page.Entries) < kraken.LedgerPageSize {
			return finish(w)
		}
	}
	for p.calls < MaxLedgerCallsPerPoll {
		page, ok := p.page(kraken.LedgerQuery{Start: w.Pass.Start, End: w.Pass.End, Ofs: w.Pass.Ofs}, seen)
		if !ok {
			return w
		}
		pass := *w.Pass
		pass.Ofs += len(page.Entries)
		pass.NewestIDs = appendNew(pass.NewestIDs, idsFrom(page.Entries, pass.Newest))
		w.Pass = &pass
		if len(page.Entries) < kraken.LedgerPageSize {
			return finish(w)
		}
	}
	return w
}

// page reads one page and keeps its entries not seen yet; ok is false when
// the read failed (p.err says why).
func (p *ledgerReader) page(q kraken.LedgerQuery, seen map[string]bool) (*kraken.LedgerPage, bool) {
	if err := p.ctx.Err(); err != nil {
		p.err = err
		return nil, false
	}
	p.calls++
	page, err := p.read(q)
	if err != nil {
		p.err = err
		return nil, false
	}
	for _, e := range page.Entries {
		if !seen[e.ID] {
			seen[e.ID] = true
			p.entries = append(p.entries, e)
		}
	}
	return page, true
}

// finish moves the cursor to the end of a pass read to its end.
func finish(w AccountWatch) AccountWatch {
	pass := w.Pass
	w.Pass = nil
	if pass.Newest.After(w.Since) {
		w.Since, w.LastID = pass.Newest, pass.NewestID
		w.AtCursor = pass.NewestIDs
	}
	return w
}

// idsFrom returns the IDs of the entries in the same whole second as at:
// the next read starts at that second and answers them again.
func idsFrom(entries []kraken.LedgerEntry, at time.Time) []string {
	var out []string
	for _, e := range entries {
		if e.Time.Unix() >= at.Unix() {
			out = append(out, e.ID)
		}
	}
	return out
}

func appendNew(list, more []string) []string {
	for _, id := range more {
		if !slices.Contains(list, id) {
			list = append(list, id)
		}
	}
	return list
}

// unixFloor writes t as whole Unix seconds, rounded down, so a start bound
// never skips an entry of t's second (they are told apart by AtCursor).
func unixFloor(t time.Time) string {
	return strconv.FormatInt(int64(math.Floor(float64(t.UnixMilli())/1000)), 10)
}

// AnswerActivity records the person's answer for an entry, by its refid (a
// trade's two ledger lines share one): me is "It was me", remembered so it
// never asks again; !me is "Not me", also closing the question, and the
// questions it closed are returned, so the face can open the compromise
// runbook for the keys that could have done it (Verdict.Could), or say the
// website login is the likely door when there are none.
func (s *Service) AnswerActivity(refID string, me bool) ([]Question, error) {
	refID = strings.TrimSpace(refID)
	var closed []Question
	err := s.activity().Update(func(st *ActivityState) error {
		closed = closed[:0]
		keep := st.Questions[:0]
		for _, q := range st.Questions {
			if q.RefID == refID {
				closed = append(closed, q)
			} else {
				keep = append(keep, q)
			}
		}
		if len(closed) == 0 {
			return &SettingError{Msg: fmt.Sprintf("no open question has the reference %q; keywarden activity lists them", refID)}
		}
		st.Questions = keep
		st.Answers = append(st.Answers, Answer{Account: closed[0].Account, RefID: refID, Me: me, At: s.now()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.notify()
	return closed, nil
}

// MarkNotified records that the questions with these ledger IDs were shown
// as notifications, so each is shown once.
func (s *Service) MarkNotified(ledgerIDs []string) error {
	return s.activity().Update(func(st *ActivityState) error {
		for i := range st.Questions {
			if slices.Contains(ledgerIDs, st.Questions[i].LedgerID) {
				st.Questions[i].Notified = true
			}
		}
		return nil
	})
}

// ActivityList is the ledger of one account since a moment, as
// ActivitySince read it.
type ActivityList struct {
	Account string
	Entries []ReadEntry // newest first
	// Partial is true when there were more entries than one listing reads
	// (maxListCalls pages); the oldest are left out.
	Partial bool
}

// ActivitySince reads the account's ledger since the moment (the runbook's
// "last known-good moment", or `activity --since`) with its watch key, at
// most a few pages, and says of each entry what the watch makes of it. It
// changes nothing: the poll's place and the questions stay.
func (s *Service) ActivitySince(ctx context.Context, account string, since time.Time) (ActivityList, error) {
	runner, err := s.checkRunner()
	if err != nil {
		return ActivityList{}, err
	}
	st, err := s.activity().Load()
	if err != nil {
		return ActivityList{}, err
	}
	w := st.Watch(account)
	if w == nil {
		return ActivityList{}, ErrNoWatchKey
	}
	d, err := s.store.Load()
	if err != nil {
		return ActivityList{}, err
	}
	key, err := d.ByID(w.KeyID)
	if err != nil {
		return ActivityList{}, ErrNoWatchKey
	}
	recs := accountRecords(d.Records, account)
	list := ActivityList{Account: w.Account}
	seen := map[string]bool{}
	start := unixFloor(since)
	for ofs, calls := 0, 0; ; calls++ {
		if calls == maxListCalls {
			list.Partial = true
			break
		}
		page, err := runner.Ledgers(ctx, *key, kraken.LedgerQuery{Start: start, Ofs: ofs})
		if err != nil {
			return list, err
		}
		for _, e := range page.Entries {
			if seen[e.ID] || e.Time.Before(since) {
				continue
			}
			seen[e.ID] = true
			list.Entries = append(list.Entries, ReadEntry{Entry: e, Verdict: JudgeEntry(e, recs, *w), Answered: st.Answered(account, e.RefID)})
		}
		if len(page.Entries) < kraken.LedgerPageSize {
			break
		}
		ofs += len(page.Entries)
	}
	return list, nil
}

// WatchedAccount returns the account a key record belongs to for the
// watch, and its watch key's record, if it has one.
func (s *Service) WatchedAccount(account string) (AccountWatch, vault.Record, error) {
	st, err := s.activity().Load()
	if err != nil {
		return AccountWatch{}, vault.Record{}, err
	}
	w := st.Watch(account)
	if w == nil {
		return AccountWatch{}, vault.Record{}, ErrNoWatchKey
	}
	rec, err := s.record(w.KeyID)
	if err != nil {
		return *w, vault.Record{}, ErrNoWatchKey
	}
	return *w, rec, nil
}

// foldAccount is how accounts are matched, as the review rules match them.
func foldAccount(a string) string { return strings.ToLower(strings.TrimSpace(a)) }

// explainActivity puts the account watch's own errors in plain words.
func explainActivity(err error) (string, bool) {
	var refused *WatchRefusedError
	var damaged *ActivityDamagedError
	switch {
	case errors.As(err, &refused):
		return upperFirst(refused.Error()) + ". Nothing was changed.", true
	case errors.As(err, &damaged):
		return "The account watch's file (" + damaged.Path + ") was damaged: " + damaged.Reason + ". The watch is off until you choose the watch key again (keywarden watch NAME); the damaged file is kept beside it.", true
	case errors.Is(err, ErrNoWatchKey):
		return upperFirst(ErrNoWatchKey.Error()) + ".", true
	case errors.Is(err, check.ErrTypedCode):
		return "The watch key needs a typed 2FA code for every call, so it cannot read the ledger unattended: choose a watch key with an authenticator seed, or without 2FA but with an IP allow-list.", true
	}
	return "", false
}
