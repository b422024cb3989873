package keys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/internal/atomicfile"
	"github.com/keywarden/keywarden/app/sweep"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
)

// Import is a key the sweep found, not in the vault, to bring in: the
// hit, and what the person said about it.
type Import struct {
	Hit     sweep.Hit
	Name    string
	Account string
	UsedBy  []string
	// Purpose is what the key is for; "" means PurposeFor what the
	// exchange reports.
	Purpose vault.Purpose
	// Readback is the answer of VerifyFound, when the face asked before
	// (to suggest a purpose); nil means Import verifies the key itself.
	Readback *vault.Readback
	// RemoveCopy removes the key from the file it was found in, after a
	// backup (see RemoveCopy). Never for a git history. While another
	// process has the file open for writing, nothing is imported.
	RemoveCopy bool
}

// Imported is what Import did.
type Imported struct {
	Record   vault.Record
	Readback vault.Readback
	// Removed says which lines left the file and where the backup is,
	// when the copy was removed.
	Removed *RemovedCopy
	// RemoveErr is why the copy was not removed, when it was asked for:
	// the key is saved all the same.
	RemoveErr error
	// BackupErr is why the backup could not be put on Keywarden's list of
	// backups (so no sweep will offer to delete it): the face names the
	// backup all the same.
	BackupErr error
}

// ImportError says in plain words why a found key cannot be imported.
// Nothing was saved.
type ImportError struct{ Msg string }

func (e *ImportError) Error() string { return "keys: import: " + e.Msg }

// CopyError says in plain words why a copy was not removed from its file.
// The file was not changed.
type CopyError struct {
	Msg string
	Err error
}

func (e *CopyError) Error() string {
	if e.Err != nil {
		return "keys: remove copy: " + e.Msg + ": " + e.Err.Error()
	}
	return "keys: remove copy: " + e.Msg
}

func (e *CopyError) Unwrap() error { return e.Err }

// foundPair returns the values of a found key, or why it cannot be
// imported.
func foundPair(h sweep.Hit) (vault.Secret, error) {
	api, priv, ok := h.Pair()
	switch {
	case !ok || h.Kind != sweep.KindUnknown:
		return vault.Secret{}, &ImportError{Msg: "This is a copy of a key Keywarden keeps already; there is nothing to import."}
	case api == "" || priv == "":
		return vault.Secret{}, &ImportError{Msg: fmt.Sprintf("Only the %s was found at %s, and a key needs both its API key and its private key. Find the other half, or delete the key on Kraken's website if nothing should use it. Nothing was saved.", h.Part.Words(), h.Where())}
	}
	return vault.Secret{APIKey: api, PrivateKey: priv}, nil
}

// VerifyFound asks the exchange about a key the sweep found (one
// GetApiKeyInfo call), so the face can show what it may do and suggest a
// purpose before the key is saved. A key the exchange does not accept is
// an *ImportError.
func (s *Service) VerifyFound(ctx context.Context, h sweep.Hit) (vault.Readback, error) {
	sec, err := foundPair(h)
	if err != nil {
		return vault.Readback{}, err
	}
	rb := s.Verify(ctx, sec, vault.TwoFANone, "")
	switch rb.Outcome {
	case vault.OutcomeOK:
		return rb, nil
	case vault.OutcomeInvalidKey:
		return rb, &ImportError{Msg: "Kraken does not know this key: it was deleted, or the copy is damaged. Nothing was saved; delete the copy if nothing uses it."}
	}
	msg := "The key could not be verified, so nothing was saved."
	if rb.Problem != "" {
		msg += " " + rb.Problem
	}
	msg += " If the key has its own 2FA on Kraken, add it with keywarden add --2fa."
	return rb, &ImportError{Msg: msg}
}

// PurposeFor suggests a purpose from the permissions the exchange reports:
// a key that only reads is a tax import (when it may read the ledger or
// export data) or a read-only dashboard; one that can trade but not move
// money out is a trading bot; anything else is custom.
func PurposeFor(perms []kraken.Permission) vault.Purpose {
	if len(perms) == 0 {
		return vault.PurposeCustom
	}
	switch kraken.MaxRisk(perms) {
	case kraken.RiskRead:
		if slices.Contains(perms, kraken.QueryLedger) || slices.Contains(perms, kraken.ExportData) {
			return vault.PurposeTaxImport
		}
		return vault.PurposeDashboard
	case kraken.RiskTrade:
		if slices.Contains(perms, kraken.ModifyTrades) || slices.Contains(perms, kraken.CloseTrades) {
			return vault.PurposeTradingBot
		}
	}
	return vault.PurposeCustom
}

