package cli

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

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

// jsonListItem is one key in list --json.
type jsonListItem struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Account     string              `json:"account,omitempty"`
	Purpose     vault.Purpose       `json:"purpose"`
	UsedBy      []string            `json:"usedBy,omitempty"`
	Status      vault.Status        `json:"status"`
	State       review.DisplayState `json:"state"`
	Attention   bool                `json:"needsAttention"`
	KeyHint     string              `json:"keyHint,omitempty"`
	Permissions []kraken.Permission `json:"permissions"`
	Risk        string              `json:"risk"`
	NextReview  *time.Time          `json:"nextReview,omitempty"`
	Expires     *time.Time          `json:"expires,omitempty"`
	LastCheckAt *time.Time          `json:"lastCheckAt,omitempty"`
	LastOutcome vault.Outcome       `json:"lastOutcome,omitempty"`
}

// list prints every key, those needing attention first.
func list(e *env, in listInput) error {
	_, d, err := e.load()
	if err != nil {
		return err
	}
	now := e.now()
	recs := append([]vault.Record(nil), d.Records...)
	review.SortByAttention(recs, now)
	if in.JSON {
		items := make([]jsonListItem, 0, len(recs))
		for _, r := range recs {
			perms := review.EffectivePermissions(r)
			it := jsonListItem{
				ID: r.ID, Name: r.Name, Account: r.Account, Purpose: r.Purpose, UsedBy: r.UsedBy,
				Status: r.Status, State: review.State(r, now), Attention: review.NeedsAttention(r, d.Records, now),
				KeyHint: r.KeyHint, Permissions: perms, Risk: kraken.MaxRisk(perms).String(),
			}
			if perms == nil {
				it.Permissions = []kraken.Permission{}
			}
			if !r.Retired() {
				next := review.NextReview(r, now)
				it.NextReview = &next
			}
			if exp := review.ExpiresAt(r); !exp.IsZero() {
				it.Expires = &exp
			}
			if r.LastCheck != nil {
				at := r.LastCheck.At
				it.LastCheckAt, it.LastOutcome = &at, r.LastCheck.Outcome
			}
			items = append(items, it)
		}
		return writeJSON(e.out, items)
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
		state := review.State(r, now).String()
		if review.NeedsAttention(r, d.Records, now) && state != string(review.StateProblem) {
			state += " !"
		}
		last := outcomeWords(r.LastCheck)
		if r.LastCheck != nil {
			last = day(r.LastCheck.At) + " " + last
		}
		usedBy := strings.Join(r.UsedBy, ", ")
		if usedBy == "" {
			usedBy = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, state, r.Purpose, kraken.MaxRisk(review.EffectivePermissions(r)), usedBy, last, hint(r))
	}
	return tw.Flush()
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
// the review rules make of it.
type jsonShow struct {
	Record     vault.Record        `json:"record"`
	State      review.DisplayState `json:"state"`
	Attention  bool                `json:"needsAttention"`
	NextReview *time.Time          `json:"nextReview,omitempty"`
	ReviewDays int                 `json:"reviewEveryDays"`
	Expires    *time.Time          `json:"expires,omitempty"`
	Drift      *jsonDrift          `json:"drift,omitempty"`
	Findings   []jsonFinding       `json:"findings"`
}

// show prints one key: the record, the last readback and the findings with
// next steps. Never a secret: the record holds none.
func show(e *env, in showInput) error {
	_, d, err := e.load()
	if err != nil {
		return err
	}
	r, err := find(d, in.Ref)
	if err != nil {
		return err
	}
	now := e.now()
	findings := review.Findings(*r, d.Records, now)
	var extra, missing []kraken.Permission
	hasDrift := r.LastCheck != nil && r.LastCheck.Outcome == vault.OutcomeOK
	if hasDrift {
		extra, missing = drift(r.Intended, *r.LastCheck)
	}
	if in.JSON {
		out := jsonShow{Record: *r, State: review.State(*r, now), Attention: review.NeedsAttention(*r, d.Records, now),
			ReviewDays: int(review.ReviewInterval(*r).Hours() / 24), Findings: jsonFindings(findings)}
		if !r.Retired() {
			next := review.NextReview(*r, now)
			out.NextReview = &next
		}
		if exp := review.ExpiresAt(*r); !exp.IsZero() {
			out.Expires = &exp
		}
		if hasDrift {
			out.Drift = newJSONDrift(extra, missing)
		}
		return writeJSON(e.out, out)
	}

	w := e.out
	fmt.Fprintf(w, "%s  (ID %s)\n", r.Name, r.ID)
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	row := func(label, value string) { fmt.Fprintf(tw, "  %s:\t%s\n", label, value) }
	row("State", fmt.Sprintf("%s (status %s)", review.State(*r, now), r.Status))
	row("Purpose", r.Purpose.Label())
	if r.Account != "" {
		row("Account", r.Account)
	}
	row("Used by", orDash(strings.Join(r.UsedBy, ", ")))
	row("API key", hint(*r))
	row("Intended", fmt.Sprintf("%s  [%s]", permWords(r.Intended), kraken.MaxRisk(r.Intended)))
	row("IP allow-list", listOr(r.Restrictions.IPAllowlist, "any IP address"))
	row("Expires", dayOr(review.ExpiresAt(*r), "no expiry date"))
	row("Nonce window", nonceWords(r.Restrictions.NonceWindow))
	row("2FA", twoFAWords(r.TwoFA))
	row("Created", day(r.Created))
	if r.Retired() {
		row("Last reviewed", day(r.LastReviewed))
	} else {
		last := "never reviewed"
		if !r.LastReviewed.IsZero() {
			last = "last reviewed " + day(r.LastReviewed)
		}
		row("Review", fmt.Sprintf("%s; next %s (every %d days)", last, day(review.NextReview(*r, now)), int(review.ReviewInterval(*r).Hours()/24)))
	}
	if r.Notes != "" {
		row("Notes", r.Notes)
	}
	tw.Flush()

	if rb := r.LastCheck; rb == nil {
		fmt.Fprintln(w, "Last check: never. Run \"keywarden check "+r.Name+"\".")
	} else {
		fmt.Fprintf(w, "Last check: %s, %s\n", moment(rb.At), outcomeWords(rb))
		tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
		row := func(label, value string) { fmt.Fprintf(tw, "  %s:\t%s\n", label, value) }
		switch rb.Outcome {
		case vault.OutcomeOK:
			if rb.Name != "" {
				row("Name on Kraken", rb.Name)
			}
			row("Permissions", fmt.Sprintf("%s  [%s]", permWords(rb.Permissions), kraken.MaxRisk(rb.Permissions)))
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
		if hasDrift && (len(extra)+len(missing) > 0) {
			fmt.Fprintln(w, "  Differences from what was intended:")
			writeDrift(w, "    ", extra, missing)
		}
	}

	if len(findings) == 0 {
		fmt.Fprintln(w, "Findings: none.")
	} else {
		fmt.Fprintln(w, "Findings:")
		writeFindings(w, "  ", findings)
	}
	if len(r.History) > 0 {
		fmt.Fprintln(w, "History:")
		hist := r.History
		if len(hist) > 10 {
			hist = hist[len(hist)-10:]
		}
		for _, ev := range hist {
			line := fmt.Sprintf("  %s  %s", moment(ev.At), ev.Kind)
			if ev.Note != "" {
				line += ": " + ev.Note
			}
			fmt.Fprintln(w, line)
		}
	}
	return nil
}

// find returns the record named (or with the ID) ref, with a plain-words
// error for an unknown or ambiguous name.
func find(d *vault.Data, ref string) (*vault.Record, error) {
	r, err := d.Find(ref)
	if err != nil {
		msg := vault.UserMessage(err)
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

func dayOr(t time.Time, never string) string {
	if t.IsZero() {
		return never
	}
	return day(t)
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
