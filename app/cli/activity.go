package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

const (
	watchUsage    = "watch NAME [--expect-withdrawals | --no-expect-withdrawals] [--ask-above ASSET=AMOUNT,...]"
	activityUsage = "activity [--since DURATION] [--json] | activity ok REFID | activity not-me REFID"
)

// watchInput is what watch needs.
type watchInput struct {
	Ref string
	// Expect is nil when the person did not say; else whether withdrawals
	// from the account are expected.
	Expect   *bool
	AskAbove map[string]string
}

func runWatch(e *env, args []string) int {
	fs := newFlags(e, "watch", watchUsage)
	expect := fs.Bool("expect-withdrawals", false, "withdrawals from this account are expected: they ask only above --ask-above")
	noExpect := fs.Bool("no-expect-withdrawals", false, "every withdrawal from this account asks (the default)")
	above := fs.String("ask-above", "", "with --expect-withdrawals, the `ASSET=AMOUNT` list above which a withdrawal still asks (BTC=0.1,USD=500)")
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	ref, err := oneName(pos, watchUsage)
	if err != nil {
		return e.fail(err)
	}
	in := watchInput{Ref: ref}
	if *expect && *noExpect {
		return e.fail(usageErr("Give --expect-withdrawals or --no-expect-withdrawals, not both.\nusage: keywarden %s", watchUsage))
	}
	if *expect || *noExpect {
		in.Expect = expect
	}
	if in.AskAbove, err = parseAskAbove(*above); err != nil {
		return e.fail(err)
	}
	if err := setWatch(e, in); err != nil {
		return e.fail(err)
	}
	return ExitOK
}

// parseAskAbove reads "BTC=0.1,USD=500".
func parseAskAbove(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, part := range splitList(s) {
		asset, amount, ok := strings.Cut(part, "=")
		if !ok || strings.TrimSpace(asset) == "" {
			return nil, usageErr("Write --ask-above as ASSET=AMOUNT pairs, such as BTC=0.1,USD=500.\nusage: keywarden %s", watchUsage)
		}
		out[strings.ToUpper(strings.TrimSpace(asset))] = strings.TrimSpace(amount)
	}
	return out, nil
}

// setWatch makes the key its account's watch key (checked on the exchange
// first), then records what to expect of withdrawals if the person said.
func setWatch(e *env, in watchInput) error {
	svc, rec, err := e.serviceFor(in.Ref, true)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), keys.CheckTimeout)
	defer cancel()
	if rec, err = svc.SetWatchKey(ctx, rec.ID); err != nil {
		return err
	}
	if in.Expect != nil || len(in.AskAbove) > 0 {
		expect := in.Expect != nil && *in.Expect
		if in.Expect == nil {
			w, _, _ := svc.WatchedAccount(rec.Account)
			expect = w.WithdrawalsExpected
		}
		if err := svc.SetWithdrawalsExpected(rec.Account, expect, in.AskAbove); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.out, "%q now watches %s: Keywarden reads its ledger from now on and asks about what none of your keys was meant to do. See it with: keywarden activity\n",
		rec.Name, accountWords(rec.Account))
	return nil
}

func accountWords(account string) string {
	if strings.TrimSpace(account) == "" {
		return "the account of your keys without an account name"
	}
	return fmt.Sprintf("the account %q", account)
}

// activityInput is what activity needs.
type activityInput struct {
	Since time.Duration // 0: the entries new since the last look
	JSON  bool
}

func runActivity(e *env, args []string) int {
	if len(args) > 0 && (args[0] == "ok" || args[0] == "not-me") {
		return runAnswer(e, args[0] == "ok", args[1:])
	}
	fs := newFlags(e, "activity", activityUsage)
	since := fs.String("since", "", "list the ledger of this `DURATION` back (90m, 24h, 7d) instead of what is new since the last look")
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	if len(pos) > 0 {
		return e.fail(usageErr("%q is not an activity command.\nusage: keywarden %s", pos[0], activityUsage))
	}
	in := activityInput{JSON: *asJSON}
	if *since != "" {
		if in.Since, err = parseSince(*since); err != nil {
			return e.fail(err)
		}
	}
	code, err := showActivity(e, in)
	if err != nil {
		return e.fail(err)
	}
	return code
}

// parseSince reads a duration in Go's form (90m, 36h) or in days (7d).
func parseSince(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n > 0 && n <= 3650 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	} else if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, nil
	}
	return 0, usageErr("Give --since as a length of time back, such as 90m, 24h or 7d.\nusage: keywarden %s", activityUsage)
}