// ImportName suggests a name for a found key (sweep.SuggestName), made
// unique among the keys in use: "freqtrade-mybot", else
// "freqtrade-mybot-2", ….
func ImportName(h sweep.Hit, recs []vault.Record) string {
	base := sweep.SuggestName(h)
	taken := func(name string) bool {
		return slices.ContainsFunc(recs, func(r vault.Record) bool {
			return !r.Retired() && strings.EqualFold(strings.TrimSpace(r.Name), name)
		})
	}
	name := base
	for i := 2; taken(name); i++ {
		name = base + "-" + strconv.Itoa(i)
	}
	return name
}

// Import brings a key the sweep found into the vault: it verifies it with
// the exchange (unless in.Readback holds that answer), saves the record and
// the secret through Add (a key kept already is refused with a
// *DuplicateKeyError naming the record), and then, if asked, removes the
// copy from its file (RemoveCopy) and puts the backup on Keywarden's list
// (SpentBackups offers it for deletion later). A copy that cannot be
// removed does not undo the import: Imported.RemoveErr says why. But while
// another process has the file open for writing, when the copy is to be
// removed, nothing is saved (*ImportError naming it): stopping that
// program first lets the whole import run again.
func (s *Service) Import(ctx context.Context, in Import) (Imported, error) {
	sec, err := foundPair(in.Hit)
	if err != nil {
		return Imported{}, err
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return Imported{}, &ImportError{Msg: "Give the key a name that says where it is used. Nothing was saved."}
	}
	var rb vault.Readback
	if in.Readback != nil {
		rb = *in.Readback
	} else if rb, err = s.VerifyFound(ctx, in.Hit); err != nil {
		return Imported{}, err
	}
	purpose := in.Purpose
	if purpose == "" {
		purpose = PurposeFor(rb.Permissions)
	}
	var usedBy []string
	for _, u := range in.UsedBy {
		if u = strings.TrimSpace(u); u != "" {
			usedBy = append(usedBy, u)
		}
	}
	rec := vault.Record{
		Name:     name,
		Account:  strings.TrimSpace(in.Account),
		Purpose:  purpose,
		UsedBy:   usedBy,
		Intended: kraken.SortPermissions(rb.Permissions),
		TwoFA:    vault.TwoFANone,
		Status:   vault.StatusActive,
		Restrictions: vault.Restrictions{
			IPAllowlist: rb.IPAllowlist,
			Expires:     rb.ValidUntil,
			NonceWindow: rb.NonceWindow,
		},
	}
	if in.RemoveCopy {
		// A program writing to the file would lose what it writes while the
		// copy is removed: nothing is saved until it is stopped.
		if ok, _ := CanRemoveCopy(in.Hit); ok {
			if hs, held := fileHeld(in.Hit.Path); held {
				msg := heldError(in.Hit.Path, hs, "Nothing was saved: stop it first, then import the key again (or import it without removing the copy).").Msg
				return Imported{}, &ImportError{Msg: msg}
			}
		}
	}
	saved, err := s.Add(ctx, NewKey{Record: rec, Secret: sec, Readback: &rb, Note: "imported from a copy found at " + in.Hit.Where()})
	if err != nil {
		return Imported{}, err
	}
	out := Imported{Record: saved, Readback: rb}
	if in.RemoveCopy {
		rc, err := RemoveCopy(ctx, in.Hit, s.now())
		if err != nil {
			out.RemoveErr = err
		} else {
			out.Removed = &rc
			// Listed, so that a later clean sweep offers to delete it.
			if err := s.noteBackup(Backup{Path: rc.Backup, Of: rc.Path, Key: saved.ID, Made: s.now()}); err != nil {
				out.BackupErr = err
			}
		}
	}
	return out, nil
}

// RemovedCopy says what RemoveCopy did.
type RemovedCopy struct {
	Path string
	// Lines are the lines changed, from 1, as they were numbered before:
	// those removed (Dropped) and those whose values were emptied.
	Lines []int
	// Dropped are the lines removed whole: once the key was cut out,
	// nothing but a name (KEY=) was left on them.
	Dropped []int
	// Blanked is set when the key's values were emptied in place on some
	// lines ("key": "" in a JSON file), the rest of the line kept.
	Blanked bool
	// Backup is the file's content before, beside it, readable by its
	// owner only (0600): it holds the key.
	Backup string
}

// Emptied returns the lines whose values were emptied in place.
func (rc RemovedCopy) Emptied() []int {
	var out []int
	for _, l := range rc.Lines {
		if !slices.Contains(rc.Dropped, l) {
			out = append(out, l)
		}
	}
	return out
}

