package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

const checkUsage = "check [--all | NAME...] [--json] [--otp CODE]"

// checkInput is what check needs. No names and no All mean all keys.
type checkInput struct {
	All  bool
	Refs []string
	JSON bool
	OTP  string // the code for keys whose 2FA code is typed at each check
}

func runCheck(e *env, args []string) int {
	fs := newFlags(e, "check", checkUsage)
	all := fs.Bool("all", false, "check every key in use (the default when no name is given)")
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	otp := fs.String("otp", "", "the current 2FA `code`, for keys whose code is typed at each check")
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	if *all && len(pos) > 0 {
		return e.fail(usageErr("Give either --all or key names, not both.\nusage: keywarden %s", checkUsage))
	}
	keyCode, err := e.keyCode(*otp)
	if err != nil {
		return e.fail(err)
	}
	code, err := checkKeys(context.Background(), e, checkInput{All: *all || len(pos) == 0, Refs: pos, JSON: *asJSON, OTP: keyCode})
	if err != nil {
		return e.fail(err)
	}
	return code
}

// skipped is a key that was not checked, and why.
type skipped struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
	named  bool   // asked for by name: not checking it is an error
	quiet  bool   // a revoked key "check --all" leaves out: not worth a line
}

// checked is one key's result, after the readback was saved, with what the
// snapshot taken after the check makes of it.
type checked struct {
	rec        vault.Record
	rb         vault.Readback
	findings   []review.Finding
	attention  bool
	state      review.DisplayState
	nextReview *time.Time
	reviewDue  bool
}

// checkKeys reads the chosen keys back from the exchange and saves the
// answers through the service, then prints the results with the findings.
// With All it is the window's "Check all" (keys.Service.CheckAll: retired
// keys are left out, and keys whose 2FA code is typed are taken only with
// a code); keys named are checked one by one (keys.Service.Check), and a
// named key that cannot be checked is an error. The exit code is ExitError
// when a check failed or could not be saved, else ExitAttention when a key
// needs attention (with All: any key, as the tray counts them), else
// ExitOK.
func checkKeys(ctx context.Context, e *env, in checkInput) (int, error) {
	svc, err := e.service(true)
	if err != nil {
		return ExitError, err
	}
	snap, err := e.snapshot(svc)
	if err != nil {
		return ExitError, err
	}

	run, err := runChecks(ctx, e, svc, snap, in)
	if err != nil {
		return ExitError, err
	}
	results, skips, gone, saveErr := run.results, run.skips, run.gone, run.saveErr

	after, err := svc.Snapshot()
	if err != nil {
		return ExitError, err
	}
	var done []checked
	for _, res := range results {
		rec, ok := after.Record(res.Record.ID)
		if !ok {
			gone++ // removed meanwhile: nothing to show it in
			continue
		}
		done = append(done, checked{rec: rec, rb: res.Readback, findings: after.Findings(rec.ID),
			attention: after.NeedsAttention(rec.ID), state: after.State(rec.ID),
			nextReview: nextReview(after, rec.ID), reviewDue: after.ReviewDue(rec.ID)})
	}

	attention, failed := 0, 0
	for _, c := range done {
		if c.rb.Outcome == vault.OutcomeError {
			failed++
		} else if c.attention {
			attention++
		}
	}
	for _, s := range skips {
		if s.named {
			failed++
		}
	}
	total := after.AttentionCount()
	code := ExitOK
	switch {
	case failed > 0 || saveErr != nil:
		code = ExitError
	case attention > 0, in.All && total > 0:
		code = ExitAttention
	}

	if in.JSON {
		if err := writeJSON(e.rawOut, checkJSON(e.now(), done, skips, attention, total, failed, saveErr == nil, code)); err != nil {
			return ExitError, err
		}
	} else {
		writeChecks(e, in, done, skips, gone, attention, total, failed)
	}
	if saveErr != nil {
		e.say("keywarden: the results above could not be saved. %s", message(saveErr))
	}
	return code, nil
}

// checkRun is what the service did for check.
type checkRun struct {
	results []check.Result
	skips   []skipped
	gone    int   // keys named that were removed meanwhile
	saveErr error // the answers could not be saved
}

// runChecks has the service check all keys ("Check all") or the keys
// named; the error is one that ended the run before anything was done.
func runChecks(ctx context.Context, e *env, svc *keys.Service, snap *keys.Snapshot, in checkInput) (checkRun, error) {
	var run checkRun
	if in.All {
		take, _ := snap.CheckAllTargets(func(vault.Record) bool { return true })
		codes := map[string]string{}
		for _, r := range take {
			if code := e.codeFor(r, in); code != "" {
				codes[r.ID] = code
			}
		}
		rep, err := svc.CheckAll(ctx, func(r vault.Record) string { return codes[r.ID] })
		if err != nil && len(rep.Results) == 0 {
			return run, err
		}
		run.saveErr, run.results = err, rep.Results
		for _, sk := range rep.Skipped {
			run.skips = append(run.skips, skipOf(sk))
		}
		return run, nil
	}
	var ids []string
	for _, ref := range in.Refs {
		r, err := find(snap, ref)
		if err != nil {
			return run, err
		}
		ids = append(ids, r.ID)
	}
	rep, err := svc.CheckNamed(ctx, ids, func(r vault.Record) string { return e.codeFor(r, in) })
	if err != nil && len(rep.Results)+len(rep.Skipped)+rep.Gone == 0 {
		return run, err
	}
	run.saveErr, run.results, run.gone = err, rep.Results, rep.Gone
	for _, sk := range rep.Skipped {
		run.skips = append(run.skips, namedSkip(sk))
	}
	return run, nil
}