// accountActivity is one account's part of the output.
type accountActivity struct {
	Account string      `json:"account"`
	Calls   int         `json:"calls"`
	More    bool        `json:"more,omitempty"`
	Partial bool        `json:"partial,omitempty"`
	Problem string      `json:"problem,omitempty"`
	Entries []jsonEntry `json:"entries"`
}

// jsonEntry is a ledger entry with its verdict, as activity prints it.
type jsonEntry struct {
	LedgerID string    `json:"ledgerId"`
	RefID    string    `json:"refId"`
	Time     time.Time `json:"time"`
	Type     string    `json:"type"`
	Subtype  string    `json:"subtype,omitempty"`
	Asset    string    `json:"asset"`
	Amount   string    `json:"amount"`
	Words    string    `json:"words"`
	Ask      bool      `json:"needsAnswer"`
	Answered bool      `json:"answered,omitempty"`
	Why      string    `json:"why"`
	Could    []string  `json:"couldHaveDoneIt,omitempty"`
}

// showActivity reads the ledgers (new entries, or --since) and prints
// them with their verdicts and every open question. It returns
// ExitAttention when a question is open (or, with --since, an entry
// needs an answer nobody gave), ExitError when an account could not be
// read, else ExitOK.
func showActivity(e *env, in activityInput) (int, error) {
	svc, err := e.service(true)
	if err != nil {
		return ExitError, err
	}
	st, err := svc.Activity()
	if err != nil {
		return ExitError, err
	}
	if len(st.Watches) == 0 {
		return ExitError, keys.ErrNoWatchKey
	}
	recs, err := svc.Records()
	if err != nil {
		return ExitError, err
	}
	names := map[string]string{}
	for _, r := range recs {
		names[r.ID] = r.Name
	}
	ctx, cancel := context.WithTimeout(context.Background(), keys.CheckTimeout)
	defer cancel()
	accounts, asks := readActivity(ctx, svc, st, in, names)
	if st, err = svc.Activity(); err != nil {
		return ExitError, err
	}
	code := ExitOK
	for _, a := range accounts {
		if a.Problem != "" {
			code = ExitError
		}
	}
	if len(st.Questions) > 0 || asks {
		code = ExitAttention // what needs an answer matters more than a read that failed
	}
	if in.JSON {
		return code, writeJSON(e.rawOut, struct {
			Accounts  []accountActivity `json:"accounts"`
			Questions []jsonEntry       `json:"questions"`
		}{accounts, questionEntries(st.Questions, names, svc.Now())})
	}
	printActivity(e.out, accounts, st.Questions, names, svc.Now())
	return code, nil
}

// readActivity polls, or lists since in.Since, every watched account.
func readActivity(ctx context.Context, svc *keys.Service, st keys.ActivityState, in activityInput, names map[string]string) (out []accountActivity, asks bool) {
	now := svc.Now()
	toJSON := func(list []keys.ReadEntry) []jsonEntry {
		entries := []jsonEntry{}
		for _, r := range list {
			entries = append(entries, entryJSON(r.Entry.ID, r.Entry.RefID, r.Entry.Time, r.Entry.Type, r.Entry.Subtype, r.Entry.Asset, r.Entry.Amount, r.Verdict, r.Answered, names, now))
			asks = asks || (r.Verdict.Ask && !r.Answered)
		}
		return entries
	}
	if in.Since > 0 {
		for _, w := range st.Watches {
			list, err := svc.ActivitySince(ctx, w.Account, now.Add(-in.Since))
			a := accountActivity{Account: w.Account, Partial: list.Partial, Entries: toJSON(list.Entries)}
			if err != nil {
				a.Problem = keys.UserMessage(err)
			}
			out = append(out, a)
		}
		return out, asks
	}
	polls, err := svc.PollActivity(ctx)
	if err != nil {
		return []accountActivity{{Problem: keys.UserMessage(err), Entries: []jsonEntry{}}}, false
	}
	for _, p := range polls {
		a := accountActivity{Account: p.Account, Calls: p.Calls, More: p.More, Entries: toJSON(p.Read)}
		if p.Err != nil {
			a.Problem = keys.UserMessage(p.Err)
		}
		out = append(out, a)
	}
	return out, false // new questions are in the state, counted there
}

func entryJSON(id, ref string, at time.Time, kind, sub, asset, amount string, v keys.Verdict, answered bool, names map[string]string, now time.Time) jsonEntry {
	j := jsonEntry{LedgerID: id, RefID: ref, Time: at.UTC(), Type: kind, Subtype: sub, Asset: asset, Amount: amount,
		Ask: v.Ask, Answered: answered, Why: v.Why}
	j.Words = keys.EntryWords(keys.Question{LedgerID: id, RefID: ref, Time: at, Type: kind, Subtype: sub, Asset: asset, Amount: amount}.Entry(), now, time.Local)
	for _, id := range v.Could {
		if n, ok := names[id]; ok {
			j.Could = append(j.Could, n)
		} else {
			j.Could = append(j.Could, id)
		}
	}
	return j
}