// Holder is another process that has a file open for writing.
type Holder struct {
	PID  int
	Name string // its program's name, printable
}

// errHeld is what openRewrite returns, on systems that can only tell
// that some other process has the file open for writing.
var errHeld = errors.New("another program has the file open for writing")

// heldError says who holds the file open for writing, and what to do.
func heldError(path string, hs []Holder, after string) *CopyError {
	who := "Another program has"
	if len(hs) > 0 {
		names := make([]string, len(hs))
		for i, h := range hs {
			names[i] = fmt.Sprintf("%s (PID %d)", h.Name, h.PID)
		}
		who = plural(len(hs), "The program ", "The programs ") + strings.Join(names, ", ") + plural(len(hs), " has", " have")
	}
	return &CopyError{Msg: fmt.Sprintf("%s %s open for writing, so Keywarden left the file alone: what it writes while the file is rewritten would be lost. %s", who, path, after), Err: errHeld}
}

// fileHeld reports whether another process has the file open for
// writing, and which when the system tells. On Windows it tries the open
// the rewrite makes (openRewrite); elsewhere it does not open the file, so
// a program watching it sees nothing.
func fileHeld(path string) ([]Holder, bool) {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return nil, false // RemoveCopy says why it cannot work on it
	}
	if hs := writersOf(fi); len(hs) > 0 {
		return hs, true
	}
	if runtime.GOOS == "windows" {
		f, err := openRewrite(path)
		if err != nil {
			return nil, errors.Is(err, errHeld)
		}
		f.Close()
	}
	return nil, false
}

// plural says one or many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// CanRemoveCopy reports whether RemoveCopy may work on the hit, and why
// not in plain words: a copy in a git history, or inside a compressed
// file, is not in a file to edit.
func CanRemoveCopy(h sweep.Hit) (bool, string) {
	if h.Git != nil {
		return false, fmt.Sprintf("This copy is in the history of the git repository %s, not in a file Keywarden can edit. %s", h.Path, gitCopyStep(h.Git))
	}
	if _, _, ok := h.Pair(); !ok {
		return false, "Keywarden removes copies of keys it imports; for a copy of a key it keeps, replace it with keywarden exec."
	}
	if h.Packed != "" {
		return false, fmt.Sprintf("This copy is inside the compressed file %s, which Keywarden does not rewrite: delete the file, or unpack it, remove the key's lines and pack it again.", h.Path)
	}
	return true, ""
}

// backupSuffix is put after the file's name, with the time, for the backup
// RemoveCopy keeps; the sweep knows it too, to say what such a copy is.
const backupSuffix = sweep.BackupSuffix

// errChanged is what rewrite returns when the file is no longer the one
// the sweep read.
var errChanged = errors.New("the file changed")

// RemoveCopy removes the plain-text copy of a found key from its file. It
// cuts the key's API key and private key out wherever they are written,
// in any escaping (`\/`, `\u002b`, `%2B`), and nothing else: a JSON document
// (told by its content) has those string values emptied and stays valid
// JSON with every other value; in other text a line is dropped only when
// nothing but a name (KEY=) is left on it. It refuses, leaving the file
// alone, when it cannot do that (a .json file that is not valid JSON, a
// line of the sweep's it cannot cut), when the file changed since the
// sweep, or when another process has it open for writing (named, on
// Linux). It first keeps the whole file beside it, as
// FILE.keywarden-backup-<time>, mode 0600, and then rewrites the file in
// place, so it stays the same file for every program that has it open.
// A copy in a git history is never touched (*CopyError saying what to do
// instead).
func RemoveCopy(ctx context.Context, h sweep.Hit, now time.Time) (RemovedCopy, error) {
	if ok, why := CanRemoveCopy(h); !ok {
		return RemovedCopy{}, &CopyError{Msg: why}
	}
	api, priv, _ := h.Pair()
	path := h.Path
	changed := &CopyError{Msg: fmt.Sprintf("%s changed since the sweep, so Keywarden left it alone. Sweep again, then remove the copy.", path)}

	before, data, err := readPlain(path)
	if err != nil {
		return RemovedCopy{}, err
	}
	lines, err := storedLines(ctx, path, api, priv)
	if err != nil {
		return RemovedCopy{}, err
	}
	if !slices.Contains(lines, h.Line) || (h.PrivateLine != 0 && !slices.Contains(lines, h.PrivateLine)) || !same(path, before) {
		return RemovedCopy{}, changed
	}

	rc := RemovedCopy{Path: path}
	kept, err := cutCopy(path, data, secretForms(api, priv), &rc)
	if err != nil {
		return RemovedCopy{}, err
	}
	missed := &CopyError{Msg: fmt.Sprintf("Keywarden could not tell every line of %s that holds the key, so it left the file alone. Edit it by hand.", path)}
	for _, l := range lines {
		if !slices.Contains(rc.Lines, l) {
			return RemovedCopy{}, missed
		}
	}
	if leftIn(ctx, path, kept, api, priv) {
		return RemovedCopy{}, missed
	}
	if hs := writersOf(before); len(hs) > 0 {
		return RemovedCopy{}, heldError(path, hs, "Stop it first, then run again.")
	}

	backup, err := writeBackup(path, data, now)
	if err != nil {
		return RemovedCopy{}, err
	}
	if err := rewriteKeepingBackup(path, before, data, kept, backup, changed); err != nil {
		return RemovedCopy{}, err
	}
	rc.Backup = backup
	return rc, nil
}

