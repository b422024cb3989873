package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

const (
	reviewUsage = "review NAME"
	revokeUsage = "revoke NAME [--force] [--otp CODE]"
	removeUsage = "remove NAME [--yes]"
)

// oneName parses a command that takes exactly one key name.
func oneName(pos []string, usage string) (string, error) {
	if len(pos) != 1 {
		return "", usageErr("Name one key (its name or ID).\nusage: keywarden %s", usage)
	}
	return pos[0], nil
}

// reviewInput is what review needs.
type reviewInput struct {
	Ref string
}

func runReview(e *env, args []string) int {
	fs := newFlags(e, "review", reviewUsage)
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	ref, err := oneName(pos, reviewUsage)
	if err == nil {
		err = markReviewed(e, reviewInput{Ref: ref})
	}
	if err != nil {
		return e.fail(err)
	}
	return ExitOK
}

// markReviewed records that the person looked at the key now.
func markReviewed(e *env, in reviewInput) error {
	store, err := e.store()
	if err != nil {
		return err
	}
	now := e.now()
	var rec vault.Record
	err = store.Update(func(d *vault.Data) error {
		r, err := find(d, in.Ref)
		if err != nil {
			return err
		}
		if r.Retired() {
			return &userError{msg: fmt.Sprintf("%q is %s: there is nothing left to review.", r.Name, r.Status)}
		}
		r.LastReviewed = now
		r.AddEvent(now, vault.EventReviewed, "marked reviewed from the command line")
		rec = *r
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "Marked %q reviewed. Next review: %s.\n", rec.Name, day(review.NextReview(rec, now)))
	return nil
}

// revokeInput is what revoke needs.
type revokeInput struct {
	Ref   string
	Force bool
	OTP   string
}

func runRevoke(e *env, args []string) int {
	fs := newFlags(e, "revoke", revokeUsage)
	force := fs.Bool("force", false, "record the key revoked and drop its secret even when the exchange does not confirm it")
	otp := fs.String("otp", "", "the current 2FA `code`, for a key whose code is typed at each check")
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	ref, err := oneName(pos, revokeUsage)
	var keyCode string
	if err == nil {
		keyCode, err = e.keyCode(*otp)
	}
	if err == nil {
		err = revoke(context.Background(), e, revokeInput{Ref: ref, Force: *force, OTP: keyCode})
	}
	if err != nil {
		return e.fail(err)
	}
	return ExitOK
}

// revoke confirms with one readback that the exchange no longer knows the
// key, then marks it revoked and deletes its secret; the record stays as
// history. Any other answer changes nothing, unless Force.
func revoke(ctx context.Context, e *env, in revokeInput) error {
	store, d, err := e.load()
	if err != nil {
		return err
	}
	r, err := find(d, in.Ref)
	if err != nil {
		return err
	}
	rec := *r
	if rec.Status == vault.StatusRevoked {
		fmt.Fprintf(e.out, "%q is already revoked.\n", rec.Name)
		return nil
	}
	if err := e.requireAppCode(fmt.Sprintf("revoke %q", rec.Name)); err != nil {
		return err
	}
	runner, err := e.runner()
	if err != nil {
		return err
	}
	if rec.TwoFA == vault.TwoFATyped && in.OTP == "" && e.interactive() {
		in.OTP, _ = e.askCode(fmt.Sprintf("2FA code for %q (input hidden; Enter if you have none): ", rec.Name))
	}
	if rec.TwoFA == vault.TwoFATyped && in.OTP == "" && !in.Force {
		return usageErr("%q has 2FA: give its current code (typed when asked on a terminal, in KEYWARDEN_OTP, or with --otp - on standard input) so Keywarden can ask Kraken, or add --force if you are sure it is deleted on the website. Nothing was changed.", rec.Name)
	}

	now := e.now()
	rb := runner.Check(ctx, rec, check.Options{OTP: in.OTP, NoProbes: true}, now)
	confirmed := rb.Outcome == vault.OutcomeInvalidKey
	var why string
	switch rb.Outcome {
	case vault.OutcomeInvalidKey:
	case vault.OutcomeOK:
		why = fmt.Sprintf("Kraken still accepts %q: it has not been deleted, and whoever has it can use it.", rec.Name)
		if !in.Force {
			return &userError{msg: why + " Delete it on the Kraken website (Settings → API), then run \"keywarden revoke " + rec.Name + "\" again. Nothing was changed."}
		}
	default:
		why = "Keywarden could not confirm that Kraken no longer knows the key: " + rb.Problem
		if !in.Force {
			return &userError{msg: why + " Nothing was changed. Fix that and run revoke again; if you are sure the key is deleted on the website, add --force."}
		}
	}

	note := "confirmed: the exchange answers \"invalid key\""
	if !confirmed {
		note = "forced: " + outcomeNote(rb)
	}
	err = store.Update(func(d *vault.Data) error {
		r, err := d.ByID(rec.ID)
		if err != nil {
			return &userError{msg: fmt.Sprintf("%q was removed meanwhile; nothing was changed.", rec.Name), err: err}
		}
		check.Apply(r, rb)
		r.Status = vault.StatusRevoked
		r.AddEvent(now, vault.EventRevoked, note)
		return nil
	})
	if err != nil {
		return err
	}
	if confirmed {
		fmt.Fprintf(e.out, "Kraken no longer knows %q: it is marked revoked.\n", rec.Name)
	} else {
		fmt.Fprintf(e.out, "%s\nMarked %q revoked anyway (--force); its history says so.\n", why, rec.Name)
	}
	if err := e.secrets.Delete(rec.ID); err != nil && !errors.Is(err, vault.ErrSecretNotFound) {
		return &userError{msg: "The key is marked revoked, but its secret could not be removed from the system keyring. " + message(err) +
			fmt.Sprintf(" Then remove it there by hand (service %q, user %s).", vault.KeyringService, rec.ID), err: err}
	}
	fmt.Fprintln(e.out, "Its secret is removed from the system keyring; the record is kept as history.")
	if svc := rec.UsedBy; len(svc) > 0 {
		fmt.Fprintf(e.out, "It was used by %s: give them a new key if they still need one.\n", strings.Join(svc, ", "))
	}
	if rec.Status == vault.StatusCompromised {
		fmt.Fprintln(e.out, "It had leaked: look at recent account activity with another read-only key, change your account password and 2FA, and contact Kraken support if anything looks wrong.")
	}
	return nil
}

// outcomeNote says in a history line what the confirming readback found.
func outcomeNote(rb vault.Readback) string {
	if rb.Outcome == vault.OutcomeOK {
		return "the exchange still accepted the key"
	}
	return "the exchange's answer did not confirm it: " + rb.Problem
}

// removeInput is what remove needs.
type removeInput struct {
	Ref string
	Yes bool
}

func runRemove(e *env, args []string) int {
	fs := newFlags(e, "remove", removeUsage)
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	ref, err := oneName(pos, removeUsage)
	if err == nil {
		err = remove(e, removeInput{Ref: ref, Yes: *yes})
	}
	if err != nil {
		return e.fail(err)
	}
	return ExitOK
}

// remove deletes a key's secret and record. The secret goes first: a
// secret left without a record would be one nobody can find again.
func remove(e *env, in removeInput) error {
	store, d, err := e.load()
	if err != nil {
		return err
	}
	r, err := find(d, in.Ref)
	if err != nil {
		return err
	}
	rec := *r
	if err := e.requireAppCode(fmt.Sprintf("remove %q", rec.Name)); err != nil {
		return err
	}
	warn := ""
	if !rec.Retired() {
		warn = "This only removes it from Keywarden: the key keeps working on Kraken until you delete it on the website (Settings → API). To retire a key and keep its history, use \"keywarden revoke\"."
	}
	if !in.Yes {
		if !e.interactive() {
			return usageErr("Removing %q deletes its record and secret for good. Add --yes to confirm.", rec.Name)
		}
		if warn != "" {
			e.say("%s", warn)
		}
		answer, _ := e.ask(fmt.Sprintf("Remove %q (ID %s) and its secret? Type yes to confirm: ", rec.Name, rec.ID))
		if !strings.EqualFold(strings.TrimSpace(answer), "yes") {
			fmt.Fprintln(e.out, "Nothing was removed.")
			return nil
		}
	}
	if err := e.secrets.Delete(rec.ID); err != nil && !errors.Is(err, vault.ErrSecretNotFound) {
		return &userError{msg: "The secret could not be removed from the system keyring, so nothing was removed. " + message(err), err: err}
	}
	err = store.Update(func(d *vault.Data) error {
		if err := d.Remove(rec.ID); err != nil && !errors.Is(err, vault.ErrNotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		return &userError{msg: "The secret is removed, but the record could not be: " + message(err) + " Run remove again.", err: err}
	}
	fmt.Fprintf(e.out, "Removed %q and its secret.\n", rec.Name)
	if warn != "" && in.Yes {
		fmt.Fprintln(e.out, warn)
	}
	return nil
}
