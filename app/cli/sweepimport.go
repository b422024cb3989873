package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/sweep"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// errImportNeedsTerminal refuses sweep --import without a person at the
// keyboard: a key is never imported, nor a file edited, unasked.
var errImportNeedsTerminal = usageErr("sweep --import asks about each key it finds (its name, what it is for, whether to remove the copy), so it needs a terminal: run it in one. Nothing was imported.")

// foundKey is one key not in the vault and every hit of it.
type foundKey struct {
	n    int         // the sweep's number for it (Hit.Unknown)
	hits []sweep.Hit // in the report's order
}

// pairHit returns a hit holding both halves of the key, the one the
// import uses; false when only halves were found.
func (k foundKey) pairHit() (sweep.Hit, bool) {
	// A copy in a file first: that one can also be removed.
	for _, git := range []bool{false, true} {
		for _, h := range k.hits {
			if _, _, ok := h.Pair(); ok && h.Part == sweep.PartPair && (h.Git != nil) == git {
				return h, true
			}
		}
	}
	return sweep.Hit{}, false
}

// foundKeys groups the hits of keys not in the vault by key.
func foundKeys(hits []sweep.Hit) []foundKey {
	var out []foundKey
	at := map[int]int{}
	for _, h := range hits {
		if h.Kind != sweep.KindUnknown {
			continue
		}
		i, ok := at[h.Unknown]
		if !ok {
			i = len(out)
			at[h.Unknown] = i
			out = append(out, foundKey{n: h.Unknown})
		}
		out[i].hits = append(out[i].hits, h)
	}
	return out
}

// importFound asks, for each key the sweep found that is not in the vault,
// whether to import it, its name, who uses it, its purpose, and whether to
// remove the copy from its file; then imports it through keys.Import. It
// returns how many keys were imported.
func importFound(ctx context.Context, e *env, svc *keys.Service, rep *sweep.Report) (int, error) {
	found := foundKeys(rep.Hits)
	w := e.errw
	if len(found) == 0 {
		fmt.Fprintln(w, "\nNo key to import: every key found is in Keywarden already.")
		return 0, nil
	}
	imported := 0
	for _, k := range found {
		h, ok := k.pairHit()
		fmt.Fprintf(w, "\nKey #%d not in Keywarden, at %s", k.n, safe(k.hits[0].Where()))
		if k.hits[0].Hint != "" {
			fmt.Fprintf(w, " (API key ending %s)", k.hits[0].Hint)
		}
		fmt.Fprintln(w, ".")
		if !ok {
			fmt.Fprintln(w, "  Only one half of it was found, and a key needs both its API key and its private key to be kept. Skipped.")
			continue
		}
		yes, err := e.askYesNo("  Import it into Keywarden? [Y/n] ", true)
		if err != nil {
			return imported, err
		}
		if !yes {
			continue
		}
		fmt.Fprintln(w, "  Asking Kraken what the key may do…")
		rb, err := svc.VerifyFound(ctx, h)
		if err != nil {
			fmt.Fprintf(w, "  %s\n", message(err))
			continue
		}
		fmt.Fprintf(w, "  Kraken accepts it. Permissions: %s  [%s]\n", permWords(rb.Permissions), kraken.RiskWords(rb.Permissions))

		snap, err := e.snapshot(svc)
		if err != nil {
			return imported, err
		}
		in := keys.Import{Hit: h, Readback: &rb}
		suggested := keys.ImportName(h, snap.Records)
		for {
			name, err := e.ask(fmt.Sprintf("  Name [%s]: ", suggested))
			if err != nil {
				return imported, err
			}
			if name == "" {
				name = suggested
			}
			if err := keys.CheckName(snap.Records, name, ""); err != nil {
				fmt.Fprintf(w, "  %s\n", message(err))
				continue
			}
			in.Name = name
			break
		}
		usedBy, err := e.ask("  Used by (the programs or services that hold it, comma-separated; Enter for none): ")
		if err != nil {
			return imported, err
		}
		in.UsedBy = splitList(usedBy)
		if in.Purpose, err = e.askPurpose(keys.PurposeFor(rb.Permissions)); err != nil {
			return imported, err
		}
		if can, why := keys.CanRemoveCopy(h); can {
			if in.RemoveCopy, err = e.askYesNo(fmt.Sprintf("  Remove the copy from %s? (a backup is kept) [y/N] ", h.Path), false); err != nil {
				return imported, err
			}
		} else {
			fmt.Fprintf(w, "  %s\n", why)
		}

		res, err := svc.Import(ctx, in)
		if err != nil {
			fmt.Fprintf(w, "  %s\n", message(err))
			continue
		}
		imported++
		e.reportImported(res, k.hits)
	}
	return imported, nil
}

// askPurpose asks for the imported key's purpose until the answer is one,
// with def for an empty answer.
func (e *env) askPurpose(def vault.Purpose) (vault.Purpose, error) {
	for {
		p, err := e.ask(fmt.Sprintf("  Purpose (tax-import, read-only-dashboard, trading-bot, custom) [%s]: ", def))
		if err != nil {
			return "", err
		}
		if p == "" {
			return def, nil
		}
		purpose, err := parsePurpose(p)
		if err == nil {
			return purpose, nil
		}
		fmt.Fprintf(e.errw, "  %s\n", message(err))
	}
}