// codeFor returns the 2FA code to check r with, for a key whose code is
// typed at each check: --otp, or asked on a terminal; "" for other keys.
func (e *env) codeFor(r vault.Record, in checkInput) string {
	if r.TwoFA != vault.TwoFATyped {
		return ""
	}
	code := in.OTP
	if code == "" && e.interactive() && !in.JSON {
		code, _ = e.askCode(fmt.Sprintf("2FA code for %q (input hidden; Enter to skip it): ", r.Name))
	}
	return strings.TrimSpace(code)
}

// skipOf words a key "check --all" left out for the command line, in the
// words every face uses (keys.Skipped.Advice).
func skipOf(sk keys.Skipped) skipped {
	return skipped{ID: sk.Record.ID, Name: sk.Record.Name, Reason: sk.Advice(keys.OnCommandLine), quiet: sk.Quiet()}
}

// namedSkip words a key named that was not checked: not checking it is an
// error.
func namedSkip(sk keys.Skipped) skipped {
	s := skipped{ID: sk.Record.ID, Name: sk.Record.Name, Reason: clause(sk.Reason), named: true}
	if ok, _ := keys.Can(sk.Record, keys.ActCheck); ok && sk.Record.TwoFA == vault.TwoFATyped {
		s.Reason = sk.Advice(keys.OnCommandLine) // with how to give the code here
	}
	return s
}

// clause turns a sentence into a clause that follows a colon: "It is
// revoked." becomes "it is revoked".
func clause(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		s = string(s[0]-'A'+'a') + s[1:]
	}
	return s
}

func writeChecks(e *env, in checkInput, done []checked, skips []skipped, gone, attention, total, failed int) {
	w := e.out
	if len(done)+len(skips) == 0 {
		fmt.Fprintln(w, "No keys to check. Add one with \"keywarden add\".")
		return
	}
	for _, c := range done {
		fmt.Fprintf(w, "%s: %s\n", safe(c.rec.Name), outcomeWords(&c.rb))
		switch c.rb.Outcome {
		case vault.OutcomeOK:
			fmt.Fprintf(w, "  Permissions: %s  [%s]\n", permWords(c.rb.Permissions), kraken.RiskWords(c.rb.Permissions))
			extra, missing := drift(c.rec.Intended, c.rb)
			if len(extra)+len(missing) > 0 {
				fmt.Fprintln(w, "  Differences from what was intended:")
				writeDrift(w, "    ", extra, missing)
			}
		default:
			fmt.Fprintf(w, "  %s\n", safe(c.rb.Problem))
		}
		writeFindings(w, "  ", c.findings)
	}
	for _, s := range skips {
		if !s.quiet {
			fmt.Fprintf(w, "%s: not checked: %s.\n", safe(s.Name), safe(s.Reason))
		}
	}
	if gone > 0 {
		fmt.Fprintf(w, "%s removed while being checked; the results were dropped.\n", count(gone, "key was", "keys were"))
	}
	fmt.Fprintf(w, "Checked %s: %s attention, %d could not be checked.\n", count(len(done), "key", "keys"), count(attention, "needs", "need"), failed)
	if in.All && total > attention {
		fmt.Fprintf(w, "In all, %s attention; \"keywarden list\" shows them.\n", count(total, "key needs", "keys need"))
	}
}

// jsonCheck is check --json. results are the keys checked, skipped those
// left out; needAttention counts the keys checked that need attention,
// attentionCount every key that does (the tray's count).
type jsonCheck struct {
	CheckedAt      time.Time         `json:"checkedAt"`
	Results        []jsonCheckResult `json:"results"`
	Skipped        []skipped         `json:"skipped"`
	NeedAttention  int               `json:"needAttention"`
	AttentionCount int               `json:"attentionCount"`
	Failed         int               `json:"failed"`
	Saved          bool              `json:"saved"`
	ExitCode       int               `json:"exitCode"`
}

// jsonCheckResult is one key in check --json.
type jsonCheckResult struct {
	ID         string              `json:"id"`
	Name       string              `json:"name"`
	Status     vault.Status        `json:"status"`
	State      review.DisplayState `json:"state"`
	Outcome    vault.Outcome       `json:"outcome"`
	Problem    string              `json:"problem,omitempty"`
	Attention  bool                `json:"needsAttention"`
	NextReview *time.Time          `json:"nextReview,omitempty"`
	ReviewDue  bool                `json:"reviewDue"`
	Readback   vault.Readback      `json:"readback"`
	Drift      *jsonDrift          `json:"drift,omitempty"`
	Findings   []jsonFinding       `json:"findings"`
}

func checkJSON(now time.Time, done []checked, skips []skipped, attention, total, failed int, saved bool, code int) jsonCheck {
	out := jsonCheck{CheckedAt: now, Results: []jsonCheckResult{}, Skipped: skips, NeedAttention: attention,
		AttentionCount: total, Failed: failed, Saved: saved, ExitCode: code}
	if out.Skipped == nil {
		out.Skipped = []skipped{}
	}
	for _, c := range done {
		res := jsonCheckResult{ID: c.rec.ID, Name: c.rec.Name, Status: c.rec.Status, State: c.state,
			Outcome: c.rb.Outcome, Problem: c.rb.Problem, Attention: c.attention, NextReview: c.nextReview,
			ReviewDue: c.reviewDue, Readback: c.rb, Findings: jsonFindings(c.findings)}
		if c.rb.Outcome == vault.OutcomeOK {
			res.Drift = newJSONDrift(drift(c.rec.Intended, c.rb))
		}
		out.Results = append(out.Results, res)
	}
	return out
}
