package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/review"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

const (
	listUsage = "list [--json]"
	showUsage = "show NAME [--json]"
)

// listInput is what list needs.
type listInput struct {
	JSON bool
}

func runList(e *env, args []string) int {
	fs := newFlags(e, "list", listUsage)
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	if len(pos) > 0 {
		return e.fail(usageErr("list takes no arguments; to see one key, run \"keywarden show %s\".", pos[0]))
	}
	if err := list(e, listInput{JSON: *asJSON}); err != nil {
		return e.fail(err)
	}
	return ExitOK
}

// jsonListItem is one key in list --json. needsAttention, state,
// nextReview and reviewDue are the answers the window and the tray give
// (keys.Snapshot, with the person's settings).
type jsonListItem struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Account     string              `json:"account,omitempty"`
	Purpose     vault.Purpose       `json:"purpose"`
	UsedBy      []string            `json:"usedBy,omitempty"`
	Status      vault.Status        `json:"status"`
	State       review.DisplayState `json:"state"`
	Attention   bool                `json:"needsAttention"`
	ReviewDue   bool                `json:"reviewDue"`
	Leaked      bool                `json:"leaked,omitempty"`
	KeyHint     string              `json:"keyHint,omitempty"`
	Permissions []kraken.Permission `json:"permissions"`
	Risk        string              `json:"risk"`
	NextReview  *time.Time          `json:"nextReview,omitempty"`
	Expires     *time.Time          `json:"expires,omitempty"`
	LastCheckAt *time.Time          `json:"lastCheckAt,omitempty"`
	LastOutcome vault.Outcome       `json:"lastOutcome,omitempty"`
}

