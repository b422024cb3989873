package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/keywarden/keywarden/app/check"
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
}

// checked is one key's result, after the readback was saved.
type checked struct {
	rec       vault.Record
	rb        vault.Readback
	findings  []review.Finding
	attention bool
}

// checkKeys reads the chosen keys back from the exchange, different keys in
// parallel, saves every readback in one store update and prints the
// results with the findings. The exit code is ExitOK when nothing needs
// attention, ExitAttention when something does, ExitError when a check
// failed or could not be saved.
func checkKeys(ctx context.Context, e *env, in checkInput) (int, error) {
	store, d, err := e.load()
	if err != nil {
		return ExitError, err
	}
	runner, err := e.runner()
	if err != nil {
		return ExitError, err
	}
	now := e.now()

	var recs []vault.Record
	var skips []skipped
	if in.All {
		for _, r := range d.Records {
			if r.Status != vault.StatusRevoked {
				recs = append(recs, r)
			}
		}
	} else {
		seen := map[string]bool{}
		for _, ref := range in.Refs {
			r, err := find(d, ref)
			if err != nil {
				return ExitError, err
			}
			if seen[r.ID] {
				continue
			}
			seen[r.ID] = true
			if r.Status == vault.StatusRevoked {
				skips = append(skips, skipped{ID: r.ID, Name: r.Name, named: true,
					Reason: "it is revoked and its secret is no longer kept, so there is nothing to check with"})
				continue
			}
			recs = append(recs, *r)
		}
	}

	codes := map[string]string{}
	var toCheck []vault.Record
	for _, r := range recs {
		if r.TwoFA == vault.TwoFATyped {
			code := in.OTP
			if code == "" && e.interactive() && !in.JSON {
				code, _ = e.askCode(fmt.Sprintf("2FA code for %q (input hidden; Enter to skip it): ", r.Name))
			}
			if code == "" {
				skips = append(skips, skipped{ID: r.ID, Name: r.Name, named: !in.All,
					Reason: "it has 2FA: give its current code in KEYWARDEN_OTP, or with --otp - on standard input"})
				continue
			}
			codes[r.ID] = code
		}
		toCheck = append(toCheck, r)
	}

	results := runner.CheckAll(ctx, toCheck, func(r vault.Record) string { return codes[r.ID] }, now)

	var done []checked
	var all []vault.Record
	saveErr := store.Update(func(d *vault.Data) error {
		done = done[:0]
		for _, res := range results {
			r, err := d.ByID(res.Record.ID)
			if err != nil {
				continue // removed meanwhile: nothing to save it in
			}
			check.Apply(r, res.Readback)
			done = append(done, checked{rec: *r, rb: res.Readback})
		}
		all = append(all[:0], d.Records...)
		return nil
	})
	if saveErr != nil {
		// Show what the exchange said anyway; the records are as loaded.
		done = done[:0]
		for _, res := range results {
			r := res.Record
			check.Apply(&r, res.Readback)
			done = append(done, checked{rec: r, rb: res.Readback})
		}
		all = d.Records
	}
	gone := len(results) - len(done)

	attention, failed := 0, 0
	for i := range done {
		c := &done[i]
		c.findings = review.Findings(c.rec, all, now)
		c.attention = review.NeedsAttention(c.rec, all, now)
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
	code := ExitOK
	switch {
	case failed > 0 || saveErr != nil:
		code = ExitError
	case attention > 0:
		code = ExitAttention
	}

	if in.JSON {
		if err := writeJSON(e.out, checkJSON(now, done, skips, attention, failed, saveErr == nil, code)); err != nil {
			return ExitError, err
		}
	} else {
		writeChecks(e, done, skips, gone, attention, failed)
	}
	if saveErr != nil {
		e.say("keywarden: the results above could not be saved. %s", message(saveErr))
	}
	return code, nil
}

func writeChecks(e *env, done []checked, skips []skipped, gone, attention, failed int) {
	w := e.out
	if len(done)+len(skips) == 0 {
		fmt.Fprintln(w, "No keys to check. Add one with \"keywarden add\".")
		return
	}
	for _, c := range done {
		fmt.Fprintf(w, "%s: %s\n", c.rec.Name, outcomeWords(&c.rb))
		switch c.rb.Outcome {
		case vault.OutcomeOK:
			fmt.Fprintf(w, "  Permissions: %s  [%s]\n", permWords(c.rb.Permissions), kraken.MaxRisk(c.rb.Permissions))
			extra, missing := drift(c.rec.Intended, c.rb)
			if len(extra)+len(missing) > 0 {
				fmt.Fprintln(w, "  Differences from what was intended:")
				writeDrift(w, "    ", extra, missing)
			}
		default:
			fmt.Fprintf(w, "  %s\n", c.rb.Problem)
		}
		writeFindings(w, "  ", c.findings)
	}
	for _, s := range skips {
		fmt.Fprintf(w, "%s: not checked: %s.\n", s.Name, s.Reason)
	}
	if gone > 0 {
		fmt.Fprintf(w, "%s removed while being checked; the results were dropped.\n", count(gone, "key was", "keys were"))
	}
	fmt.Fprintf(w, "Checked %s: %s attention, %d could not be checked.\n", count(len(done), "key", "keys"), count(attention, "needs", "need"), failed)
}

// jsonCheck is check --json.
type jsonCheck struct {
	CheckedAt     time.Time         `json:"checkedAt"`
	Results       []jsonCheckResult `json:"results"`
	Skipped       []skipped         `json:"skipped"`
	NeedAttention int               `json:"needAttention"`
	Failed        int               `json:"failed"`
	Saved         bool              `json:"saved"`
	ExitCode      int               `json:"exitCode"`
}

// jsonCheckResult is one key in check --json.
type jsonCheckResult struct {
	ID        string              `json:"id"`
	Name      string              `json:"name"`
	Status    vault.Status        `json:"status"`
	State     review.DisplayState `json:"state"`
	Outcome   vault.Outcome       `json:"outcome"`
	Problem   string              `json:"problem,omitempty"`
	Attention bool                `json:"needsAttention"`
	Readback  vault.Readback      `json:"readback"`
	Drift     *jsonDrift          `json:"drift,omitempty"`
	Findings  []jsonFinding       `json:"findings"`
}

func checkJSON(now time.Time, done []checked, skips []skipped, attention, failed int, saved bool, code int) jsonCheck {
	out := jsonCheck{CheckedAt: now, Results: []jsonCheckResult{}, Skipped: skips, NeedAttention: attention,
		Failed: failed, Saved: saved, ExitCode: code}
	if out.Skipped == nil {
		out.Skipped = []skipped{}
	}
	for _, c := range done {
		res := jsonCheckResult{ID: c.rec.ID, Name: c.rec.Name, Status: c.rec.Status, State: review.State(c.rec, now),
			Outcome: c.rb.Outcome, Problem: c.rb.Problem, Attention: c.attention, Readback: c.rb, Findings: jsonFindings(c.findings)}
		if c.rb.Outcome == vault.OutcomeOK {
			res.Drift = newJSONDrift(drift(c.rec.Intended, c.rb))
		}
		out.Results = append(out.Results, res)
	}
	return out
}
