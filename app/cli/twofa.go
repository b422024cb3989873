package cli

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/boombuler/barcode/qr"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

const twoFAUsage = "2fa [status | enable [--account NAME] | disable | reset [--lost-authenticator [--yes]] | unattended NAME on|off]"

func runTwoFA(e *env, args []string) int {
	sub := "status"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := newFlags(e, "2fa", twoFAUsage)
	account := fs.String("account", "", "the `name` your authenticator app shows beside Keywarden (enable only)")
	lost := fs.Bool("lost-authenticator", false, "reset only: turn app 2FA off without a code because the authenticator app is lost (needs the unlocked keyring; written in every key's history)")
	yes := fs.Bool("yes", false, "reset --lost-authenticator only: do not ask for confirmation")
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	switch {
	case sub == "unattended":
		err = setUnattended(e, pos)
	case len(pos) > 0:
		err = usageErr("2fa %s takes no names.\nusage: keywarden %s", sub, twoFAUsage)
	case sub == "status":
		err = twoFAStatus(e)
	case sub == "enable":
		err = twoFAEnable(e, *account)
	case sub == "disable":
		err = twoFADisable(e)
	case sub == "reset" && *lost:
		err = twoFAResetLost(e, *yes)
	case sub == "reset":
		err = twoFAReset(e)
	default:
		err = usageErr("%q is not a 2fa command: use status, enable, disable, reset or unattended.\nusage: keywarden %s", sub, twoFAUsage)
	}
	if err != nil {
		return e.fail(err)
	}
	return ExitOK
}

// twoFAStatus says whether app 2FA is on, whether it is locked, and which
// keys may start without a code.
func twoFAStatus(e *env) error {
	g, err := e.guard()
	if err != nil {
		return err
	}
	on, err := g.Required()
	if err != nil {
		return &userError{msg: "Keywarden cannot tell whether app 2FA is on, so it acts as if it is: " + keys.UserMessage(err), err: err}
	}
	if !on {
		fmt.Fprintln(e.out, "App 2FA is off. Turn it on with \"keywarden 2fa enable\": then exec, revoke and remove ask for a code from your authenticator app, here and in the window.")
		return nil
	}
	fmt.Fprintln(e.out, "App 2FA is on: exec, revoke and remove ask for a code from your authenticator app, here and in the window.")
	if until, locked := g.LockedUntil(e.now()); locked {
		fmt.Fprintf(e.out, "Too many wrong codes: no code is checked until %s.\n", until.Local().Format("15:04:05"))
	}
	return e.listUnattended()
}

// listUnattended names the keys exec hands out without a code.
func (e *env) listUnattended() error {
	svc, err := e.service(false)
	if err != nil {
		return err
	}
	recs, err := svc.Records()
	if err != nil {
		return err
	}
	var names, unsealed []string
	for _, r := range recs {
		switch {
		case !r.StartsWithoutAppCode || r.Retired():
		case svc.StartsWithoutAppCode(r):
			names = append(names, fmt.Sprintf("%q", r.Name))
		default:
			unsealed = append(unsealed, fmt.Sprintf("%q", r.Name))
		}
	}
	if len(names) > 0 {
		fmt.Fprintf(e.out, "These keys start programs without a code (keywarden 2fa unattended NAME off to change): %s.\n", strings.Join(names, ", "))
	}
	if len(unsealed) > 0 {
		fmt.Fprintf(e.out, "The key list says these keys may start without a code, but that was not allowed in Keywarden (or the keyring cannot confirm it), so exec asks for the code: %s. To allow it: keywarden 2fa unattended NAME on.\n", strings.Join(unsealed, ", "))
	}
	return nil
}

// twoFAEnable makes a seed, shows it as a QR code and an otpauth address,
// and turns app 2FA on once a code from the authenticator app matches. It
// needs a terminal: the seed is shown there and nowhere else.
func twoFAEnable(e *env, account string) error {
	g, err := e.guard()
	if err != nil {
		return err
	}
	if !e.interactive() {
		return &userError{msg: "Setting up app 2FA shows a secret QR code and asks for a code from your authenticator app: run \"keywarden 2fa enable\" on a terminal, or use Settings in the window. Nothing was changed."}
	}
	// The keyring decides whether a seed exists; a new one never replaces it.
	if on, err := g.Required(); err != nil || on {
		err = cmp.Or(err, guard.ErrAlreadyEnabled)
		return &userError{msg: keys.UserMessage(err), err: err}
	}
	k, err := g.BeginEnrolment(account)
	if err != nil {
		return &userError{msg: keys.UserMessage(err), err: err}
	}
	fmt.Fprintln(e.out, "Scan this QR code with your authenticator app (Aegis, Google Authenticator, 1Password, …):")
	if err := writeQR(e.out, k.URL()); err != nil {
		fmt.Fprintln(e.out, "(The QR code could not be drawn; use the address or the key below.)")
	}
	fmt.Fprintf(e.out, "Or add this address to it: %s\nOr type this key by hand: %s\n", k.URL(), guard.GroupSeed(k.Secret()))
	fmt.Fprintln(e.out, "Keep this out of screenshots and notes: whoever has it can make the codes.")
	for try := 1; ; try++ {
		code, err := e.askCode("Code your authenticator app now shows for Keywarden (input hidden): ")
		if err != nil {
			return err
		}
		err = g.ConfirmEnrolment(k, code, e.now())
		switch {
		case err == nil:
			fmt.Fprintln(e.out, "App 2FA is on. From now on exec, revoke and remove ask for a code, here and in the window.")
			return e.listUnattended()
		case (errors.Is(err, guard.ErrWrongCode) || errors.Is(err, guard.ErrCodeFormat)) && try < appCodeTries:
			e.say("keywarden: %s", keys.UserMessage(err))
		default:
			return &userError{msg: keys.UserMessage(err) + " App 2FA stays off.", err: err}
		}
	}
}

