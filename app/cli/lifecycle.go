package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/app/keys"
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
	svc, rec, err := e.serviceFor(in.Ref, false)
	if err != nil {
		return err
	}
	if rec, err = svc.MarkReviewed(rec.ID, "marked reviewed from the command line"); err != nil {
		return err
	}
	msg := fmt.Sprintf("Marked %q reviewed.", rec.Name)
	if snap, err := e.snapshot(svc); err == nil {
		if next := nextReview(snap, rec.ID); next != nil {
			msg += fmt.Sprintf(" Next review: %s.", day(*next))
		}
	}
	fmt.Fprintln(e.out, msg)
	return nil
}

// serviceFor opens the key service (with the exchange when exchange is
// true) and finds the key named (or with the ID) ref among those it shows
// now: the first steps of every command on one key.
func (e *env) serviceFor(ref string, exchange bool) (*keys.Service, vault.Record, error) {
	svc, err := e.service(exchange)
	if err != nil {
		return nil, vault.Record{}, err
	}
	rec, err := findNow(e, svc, ref)
	return svc, rec, err
}

// findNow finds the key named (or with the ID) ref among those the
// service shows now.
func findNow(e *env, svc *keys.Service, ref string) (vault.Record, error) {
	snap, err := e.snapshot(svc)
	if err != nil {
		return vault.Record{}, err
	}
	r, err := find(snap, ref)
	if err != nil {
		return vault.Record{}, err
	}
	return *r, nil
}

// revokeInput is what revoke needs.
type revokeInput struct {
	Ref   string
	Force bool
	OTP   string
}

