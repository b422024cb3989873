package cli

import (
	"fmt"
	"strings"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
)

// rotationWarning returns the warning revoke gives before retiring the old
// key of a rotation that was used after its replacement was saved and is
// not seen switched (the same verdict every face shows), or "" when there
// is none.
func rotationWarning(svc *keys.Service, e *env, rec vault.Record) (string, error) {
	snap, err := e.snapshot(svc)
	if err != nil {
		return "", err
	}
	rot, ok := snap.Rotation(rec.ID)
	if !ok || !rot.OldUsedSinceSaved || rot.State == review.RotationSwitched {
		return "", nil
	}
	return fmt.Sprintf("%q was used after its replacement %q was saved: %s. %s Revoking it stops whatever still uses it.",
		rec.Name, rot.NewName, lowerFirstWord(rot.Title), rot.Detail), nil
}

// confirmRotation asks before revoking the old key of a rotation still in
// use (rotationWarning): on a terminal the person types yes; without one,
// --force is needed. It reports whether to go on.
func confirmRotation(svc *keys.Service, e *env, rec vault.Record, force bool) (bool, error) {
	warn, err := rotationWarning(svc, e, rec)
	if err != nil || warn == "" {
		return err == nil, err
	}
	if force {
		e.say("%s", safe(warn))
		return true, nil
	}
	if !e.interactive() {
		return false, usageErr("%s Add --force to revoke it anyway. Nothing was changed.", safe(warn))
	}
	e.say("%s", safe(warn))
	answer, _ := e.ask(fmt.Sprintf("Revoke %q anyway? Type yes to confirm: ", safe(rec.Name)))
	if !strings.EqualFold(strings.TrimSpace(answer), "yes") {
		fmt.Fprintln(e.out, "Nothing was changed.")
		return false, nil
	}
	return true, nil
}

// lowerFirstWord lower-cases the first letter of a sentence (ASCII).
func lowerFirstWord(s string) string {
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}