// list prints every key, those needing attention first, as the window
// lists them.
func list(e *env, in listInput) error {
	svc, err := e.service(false)
	if err != nil {
		return err
	}
	snap, err := e.snapshot(svc)
	if err != nil {
		return err
	}
	recs := snap.Records
	if in.JSON {
		items := make([]jsonListItem, 0, len(recs))
		for _, r := range recs {
			perms := review.EffectivePermissions(r)
			it := jsonListItem{
				ID: r.ID, Name: r.Name, Account: r.Account, Purpose: r.Purpose, UsedBy: r.UsedBy,
				Status: r.Status, State: snap.State(r.ID), Attention: snap.NeedsAttention(r.ID),
				ReviewDue: snap.ReviewDue(r.ID), Leaked: r.Leaked(),
				KeyHint: r.KeyHint, Permissions: perms, Risk: kraken.MaxRisk(perms).String(),
			}
			if perms == nil {
				it.Permissions = []kraken.Permission{}
			}
			it.NextReview = nextReview(snap, r.ID)
			if exp := review.ExpiresAt(r); !exp.IsZero() {
				it.Expires = &exp
			}
			if r.LastCheck != nil {
				at := r.LastCheck.At
				it.LastCheckAt, it.LastOutcome = &at, r.LastCheck.Outcome
			}
			items = append(items, it)
		}
		return writeJSON(e.rawOut, items)
	}
	if len(recs) == 0 {
		fmt.Fprintln(e.out, "No keys yet. Create one on the Kraken website (Settings → API) with the least permissions its job needs, then run:")
		fmt.Fprintln(e.out, "  keywarden add --name koinly-tax --purpose tax-import --used-by Koinly")
		fmt.Fprintln(e.out, "You will be asked for the API key and the private key; they go to the system keyring only.")
		return nil
	}
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATE\tPURPOSE\tRISK\tUSED BY\tLAST CHECK\tKEY")
	for _, r := range recs {
		state := snap.State(r.ID).String()
		if snap.NeedsAttention(r.ID) && state != string(review.StateProblem) {
			state += " !"
		}
		last := outcomeWords(r.LastCheck)
		if r.LastCheck != nil {
			last = day(r.LastCheck.At) + " " + last
		}
		usedBy := safeList(r.UsedBy, ", ")
		if usedBy == "" {
			usedBy = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", safe(r.Name), state, safe(string(r.Purpose)), kraken.RiskWords(review.EffectivePermissions(r)), usedBy, last, hint(r))
	}
	return tw.Flush()
}

// nextReview returns when the key is next due for review, with the
// person's settings, or nil for a retired key.
func nextReview(snap *keys.Snapshot, id string) *time.Time {
	if at, ok := snap.NextReview(id); ok {
		return &at
	}
	return nil
}

// reviewDays returns how often the key is reviewed, in days, with the
// person's settings.
func reviewDays(snap *keys.Snapshot, id string) int {
	return int(review.ReviewInterval(snap.Effective(id)) / (24 * time.Hour))
}

// showInput is what show needs.
type showInput struct {
	Ref  string
	JSON bool
}

func runShow(e *env, args []string) int {
	fs := newFlags(e, "show", showUsage)
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	pos, _, err := parseArgs(fs, args)
	if err != nil {
		return flagFailed(err)
	}
	if len(pos) != 1 {
		return e.fail(usageErr("Name one key to show (its name or ID).\nusage: keywarden %s", showUsage))
	}
	if err := show(e, showInput{Ref: pos[0], JSON: *asJSON}); err != nil {
		return e.fail(err)
	}
	return ExitOK
}

// jsonShow is show --json: the whole record (it holds no secret) and what
// the review rules make of it, with the person's settings.
type jsonShow struct {
	Record     vault.Record        `json:"record"`
	State      review.DisplayState `json:"state"`
	Attention  bool                `json:"needsAttention"`
	ReviewDue  bool                `json:"reviewDue"`
	NextReview *time.Time          `json:"nextReview,omitempty"`
	ReviewDays int                 `json:"reviewEveryDays"`
	Leaked     bool                `json:"leaked"`
	Expires    *time.Time          `json:"expires,omitempty"`
	Drift      *jsonDrift          `json:"drift,omitempty"`
	Findings   []jsonFinding       `json:"findings"`
}

// show prints one key: the record, the last readback and the findings with
// next steps. Never a secret: the record holds none.
func show(e *env, in showInput) error {
	svc, err := e.service(false)
	if err != nil {
		return err
	}
	snap, err := e.snapshot(svc)
	if err != nil {
		return err
	}
	r, err := find(snap, in.Ref)
	if err != nil {
		return err
	}
	findings := snap.Findings(r.ID)
	if in.JSON {
		return showJSON(e, snap, r, findings)
	}
	w := e.out
	fmt.Fprintf(w, "%s  (ID %s)\n", safe(r.Name), safe(r.ID))
	writeRecord(w, snap, r)
	writeLastCheck(w, r)
	if len(findings) == 0 {
		fmt.Fprintln(w, "Findings: none.")
	} else {
		fmt.Fprintln(w, "Findings:")
		writeFindings(w, "  ", findings)
	}
	if r.Leaked() {
		writeLeakSteps(w, *r)
	}
	writeHistory(w, r)
	return nil
}

// recordDrift returns the permissions the key has beyond and short of what
// was intended; ok is false when its last check did not read them.
func recordDrift(r *vault.Record) (extra, missing []kraken.Permission, ok bool) {
	if r.LastCheck == nil || r.LastCheck.Outcome != vault.OutcomeOK {
		return nil, nil, false
	}
	extra, missing = drift(r.Intended, *r.LastCheck)
	return extra, missing, true
}

// showJSON writes what show prints, as one JSON document.
func showJSON(e *env, snap *keys.Snapshot, r *vault.Record, findings []review.Finding) error {
	out := jsonShow{Record: *r, State: snap.State(r.ID), Attention: snap.NeedsAttention(r.ID), ReviewDue: snap.ReviewDue(r.ID),
		NextReview: nextReview(snap, r.ID), ReviewDays: reviewDays(snap, r.ID), Leaked: r.Leaked(), Findings: jsonFindings(findings)}
	if exp := review.ExpiresAt(*r); !exp.IsZero() {
		out.Expires = &exp
	}
	if extra, missing, ok := recordDrift(r); ok {
		out.Drift = newJSONDrift(extra, missing)
	}
	return writeJSON(e.rawOut, out)
}

// writeRecord writes the record's fields as an aligned table.
func writeRecord(w io.Writer, snap *keys.Snapshot, r *vault.Record) {
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	row := func(label, value string) { fmt.Fprintf(tw, "  %s:\t%s\n", label, safe(value)) }
	row("State", fmt.Sprintf("%s (%s)", snap.State(r.ID), keys.StatusWords(*r)))
	if r.Leaked() {
		row("Leaked", dayOr(r.LeakedAt, "marked as leaked (the date is not known)", "marked as leaked on "))
	}
	row("Purpose", r.Purpose.Label())
	if r.Account != "" {
		row("Account", r.Account)
	}
	row("Used by", orDash(safeList(r.UsedBy, ", ")))
	row("API key", hint(*r))
	row("Intended", fmt.Sprintf("%s  [%s]", permWords(r.Intended), kraken.RiskWords(r.Intended)))
	row("IP allow-list", listOr(r.Restrictions.IPAllowlist, "any IP address"))
	row("Expires", dayOr(review.ExpiresAt(*r), "no expiry date"))
	row("Nonce window", nonceWords(r.Restrictions.NonceWindow))
	row("2FA", twoFAWords(r.TwoFA))
	row("Created", day(r.Created))
	if next := nextReview(snap, r.ID); next == nil {
		row("Last reviewed", day(r.LastReviewed))
	} else {
		row("Review", reviewWords(snap, r, *next))
	}
	if r.Notes != "" {
		row("Notes", r.Notes)
	}
	tw.Flush()
}

// reviewWords says when the key was last reviewed and when it is next due.
func reviewWords(snap *keys.Snapshot, r *vault.Record, next time.Time) string {
	last := "never reviewed"
	if !r.LastReviewed.IsZero() {
		last = "last reviewed " + day(r.LastReviewed)
	}
	due := ""
	if snap.ReviewDue(r.ID) {
		due = ", due now"
	}
	return fmt.Sprintf("%s; next %s%s (every %d days)", last, day(next), due, reviewDays(snap, r.ID))
}

// writeLastCheck writes what the last check read, and how it differs from
// what was intended.
func writeLastCheck(w io.Writer, r *vault.Record) {
	rb := r.LastCheck
	if rb == nil {
		fmt.Fprintln(w, "Last check: never. Run \"keywarden check "+safe(r.Name)+"\".")
		return
	}
	fmt.Fprintf(w, "Last check: %s, %s\n", moment(rb.At), outcomeWords(rb))
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	row := func(label, value string) { fmt.Fprintf(tw, "  %s:\t%s\n", label, safe(value)) }
	switch rb.Outcome {
	case vault.OutcomeOK:
		if rb.Name != "" {
			row("Name on Kraken", rb.Name)
		}
		row("Permissions", fmt.Sprintf("%s  [%s]", permWords(rb.Permissions), kraken.RiskWords(rb.Permissions)))
		if rb.Probed {
			row("Found by", "safe test calls (GetApiKeyInfo is not offered); untested: "+listOr(permStrings(rb.Unknown), "none"))
		} else {
			row("IP allow-list", listOr(rb.IPAllowlist, "any IP address"))
			row("Valid until", dayOr(rb.ValidUntil, "no expiry date"))
			row("Nonce window", nonceWords(rb.NonceWindow))
			row("Last used", day(rb.LastUsed))
		}
	default:
		row("Problem", rb.Problem)
	}
	tw.Flush()
	if extra, missing, ok := recordDrift(r); ok && len(extra)+len(missing) > 0 {
		fmt.Fprintln(w, "  Differences from what was intended:")
		writeDrift(w, "    ", extra, missing)
	}
}

// writeHistory writes the key's last ten events.
func writeHistory(w io.Writer, r *vault.Record) {
	if len(r.History) == 0 {
		return
	}
	fmt.Fprintln(w, "History:")
	hist := r.History
	if len(hist) > 10 {
		hist = hist[len(hist)-10:]
	}
	for _, ev := range hist {
		line := fmt.Sprintf("  %s  %s", moment(ev.At), safe(keys.EventWords(ev.Kind)))
		if ev.Note != "" {
			line += ": " + safe(ev.Note)
		}
		fmt.Fprintln(w, line)
	}
}

// leakSteps words the after-a-leak steps (keys.LeakStepCodes).
var leakSteps = map[string]string{
	keys.LeakReplace:  "give the services that used it a new key",
	keys.LeakActivity: "look at recent account activity with another read-only key",
	keys.LeakPassword: "change your account password and 2FA",
	keys.LeakSupport:  "contact Kraken support if anything looks wrong",
}

// writeLeakSteps prints a leaked key's after-a-leak checklist, as the
// window keeps it in the record.
func writeLeakSteps(w io.Writer, r vault.Record) {
	fmt.Fprintln(w, "Leak checklist:")
	for _, code := range keys.LeakStepCodes {
		mark := " "
		if r.LeakStepDone(code) { // the window's rule: a rotation counts as the replacement
			mark = "x"
		}
		fmt.Fprintf(w, "  [%s] %s\n", mark, leakSteps[code])
	}
}

// find returns the record named (or with the ID) ref, with a plain-words
// error for an unknown or ambiguous name.
// It looks among the keys the snapshot shows: not those in the middle of
// being added or removed.
func find(snap *keys.Snapshot, ref string) (*vault.Record, error) {
	d := &vault.Data{Records: snap.Records}
	r, err := d.Find(ref)
	if err != nil {
		msg := keys.UserMessage(err)
		if errors.Is(err, vault.ErrNotFound) {
			msg += " Run \"keywarden list\" to see your keys."
		}
		return nil, &userError{msg: msg, err: err}
	}
	return r, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func listOr(items []string, none string) string {
	if len(items) == 0 {
		return none
	}
	return strings.Join(items, ", ")
}

// dayOr returns the day of t, after prefix (at most one), or never when
// t is zero.
func dayOr(t time.Time, never string, prefix ...string) string {
	if t.IsZero() {
		return never
	}
	return strings.Join(prefix, "") + day(t)
}

func nonceWords(n int) string {
	if n == 0 {
		return "none"
	}
	return fmt.Sprint(n)
}

func permStrings(perms []kraken.Permission) []string {
	s := make([]string, len(perms))
	for i, p := range perms {
		s[i] = string(p)
	}
	return s
}