func runRevoke(e *env, args []string) int {
	fs := newFlags(e, "revoke", revokeUsage)
	force := fs.Bool("force", false, "record the key revoked even when the exchange does not confirm it (its secret is kept, so a later revoke can confirm it), or while the exchange shows it still in use after its rotation")
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
// key, then records it revoked and deletes its secret (keys.Service.Revoke);
// the record stays as history, and a leak stays remembered. Any other
// answer changes nothing, unless Force, which records it revoked anyway
// and keeps the secret, so a later revoke can still confirm it. The old key
// of a rotation that was used after its replacement was saved, and is not
// seen switched, is revoked only after a warning and a yes on a terminal,
// or with Force (confirmRotation).
func revoke(ctx context.Context, e *env, in revokeInput) error {
	svc, rec, err := e.serviceFor(in.Ref, true)
	if err != nil {
		return err
	}
	if goOn, err := mayRevoke(svc, e, rec, in.Force); err != nil || !goOn {
		return err
	}
	if rec.TwoFA == vault.TwoFATyped && in.OTP == "" && e.interactive() {
		in.OTP, _ = e.askCode(fmt.Sprintf("2FA code for %q (input hidden; Enter if you have none): ", rec.Name))
	}
	if rec.TwoFA == vault.TwoFATyped && in.OTP == "" && !in.Force {
		return usageErr("%q has 2FA: give its current code (typed when asked on a terminal, in KEYWARDEN_OTP, or with --otp - on standard input) so Keywarden can ask Kraken, or add --force if you are sure it is deleted on the website. Nothing was changed.", rec.Name)
	}

	res, err := svc.Revoke(ctx, rec.ID, in.OTP, in.Force)
	var unconfirmed *keys.NotConfirmedError
	switch {
	case errors.As(err, &unconfirmed) && unconfirmed.Readback.Outcome == vault.OutcomeOK:
		return &userError{msg: message(err) + fmt.Sprintf(" From here: run \"keywarden revoke %s\" again.", safe(rec.Name)), err: err}
	case errors.As(err, &unconfirmed):
		return &userError{msg: message(err) + " From here: add --force to record it revoked anyway.", err: err}
	case err != nil:
		return err
	}
	if res.Confirmed {
		fmt.Fprintf(e.out, "Kraken no longer knows %q: it is marked revoked.\n", rec.Name)
	} else {
		fmt.Fprintf(e.out, "%s\nMarked %q revoked anyway (--force); its history says so.\n", unconfirmedWords(rec, res.Readback), rec.Name)
	}
	switch {
	case res.SecretErr != nil:
		return &userError{msg: "The key is marked revoked, but its secret could not be removed from the system keyring yet. " + message(res.SecretErr) +
			" The next keywarden command removes it.", err: res.SecretErr}
	case res.Confirmed:
		fmt.Fprintln(e.out, "Its secret is removed from the system keyring; the record is kept as history.")
	default:
		fmt.Fprintf(e.out, "Its secret stays in the system keyring, so that \"keywarden revoke %s\" can confirm it later; \"keywarden remove %s\" deletes it.\n", safe(rec.Name), safe(rec.Name))
	}
	if svc := rec.UsedBy; len(svc) > 0 {
		fmt.Fprintf(e.out, "It was used by %s: give them a new key if they still need one.\n", safeList(svc, ", "))
	}
	if res.Record.Leaked() {
		fmt.Fprintln(e.out, "It had leaked, and stays marked so: look at recent account activity with another read-only key, change your account password and 2FA, and contact Kraken support if anything looks wrong. \"keywarden show "+safe(rec.Name)+"\" lists these steps.")
	}
	return nil
}

// mayRevoke reports whether revoke may go on with rec: the key can be
// revoked (if not, it says why), the person confirmed revoking the old key
// of a rotation still in use (confirmRotation), and gave the app 2FA code
// when it is on.
func mayRevoke(svc *keys.Service, e *env, rec vault.Record, force bool) (bool, error) {
	if ok, why := keys.Can(rec, keys.ActRevoke); !ok {
		fmt.Fprintf(e.out, "%q: %s\n", rec.Name, why)
		return false, nil
	}
	if goOn, err := confirmRotation(svc, e, rec, force); err != nil || !goOn {
		return false, err
	}
	if err := e.requireAppCode(fmt.Sprintf("revoke %q", rec.Name)); err != nil {
		return false, err
	}
	return true, nil
}

// unconfirmedWords says why a forced revocation was not confirmed.
func unconfirmedWords(rec vault.Record, rb vault.Readback) string {
	if rb.Outcome == vault.OutcomeOK {
		return fmt.Sprintf("Kraken still accepts %q: it has not been deleted, and whoever has it can use it.", rec.Name)
	}
	return "Keywarden could not confirm that Kraken no longer knows the key: " + safe(rb.Problem)
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

// remove deletes a key's secret and record (keys.Service.Remove), and the
// links a rotation made to it.
func remove(e *env, in removeInput) error {
	svc, rec, err := e.serviceFor(in.Ref, false)
	if err != nil {
		return err
	}
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
	if err := svc.Remove(rec.ID); err != nil {
		return removeFailed(svc, rec.ID, err)
	}
	fmt.Fprintf(e.out, "Removed %q and its secret.\n", rec.Name)
	if warn != "" && in.Yes {
		fmt.Fprintln(e.out, warn)
	}
	return nil
}

// removeFailed says what a failed remove left: nothing removed, or a
// secret gone whose record the next command removes.
func removeFailed(svc *keys.Service, id string, err error) error {
	if r, lerr := svc.Record(id); lerr == nil {
		if r.Pending != nil && r.Pending.Op == vault.PendingRemove {
			return &userError{msg: "The secret is removed, but the record could not be: " + message(err) + " The next keywarden command removes it.", err: err}
		}
	}
	var notAllowed *keys.NotAllowedError
	if errors.As(err, &notAllowed) || errors.Is(err, vault.ErrNotFound) {
		return err
	}
	if errors.Is(err, vault.ErrKeyringUnavailable) {
		return &userError{msg: "The secret could not be removed from the system keyring, so nothing was removed. " + message(err), err: err}
	}
	return &userError{msg: message(err) + " Nothing was removed.", err: err}
}