// reportImported says what an import kept and removed, how many of the
// key's copies (hits) remain in plain text, and how to hand the key to the
// program that used the copy.
func (e *env) reportImported(res keys.Imported, hits []sweep.Hit) {
	fmt.Fprintf(e.out, "Saved %q (ID %s, API key %s). Its secrets are in the system keyring.\n", res.Record.Name, res.Record.ID, hint(res.Record))
	switch {
	case res.Removed != nil:
		fmt.Fprintf(e.out, "%s of %s. The file as it was is kept in %s, readable by you only: it holds the key, so delete it once you no longer need it (a later keywarden sweep that finds no other copy offers to).\n",
			removedWords(*res.Removed), safe(res.Removed.Path), safe(res.Removed.Backup))
		if res.BackupErr != nil {
			fmt.Fprintf(e.out, "Keywarden could not note that backup in its list (%s), so no sweep will offer to delete it: delete it yourself.\n", message(res.BackupErr))
		}
	case res.RemoveErr != nil:
		fmt.Fprintf(e.out, "The copy was not removed: %s\n", message(res.RemoveErr))
	}
	left := 0
	for _, o := range hits {
		if res.Removed != nil && o.Git == nil && o.Path == res.Removed.Path {
			continue
		}
		left++
	}
	if left > 0 {
		fmt.Fprintf(e.out, "%s of it %s in plain text: run keywarden sweep again to see %s as %s of %q, with the next steps.\n",
			count(left, "copy", "copies"), plural(left, "remains", "remain"), plural(left, "it", "them"), plural(left, "a copy", "copies"), res.Record.Name)
	}
	fmt.Fprintf(e.out, "Give the key to the program that used the copy with: keywarden exec %s -- PROGRAM\n", shellWord(res.Record.Name))
}

// removedWords says what left the file: "Removed lines 1, 2", "Emptied
// the key's values on line 3", or both.
func removedWords(rc keys.RemovedCopy) string {
	dropped, emptied := rc.Dropped, rc.Emptied()
	switch {
	case len(emptied) == 0:
		return "Removed " + lineWords(dropped)
	case len(dropped) == 0:
		return "Emptied the key's values on " + lineWords(emptied)
	}
	return "Removed " + lineWords(dropped) + " and emptied the key's values on " + lineWords(emptied)
}

// offerBackups names the backups Keywarden made of files it cleaned that
// this sweep shows are no longer needed (no other copy of their key is
// left), and deletes them when the person says so on a terminal, or when
// sweep --delete-backups asked for it: they hold the key, so they must not
// linger.
func offerBackups(e *env, svc *keys.Service, rep *sweep.Report, stored []sweep.Key, del bool) {
	var looked []string
	names := map[string]string{}
	for _, k := range stored {
		if k.APIKey != "" {
			looked = append(looked, k.ID)
			names[k.ID] = k.Name
		}
	}
	spent, err := svc.SpentBackups(rep, looked)
	if err != nil {
		e.say("keywarden: the list of the backups Keywarden made could not be read, so none is offered for deletion: %s", message(err))
		return
	}
	if len(spent) == 0 {
		if del {
			fmt.Fprintln(e.out, "No backup to delete: every backup Keywarden made is still needed, or gone.")
		}
		return
	}
	n := len(spent)
	fmt.Fprintf(e.out, "\n%s Keywarden made when it removed a key's copy %s no longer needed: this sweep found no other copy of %s. %s the key, so delete %s:\n",
		plural(n, "The backup", "The backups"), plural(n, "is", "are"), plural(n, "its key", "their keys"), plural(n, "It holds", "They hold"), plural(n, "it", "them"))
	for _, b := range spent {
		fmt.Fprintf(e.out, "  %s (of %s, holding %q)\n", safe(b.Path), safe(b.Of), names[b.Key])
	}
	if !del {
		if !e.interactive() {
			fmt.Fprintln(e.out, "Delete "+plural(n, "it", "them")+" with: keywarden sweep --delete-backups")
			return
		}
		yes, err := e.askYesNo(fmt.Sprintf("Delete %s? [y/N] ", plural(n, "it", "them")), false)
		if err != nil || !yes {
			fmt.Fprintln(e.out, plural(n, "The backup was kept.", "The backups were kept."))
			return
		}
	}
	if err := svc.DeleteBackups(spent); err != nil {
		e.say("keywarden: %s", message(err))
		return
	}
	fmt.Fprintf(e.out, "Deleted %s.\n", count(n, "backup", "backups"))
}

// askYesNo asks a yes-or-no question on the terminal; Enter means def.
func (e *env) askYesNo(prompt string, def bool) (bool, error) {
	for {
		a, err := e.ask(prompt)
		if err != nil {
			return false, err
		}
		switch strings.ToLower(a) {
		case "":
			return def, nil
		case "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		}
		fmt.Fprintln(e.errw, "  Answer y or n.")
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// lineWords says "line 3" or "lines 3, 4".
func lineWords(lines []int) string {
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = strconv.Itoa(l)
	}
	if len(lines) == 1 {
		return "line " + s[0]
	}
	return "lines " + strings.Join(s, ", ")
}

// shellWord quotes a name for a shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.:/@+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
