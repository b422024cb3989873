package cli

import (
	"context"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

const addUsage = "add --name NAME [--account A] [--used-by S,...] [--perms P,...] [--purpose P] [--review-days D] [--otp CODE] [--2fa none|typed|seed|password]"

// addInput is what add needs besides the secrets, which come from stdin.
type addInput struct {
	Name       string
	Account    string
	UsedBy     []string
	Purpose    vault.Purpose
	Intended   []kraken.Permission
	PermsGiven bool // --perms was given: Intended is what was meant
	ReviewDays int
	TwoFA      vault.TwoFA
	OTP        string // the current code, for TwoFATyped
}

func runAdd(e *env, args []string) int {
	fs := newFlags(e, "add", addUsage)
	name := fs.String("name", "", "a descriptive `name`, e.g. koinly-tax (required)")
	account := fs.String("account", "", "the Kraken `account` the key belongs to, if you have several")
	usedBy := fs.String("used-by", "", "the `services` or places that hold the key, comma-separated")
	perms := fs.String("perms", "", "the `permissions` you ticked on the website, comma-separated codes (default: the purpose's least set, or what the exchange reports)")
	purpose := fs.String("purpose", "", "what the key is for: tax-import, read-only-dashboard, trading-bot, account-watch or custom (default custom)")
	days := fs.Int("review-days", 0, "review the key every `D` days (default: the settings' review days, 90 for read-only keys and 30 for keys that can trade or move money unless changed)")
	otp := fs.String("otp", "", "the key's current 2FA `code`, if it has 2FA (implies --2fa typed)")
	twoFA := fs.String("2fa", "", "the key's own 2FA on Kraken: none, typed, seed or password")
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	in := addInput{Name: strings.TrimSpace(*name), Account: strings.TrimSpace(*account), UsedBy: splitList(*usedBy),
		ReviewDays: *days, OTP: e.flagCode(*otp), Purpose: vault.PurposeCustom, TwoFA: vault.TwoFANone}
	if in.Name == "" && len(pos) == 1 {
		in.Name, pos = strings.TrimSpace(pos[0]), nil
	}
	if err := in.fill(isSet(fs, "perms"), *perms, *purpose, *twoFA, pos); err != nil {
		return e.fail(err)
	}
	if err := add(context.Background(), e, in); err != nil {
		return e.fail(err)
	}
	return ExitOK
}

// fill checks the flags and works out the purpose, intended permissions and
// 2FA mode.
func (in *addInput) fill(permsGiven bool, perms, purpose, twoFA string, extra []string) error {
	switch {
	case len(extra) > 0:
		return usageErr("add takes no arguments besides its flags (got %q). The API key and private key are read from standard input, never from arguments.\nusage: keywarden %s", extra[0], addUsage)
	case in.Name == "":
		return usageErr("Give the key a name with --name, one that says where it is used (koinly-tax, freqtrade-vps).\nusage: keywarden %s", addUsage)
	case in.ReviewDays != 0:
		// The window's rule for a key's own interval.
		if _, err := keys.ParseReviewDays(strconv.Itoa(in.ReviewDays)); err != nil {
			return usageErr("--review-days must be a whole number of days from %d to %d (0 for the default).", keys.MinReviewDays, keys.MaxReviewDays)
		}
	}
	if purpose != "" {
		p, err := parsePurpose(purpose)
		if err != nil {
			return err
		}
		in.Purpose = p
	}
	if permsGiven {
		p, err := parsePermissions(perms)
		if err != nil {
			return err
		}
		in.Intended, in.PermsGiven = p, true
	} else if in.Purpose != vault.PurposeCustom {
		in.Intended, in.PermsGiven = in.Purpose.LeastPermissions(), true
	}
	switch {
	case twoFA != "":
		t, err := parseTwoFA(twoFA)
		if err != nil {
			return err
		}
		in.TwoFA = t
	case in.OTP != "":
		in.TwoFA = vault.TwoFATyped
	}
	if in.OTP != "" && in.TwoFA != vault.TwoFATyped {
		return usageErr("--otp is for --2fa typed only: with --2fa %s Keywarden makes each code itself.", in.TwoFA)
	}
	return nil
}

// add verifies a new key with the exchange and keeps it through the
// service (keys.Service.Add): the record and the secret, or neither. A key
// kept already, under any name, is refused there, naming the record that
// holds it.
func add(ctx context.Context, e *env, in addInput) error {
	svc, err := e.service(true)
	if err != nil {
		return err
	}
	snap, err := e.snapshot(svc)
	if err != nil {
		return err
	}
	if err := keys.CheckName(snap.Records, in.Name, ""); err != nil {
		return err
	}

	if in.TwoFA == vault.TwoFATyped && in.OTP == "" {
		in.OTP = strings.TrimSpace(e.getenv(EnvOTP))
	}
	needCode := in.TwoFA == vault.TwoFATyped && (in.OTP == "" || in.OTP == readStdinArg)

	secret, err := e.readKeyPair(in.TwoFA)
	if err != nil {
		return err
	}
	if needCode {
		// Asked last, so the code is as fresh as it can be.
		if in.OTP, err = e.askCode("Current 2FA code for this key (input hidden): "); err != nil || in.OTP == "" {
			return usageErr("No 2FA code was given, so the key could not be verified. Type it when asked on a terminal, give it as the line after the keys on standard input, or set %s. Nothing was saved.", EnvOTP)
		}
	}

	rb := svc.Verify(ctx, secret, in.TwoFA, in.OTP)
	switch rb.Outcome {
	case vault.OutcomeOK:
	case vault.OutcomeInvalidKey:
		return &userError{msg: "Kraken does not know this API key. Copy it again from the website's API page (Settings → API); if you just created it, wait a moment and try again. Nothing was saved."}
	default:
		return &userError{msg: "The key could not be verified, so nothing was saved. " + rb.Problem}
	}

	if !in.PermsGiven {
		in.Intended = rb.Permissions
	}
	nk := keys.NewKeyOf(keys.Draft{
		Name: in.Name, Account: in.Account, Purpose: in.Purpose, UsedBy: in.UsedBy,
		Intended: in.Intended, TwoFA: in.TwoFA, ReviewDays: in.ReviewDays,
		// No restriction is asked for here: what Kraken answered is what was meant.
		Restrictions: vault.Restrictions{IPAllowlist: rb.IPAllowlist, Expires: rb.ValidUntil, NonceWindow: rb.NonceWindow},
	}, secret, &rb, "added from the command line")
	rec := nk.Record

	e.reportVerified(in, rec, rb)

	saved, err := svc.Add(ctx, nk)
	if err != nil {
		return addFailed(svc, rec.ID, err)
	}

	fmt.Fprintf(e.out, "Saved %q (ID %s, API key %s). Its secrets are in the system keyring.\n", saved.Name, saved.ID, hint(saved))
	e.adviseNew(svc, saved)
	return nil
}

// adviseNew writes what is worth fixing on a key just saved, and when it
// is next due for review. The key is saved whatever happens here: when the
// list cannot be read again, the advice is left out.
func (e *env) adviseNew(svc *keys.Service, saved vault.Record) {
	snap, err := e.snapshot(svc)
	if err != nil {
		return
	}
	var worth []review.Finding
	for _, f := range snap.Findings(saved.ID) {
		if f.Severity >= review.Warning {
			worth = append(worth, f)
		}
	}
	if len(worth) > 0 {
		fmt.Fprintln(e.out, "Worth fixing:")
		writeFindings(e.out, "  ", worth)
	}
	if next := nextReview(snap, saved.ID); next != nil {
		fmt.Fprintf(e.out, "Next review: %s.\n", day(*next))
	}
}

// addFailed says what a failed add left: nothing (the usual case), or a
// record whose last step Repair finishes at the next command.
func addFailed(svc *keys.Service, id string, err error) error {
	if errors.Is(err, keys.ErrDuplicateKey) {
		return err // its words say nothing was saved
	}
	if r, lerr := svc.Record(id); lerr == nil {
		if r.Pending != nil {
			return &userError{msg: message(err) + " The key is in the keyring, but its record could not be finished; the next keywarden command finishes it.", err: err}
		}
	}
	return &userError{msg: message(err) + " Nothing was saved.", err: err}
}

// reportVerified prints what the exchange said, side by side with what was
// meant.
func (e *env) reportVerified(in addInput, rec vault.Record, rb vault.Readback) {
	w := e.out
	fmt.Fprintln(w, "Kraken accepted the key.")
	if rb.Name != "" && !strings.EqualFold(rb.Name, rec.Name) {
		fmt.Fprintf(w, "  On the website it is named %q.\n", rb.Name)
	}
	fmt.Fprintf(w, "  Permissions on Kraken: %s  [%s]\n", permWords(rb.Permissions), kraken.RiskWords(rb.Permissions))
	if rb.Probed {
		fmt.Fprintln(w, "  Kraken does not offer GetApiKeyInfo on this account, so these were found with safe test calls.")
		if len(rb.Unknown) > 0 {
			fmt.Fprintf(w, "  These could not be tested: %s.\n", permWords(rb.Unknown))
		}
	}
	if !in.PermsGiven {
		fmt.Fprintln(w, "  No --perms or purpose given: Keywarden takes these as what you intended.")
		return
	}
	extra, missing := drift(rec.Intended, rb)
	if len(extra)+len(missing) == 0 {
		fmt.Fprintln(w, "  They match what you intended.")
		return
	}
	fmt.Fprintln(w, "Differences from what you intended:")
	writeDrift(w, "  ", extra, missing)
	fmt.Fprintln(w, "  Untick or tick them on the website (Settings → API → edit the key), then run \"keywarden check\" on it.")
}

// readKeyPair reads the API key, the private key and, for the seed and
// password modes, the key's 2FA secret, and checks their shape.
func (e *env) readKeyPair(twoFA vault.TwoFA) (vault.Secret, error) {
	var s vault.Secret
	var err error
	if s.APIKey, err = e.readSecret("API key (input hidden): ", "the API key"); err != nil {
		return s, err
	}
	if s.PrivateKey, err = e.readSecret("Private key (input hidden): ", "the private key"); err != nil {
		return s, err
	}
	if err := kraken.CheckKeyShape(s.APIKey, s.PrivateKey); err != nil {
		detail := strings.TrimPrefix(err.Error(), kraken.ErrMalformedKey.Error()+": ")
		return s, &userError{msg: fmt.Sprintf("%s (%s.) Nothing was saved.", keys.UserMessage(err), detail), err: err}
	}
	switch twoFA {
	case vault.TwoFASeed:
		seed, err := e.readSecret("Authenticator seed (input hidden): ", "the authenticator seed")
		if err != nil {
			return s, err
		}
		if s.OTPSeed, err = normalizeSeed(seed); err != nil {
			return s, err
		}
	case vault.TwoFAPassword:
		if s.OTPPassword, err = e.readSecret("The key's 2FA password (input hidden): ", "the 2FA password"); err != nil {
			return s, err
		}
		if s.OTPPassword == "" {
			return s, &userError{msg: "The key's 2FA password is empty. Nothing was saved."}
		}
	}
	return s, nil
}

// normalizeSeed checks an authenticator seed (base32, as shown under the QR
// code, perhaps in groups with spaces) and returns it upper-case without
// spaces.
func normalizeSeed(seed string) (string, error) {
	s := strings.ToUpper(strings.Join(strings.Fields(seed), ""))
	s = strings.TrimRight(s, "=")
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if s == "" || err != nil || len(b) < 10 {
		return "", &userError{msg: "That does not look like an authenticator seed: it is the code of letters A–Z and digits 2–7 shown under the QR code when you set up 2FA on the key. Nothing was saved."}
	}
	return s, nil
}