func questionEntries(qs []keys.Question, names map[string]string, now time.Time) []jsonEntry {
	out := []jsonEntry{}
	for _, q := range qs {
		out = append(out, entryJSON(q.LedgerID, q.RefID, q.Time, q.Type, q.Subtype, q.Asset, q.Amount, q.Verdict, false, names, now))
	}
	return out
}

// printActivity writes the accounts' entries and the open questions. w is
// the escaping writer: every exchange text is escaped once more there.
func printActivity(w io.Writer, accounts []accountActivity, qs []keys.Question, names map[string]string, now time.Time) {
	for _, a := range accounts {
		fmt.Fprintf(w, "%s: %s\n", upper(accountWords(a.Account)), readWords(a))
		for _, en := range a.Entries {
			verdict := "fine: " + en.Why
			switch {
			case en.Ask && en.Answered:
				verdict = "answered"
			case en.Ask:
				verdict = "needs an answer: " + en.Why
			}
			fmt.Fprintf(w, "  %s — %s\n", safe(en.Words), safe(verdict))
		}
		if a.Problem != "" {
			fmt.Fprintf(w, "  Stopped: %s\n", safe(a.Problem))
		}
	}
	if len(qs) == 0 {
		fmt.Fprintln(w, "Nothing needs an answer.")
		return
	}
	fmt.Fprintf(w, "\n%s:\n", upper(count(len(qs), "entry needs your answer", "entries need your answer")))
	for _, en := range questionEntries(qs, names, now) {
		fmt.Fprintf(w, "  %s — was this you? (%s)\n", safe(en.Words), safe(en.Why))
		fmt.Fprintf(w, "    It was me:  keywarden activity ok %s\n", safe(en.RefID))
		fmt.Fprintf(w, "    Not me:     keywarden activity not-me %s\n", safe(en.RefID))
	}
}

func readWords(a accountActivity) string {
	n := count(len(a.Entries), "entry", "entries")
	switch {
	case a.Calls > 0 && a.More:
		return fmt.Sprintf("%s new in %s; there is more, read at the next look", n, count(a.Calls, "call", "calls"))
	case a.Calls > 0:
		return fmt.Sprintf("%s new (%s)", n, count(a.Calls, "call", "calls"))
	case a.Partial:
		return n + " (the newest; there are more)"
	}
	return n
}

func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// runAnswer records "It was me" (ok) or "Not me" for a reference.
func runAnswer(e *env, me bool, args []string) int {
	if len(args) != 1 {
		return e.fail(usageErr("Give the entry's reference, as keywarden activity shows it.\nusage: keywarden %s", activityUsage))
	}
	svc, err := e.service(false)
	if err != nil {
		return e.fail(err)
	}
	closed, err := svc.AnswerActivity(args[0], me)
	if err != nil {
		return e.fail(err)
	}
	if me {
		fmt.Fprintf(e.out, "Noted: it was you. Keywarden will not ask about %s again.\n", safe(args[0]))
		return ExitOK
	}
	printNotMe(e.out, svc, closed)
	return ExitOK
}

// printNotMe says what to do when the person did not make an entry: revoke
// the keys that could have, or, when none could, secure the website login.
func printNotMe(w io.Writer, svc *keys.Service, closed []keys.Question) {
	var could []vault.Record
	seen := map[string]bool{}
	for _, q := range closed {
		for _, id := range q.Verdict.Could {
			if r, err := svc.Record(id); err == nil && !seen[id] {
				seen[id] = true
				could = append(could, r)
			}
		}
	}
	if len(could) == 0 {
		fmt.Fprintln(w, "None of your keys in Keywarden could have done this, so the website login itself is the likely door.")
		fmt.Fprintln(w, "First: sign in to Kraken, change the password, reset 2FA, and sign out every other session (Settings → Security).")
		fmt.Fprintln(w, "Then look at recent withdrawals and withdrawal addresses, and contact Kraken support.")
		return
	}
	fmt.Fprintln(w, "These keys could have done it. Treat them as leaked: delete them on Kraken's website (Settings → API) now, then:")
	for _, r := range could {
		fmt.Fprintf(w, "  keywarden revoke %q   (%s)\n", safe(r.Name), safe(keys.StatusWords(r)))
	}
	fmt.Fprintln(w, "The window's “Leaked…” runbook walks through the rest: a replacement, the account's activity, password and 2FA, support.")
}