// twoFADisable turns app 2FA off after a right code.
func twoFADisable(e *env) error {
	g, err := e.guard()
	if err != nil {
		return err
	}
	if on, err := g.Required(); err == nil && !on {
		fmt.Fprintln(e.out, "App 2FA is already off.")
		return nil
	}
	if err := e.withAppCode("turn app 2FA off", g.Disable); err != nil {
		return err
	}
	fmt.Fprintln(e.out, "App 2FA is off, and its seed is removed from the system keyring. Remove the Keywarden entry from your authenticator app too.")
	return nil
}

// twoFAReset turns app 2FA off without a code, which the guard allows only
// when its seed is gone from the keyring.
func twoFAReset(e *env) error {
	g, err := e.guard()
	if err != nil {
		return err
	}
	if err := g.Reset(); err != nil {
		msg := keys.UserMessage(err)
		if errors.Is(err, guard.ErrSeedPresent) {
			msg += " If your authenticator app is lost: keywarden 2fa reset --lost-authenticator (it needs your unlocked keyring and is written in every key's history)."
		}
		return &userError{msg: msg, err: err}
	}
	fmt.Fprintln(e.out, "App 2FA is off (its seed was missing from the system keyring). Set it up again with \"keywarden 2fa enable\".")
	return nil
}

// twoFAResetLost is the way back for a person who lost their authenticator
// app: after a confirmation it turns app 2FA off without a code. It needs
// the unlocked keyring (the seed is read, then deleted), and it is written
// in every key's history (keys.Service.ResetAppTwoFA). The window does not
// offer it: someone who can only use the window cannot turn the
// protection off.
func twoFAResetLost(e *env, yes bool) error {
	g, err := e.guard()
	if err != nil {
		return err
	}
	svc, err := e.service(false)
	if err != nil {
		return err
	}
	if on, err := g.Required(); err != nil {
		return &userError{msg: "Turning app 2FA off without a code needs your unlocked system keyring. " + keys.UserMessage(err) + " Nothing was changed.", err: err}
	} else if !on {
		fmt.Fprintln(e.out, "App 2FA is already off.")
		return nil
	}
	if !yes {
		if !e.interactive() {
			return usageErr("Turning app 2FA off without a code is for a lost authenticator app. Run it on a terminal, or add --yes to confirm. Nothing was changed.")
		}
		answer, _ := e.ask("Turn app 2FA off without a code, because your authenticator app is lost? Every key's history will say so. Type yes to confirm: ")
		if !strings.EqualFold(strings.TrimSpace(answer), "yes") {
			fmt.Fprintln(e.out, "Nothing was changed.")
			return nil
		}
	}
	if err := svc.ResetAppTwoFA(g, "from the command line"); err != nil {
		msg := keys.UserMessage(err)
		if errors.Is(err, vault.ErrKeyringUnavailable) {
			msg = "Turning app 2FA off without a code needs your unlocked system keyring. " + keys.UserMessage(err)
		}
		return &userError{msg: msg + " App 2FA stays on.", err: err}
	}
	fmt.Fprintln(e.out, "App 2FA is off, and its seed is removed from the system keyring; every key's history says so. Set it up again with a new authenticator app: keywarden 2fa enable.")
	return nil
}

// setUnattended records whether exec may hand a key to a program without
// the app code; with app 2FA on, changing it asks for the code.
func setUnattended(e *env, pos []string) error {
	if len(pos) != 2 || (pos[1] != "on" && pos[1] != "off") {
		return usageErr("Name one key and say on or off: keywarden 2fa unattended NAME on|off.")
	}
	on := pos[1] == "on"
	svc, r, err := e.serviceFor(pos[0], false)
	if err != nil {
		return err
	}
	if err := e.requireAppCode(fmt.Sprintf("change whether %q starts without a code", r.Name)); err != nil {
		return err
	}
	if _, err := svc.SetStartsWithoutAppCode(r.ID, on, "from the command line"); err != nil {
		return err
	}
	if on {
		fmt.Fprintf(e.out, "\"keywarden exec %s\" now starts its program without the app 2FA code; its history says so. Anyone who can run programs as you can then use this key.\n", safe(r.Name))
	} else {
		fmt.Fprintf(e.out, "\"keywarden exec %s\" asks for the app 2FA code again (when app 2FA is on).\n", safe(r.Name))
	}
	return nil
}

// writeQR draws text as a QR code with Unicode half blocks, two modules a
// character: light modules are printed, dark ones left blank, which scans
// on the usual light-on-dark terminal (qrencode -t UTF8 does the same).
func writeQR(w io.Writer, text string) error {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return err
	}
	const quiet = 2
	n := code.Bounds().Dx()
	light := func(x, y int) bool {
		if x < 0 || y < 0 || x >= n || y >= n {
			return true
		}
		r, _, _, _ := code.At(x, y).RGBA()
		return r > 0x7fff
	}
	var b strings.Builder
	for y := -quiet; y < n+quiet; y += 2 {
		for x := -quiet; x < n+quiet; x++ {
			top, bottom := light(x, y), light(x, y+1)
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteRune(' ')
			}
		}
		b.WriteByte('\n')
	}
	_, err = io.WriteString(w, b.String())
	return err
}