// readPlain returns the file's information and content, or a *CopyError
// when it cannot be read or is not a plain file (a link, a device).
func readPlain(path string) (fs.FileInfo, []byte, error) {
	before, err := os.Lstat(path)
	if err != nil {
		return nil, nil, &CopyError{Msg: fmt.Sprintf("%s cannot be read, so the copy was not removed", path), Err: err}
	}
	if !before.Mode().IsRegular() {
		return nil, nil, &CopyError{Msg: fmt.Sprintf("%s is not a plain file (a link or a device), so Keywarden left it alone. Edit it by hand.", path)}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, &CopyError{Msg: fmt.Sprintf("%s cannot be read, so the copy was not removed", path), Err: err}
	}
	return before, data, nil
}

// storedLines finds the key again, the way the sweep did, in this one file,
// and returns the lines that hold it (outside any git history).
func storedLines(ctx context.Context, path, api, priv string) ([]int, error) {
	rep, err := sweep.Run(ctx, sweep.Options{Roots: []string{path}, NoGit: true,
		Keys: []sweep.Key{{ID: "found", Name: "found", APIKey: api, PrivateKey: priv}}})
	if err != nil {
		return nil, &CopyError{Msg: fmt.Sprintf("%s could not be read again, so the copy was not removed", path), Err: err}
	}
	var lines []int
	for _, f := range rep.Hits {
		if f.Git == nil && f.Kind == sweep.KindStored && !slices.Contains(lines, f.Line) {
			lines = append(lines, f.Line)
		}
	}
	return lines, nil
}

// writeBackup keeps data beside path as FILE.keywarden-backup-<time> (with
// -2, -3… when that name is taken), mode 0600 whatever the file's own
// mode, since it holds the key; it returns the backup's name.
func writeBackup(path string, data []byte, now time.Time) (string, error) {
	stamp := now.UTC().Format("20060102-150405")
	backup := path + backupSuffix + stamp
	for i := 2; ; i++ {
		if _, err := os.Lstat(backup); errors.Is(err, fs.ErrNotExist) {
			break
		}
		backup = path + backupSuffix + stamp + "-" + strconv.Itoa(i)
	}
	if err := atomicfile.WriteNew(backup, data, 0o600); err != nil {
		return "", &CopyError{Msg: fmt.Sprintf("The backup %s could not be written, so %s was left alone", backup, path), Err: err}
	}
	_ = atomicfile.SyncDir(filepath.Dir(backup)) // best effort: the backup is written and flushed
	return backup, nil
}

// rewriteKeepingBackup rewrites the file in place (rewrite); when the file
// changed or is held meanwhile it removes the backup, which is then not
// needed, and returns changed or the *CopyError naming who holds it; when
// the rewrite itself fails it keeps the backup and says so.
func rewriteKeepingBackup(path string, before fs.FileInfo, data, kept []byte, backup string, changed *CopyError) error {
	switch err := rewrite(path, before, data, kept); {
	case err == nil:
		return nil
	case errors.Is(err, errChanged):
		os.Remove(backup)
		return changed
	case errors.Is(err, errHeld):
		os.Remove(backup)
		var held *CopyError
		if !errors.As(err, &held) {
			held = heldError(path, nil, "Stop it first, then run again.")
		}
		return held
	default:
		return &CopyError{Msg: fmt.Sprintf("%s could not be rewritten. If it is damaged, copy the backup %s over it", path, backup), Err: err}
	}
}

// cutCopy returns the file's content without the key, and fills in which
// lines changed; a *CopyError when it cannot be done without damage.
func cutCopy(path string, data []byte, secrets []secretForm, rc *RemovedCopy) ([]byte, error) {
	switch {
	case isJSON(data):
		kept, lines, ok := cutJSON(data, secrets)
		if !ok {
			return nil, &CopyError{Msg: fmt.Sprintf("Emptying the key's values would leave %s no longer valid JSON, so Keywarden left it alone. Edit it by hand.", path)}
		}
		rc.Lines, rc.Blanked = lines, true
		return kept, nil
	case strings.EqualFold(filepath.Ext(path), ".json"):
		return nil, &CopyError{Msg: fmt.Sprintf("%s is named as JSON but does not read as JSON (comments, or a damaged file), so Keywarden cannot be sure to keep it working, and left it alone. Edit it by hand: empty the key's values.", path)}
	}
	kept, lines, dropped := cutLines(data, secrets)
	rc.Lines, rc.Dropped, rc.Blanked = lines, dropped, len(dropped) < len(lines)
	return kept, nil
}

// leftIn reports whether the content as it will be still holds the key in
// any form the sweep reads (or cannot be swept to tell): it is swept in a
// folder of its own, readable by this user only.
func leftIn(ctx context.Context, path string, kept []byte, api, priv string) bool {
	if bytes.Contains(kept, []byte(strings.TrimRight(api, "="))) || bytes.Contains(kept, []byte(strings.TrimRight(priv, "="))) {
		return true
	}
	dir, err := os.MkdirTemp("", "keywarden-clean-")
	if err != nil {
		return true
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, filepath.Base(path))
	if err := atomicfile.WriteNew(tmp, kept, 0o600); err != nil {
		return true
	}
	again, err := sweep.Run(ctx, sweep.Options{Roots: []string{tmp}, NoGit: true,
		Keys: []sweep.Key{{ID: "found", Name: "found", APIKey: api, PrivateKey: priv}}})
	return err != nil || len(again.Hits) > 0
}

// rewrite puts kept in place of the file's content, in the same file (its
// inode, its mode, every open handle of it), after a last look that it is
// still the file the sweep read: the same file, size, time and content
// (errChanged), and that no other process has it open for writing
// (errHeld). If writing fails midway it puts the old content back.
func rewrite(path string, before fs.FileInfo, data, kept []byte) error {
	f, err := openRewrite(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !os.SameFile(fi, before) || fi.Size() != before.Size() || !fi.ModTime().Equal(before.ModTime()) {
		return errChanged
	}
	cur, err := io.ReadAll(io.LimitReader(f, int64(len(data))+1))
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, data) {
		return errChanged
	}
	if hs := writersOf(fi); len(hs) > 0 {
		return heldError(path, hs, "Stop it first, then run again.")
	}
	_, err = f.WriteAt(kept, 0)
	if err == nil {
		err = f.Truncate(int64(len(kept)))
	}
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		if _, e := f.WriteAt(data, 0); e == nil {
			_ = f.Truncate(int64(len(data)))
			_ = f.Sync()
		}
		return err
	}
	return nil
}

// same reports whether the file at path has the mode, size and
// modification time it had.
func same(path string, was fs.FileInfo) bool {
	now, err := os.Lstat(path)
	return err == nil && now.Mode() == was.Mode() && now.Size() == was.Size() && now.ModTime().Equal(was.ModTime())
}

// ImportStep is the next step for a key found that is not in Keywarden, as
// the window says it beside its Import button: import it, and for a copy
// in a git history, what importing does not undo. (The sweep's own Hit.Next
// is for the command line: it says keywarden add.)
func ImportStep(h sweep.Hit) string {
	const importIt = "This key is not in Keywarden: import it, so Keywarden keeps it in the system keyring and can check what it may do."
	if h.Git == nil {
		return importIt
	}
	return importIt + " " + gitCopyStep(h.Git)
}

// gitCopyStep says what to do about a copy of a key in a git history, which
// no import removes.
func gitCopyStep(g *sweep.GitOrigin) string {
	commit := g.Commit
	if len(commit) > 12 {
		commit = commit[:12]
	}
	switch {
	case g.Pushed():
		return fmt.Sprintf("Commit %s holds it and was pushed (%s): treat the key as leaked. Delete it on Kraken's website (Settings → API) and make a new one; rewriting the history does not take the copy back.",
			commit, strings.Join(g.Remotes, ", "))
	case g.Commit == "":
		return fmt.Sprintf("Git keeps this object although no commit reaches it any more; delete it with: cd %s && git reflog expire --expire-unreachable=now --all && git gc --prune=now", g.Repo)
	}
	return fmt.Sprintf("Commit %s holds it but was not pushed: remove it from the history before you push (for example with git filter-repo --replace-text), or make a new key if this repository was ever copied elsewhere.", commit)
}
