package keys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

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
	// RemoveCopy removes the lines holding the key from the file it was
	// found in, after a backup (see RemoveCopy). Never for a git history.
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
// copy from its file (RemoveCopy). A copy that cannot be removed does not
// undo the import: Imported.RemoveErr says why.
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
		}
	}
	return out, nil
}

// RemovedCopy says what RemoveCopy did.
type RemovedCopy struct {
	Path string
	// Lines are the lines removed, from 1, as they were numbered before;
	// in a JSON file, the lines whose values were emptied (Blanked).
	Lines []int
	// Blanked is set when the key's values were emptied ("key": "") in
	// a JSON file rather than its lines removed, so the file stays JSON.
	Blanked bool
	// Backup is the file's content before, beside it with its mode.
	Backup string
}

// CanRemoveCopy reports whether RemoveCopy may work on the hit, and why
// not in plain words: a copy in a git history is not in a file to edit.
func CanRemoveCopy(h sweep.Hit) (bool, string) {
	if h.Git != nil {
		return false, fmt.Sprintf("This copy is in the history of the git repository %s, not in a file Keywarden can edit: %s", h.Path, h.Next)
	}
	if _, _, ok := h.Pair(); !ok {
		return false, "Keywarden removes copies of keys it imports; for a copy of a key it keeps, replace it with keywarden exec."
	}
	return true, ""
}

// backupSuffix is put after the file's name, with the time, for the backup
// RemoveCopy keeps.
const backupSuffix = ".keywarden-backup-"

// RemoveCopy removes the plain-text copy of a found key from its file:
// every line holding its API key or its private key, in any form the sweep
// reads (in a JSON file, the values are emptied instead where they are
// written plain, so the file stays JSON). The file as it will be is swept
// again before it replaces the old one: no copy may remain. First it keeps the whole file beside it, as
// FILE.keywarden-backup-<time> with the file's mode, and it refuses to
// touch a file that changed since the sweep: the key must still be on the
// lines the sweep saw it on, and the file must not change while it works.
// A copy in a git history is never touched (*CopyError saying what to do
// instead).
func RemoveCopy(ctx context.Context, h sweep.Hit, now time.Time) (RemovedCopy, error) {
	if ok, why := CanRemoveCopy(h); !ok {
		return RemovedCopy{}, &CopyError{Msg: why}
	}
	api, priv, _ := h.Pair()
	path := h.Path
	changed := &CopyError{Msg: fmt.Sprintf("%s changed since the sweep, so Keywarden left it alone. Sweep again, then remove the copy.", path)}

	before, err := os.Lstat(path)
	if err != nil {
		return RemovedCopy{}, &CopyError{Msg: fmt.Sprintf("%s cannot be read, so the copy was not removed", path), Err: err}
	}
	if !before.Mode().IsRegular() {
		return RemovedCopy{}, &CopyError{Msg: fmt.Sprintf("%s is not a plain file (a link or a device), so Keywarden left it alone. Edit it by hand.", path)}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return RemovedCopy{}, &CopyError{Msg: fmt.Sprintf("%s cannot be read, so the copy was not removed", path), Err: err}
	}
	// Find the key again, the way the sweep did, in this one file.
	rep, err := sweep.Run(ctx, sweep.Options{Roots: []string{path}, NoGit: true,
		Keys: []sweep.Key{{ID: "found", Name: "found", APIKey: api, PrivateKey: priv}}})
	if err != nil {
		return RemovedCopy{}, &CopyError{Msg: fmt.Sprintf("%s could not be read again, so the copy was not removed", path), Err: err}
	}
	var lines []int
	for _, f := range rep.Hits {
		if f.Git == nil && f.Kind == sweep.KindStored && !slices.Contains(lines, f.Line) {
			lines = append(lines, f.Line)
		}
	}
	slices.Sort(lines)
	if !slices.Contains(lines, h.Line) || (h.PrivateLine != 0 && !slices.Contains(lines, h.PrivateLine)) {
		return RemovedCopy{}, changed
	}
	if !same(path, before) {
		return RemovedCopy{}, changed
	}
	var kept []byte
	blanked := false
	if strings.EqualFold(filepath.Ext(path), ".json") {
		kept, blanked = blankValues(data, lines, api, priv)
	}
	if !blanked {
		kept = dropLines(data, lines)
	}
	missed := &CopyError{Msg: fmt.Sprintf("Keywarden could not tell every line of %s that holds the key, so it left the file alone. Edit it by hand.", path)}
	if bytes.Contains(kept, []byte(strings.TrimRight(api, "="))) || bytes.Contains(kept, []byte(strings.TrimRight(priv, "="))) {
		return RemovedCopy{}, missed
	}

	mode := before.Mode().Perm()
	backup := path + backupSuffix + now.UTC().Format("20060102-150405")
	for i := 2; ; i++ {
		if _, err := os.Lstat(backup); errors.Is(err, fs.ErrNotExist) {
			break
		}
		backup = path + backupSuffix + now.UTC().Format("20060102-150405") + "-" + strconv.Itoa(i)
	}
	if err := writeNew(backup, data, mode); err != nil {
		return RemovedCopy{}, &CopyError{Msg: fmt.Sprintf("The backup %s could not be written, so %s was left alone", backup, path), Err: err}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".keywarden-*")
	if err != nil {
		return RemovedCopy{}, &CopyError{Msg: fmt.Sprintf("%s could not be rewritten (its folder does not take a new file), so it was left alone; the backup %s is kept", path, backup), Err: err}
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(mode); err != nil {
		return RemovedCopy{}, &CopyError{Msg: fmt.Sprintf("%s could not be rewritten, so it was left alone", path), Err: err}
	}
	if _, err := tmp.Write(kept); err != nil {
		return RemovedCopy{}, &CopyError{Msg: fmt.Sprintf("%s could not be rewritten, so it was left alone", path), Err: err}
	}
	if err := tmp.Sync(); err != nil {
		return RemovedCopy{}, &CopyError{Msg: fmt.Sprintf("%s could not be rewritten, so it was left alone", path), Err: err}
	}
	if err := tmp.Close(); err != nil {
		return RemovedCopy{}, &CopyError{Msg: fmt.Sprintf("%s could not be rewritten, so it was left alone", path), Err: err}
	}
	// The file as it will be must hold no copy in any form the sweep reads.
	again, err := sweep.Run(ctx, sweep.Options{Roots: []string{tmp.Name()}, NoGit: true,
		Keys: []sweep.Key{{ID: "found", Name: "found", APIKey: api, PrivateKey: priv}}})
	if err != nil || len(again.Hits) > 0 {
		os.Remove(backup)
		return RemovedCopy{}, missed
	}
	if !same(path, before) { // last look: nothing wrote to it meanwhile
		os.Remove(backup)
		return RemovedCopy{}, changed
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return RemovedCopy{}, &CopyError{Msg: fmt.Sprintf("%s could not be replaced, so it was left alone", path), Err: err}
	}
	done = true
	syncDir(filepath.Dir(path))
	return RemovedCopy{Path: path, Lines: lines, Blanked: blanked, Backup: backup}, nil
}

// same reports whether the file at path has the size and modification time
// it had.
func same(path string, was fs.FileInfo) bool {
	now, err := os.Lstat(path)
	return err == nil && now.Mode() == was.Mode() && now.Size() == was.Size() && now.ModTime().Equal(was.ModTime())
}

// dropLines returns data without the given lines (from 1).
func dropLines(data []byte, lines []int) []byte {
	out := make([]byte, 0, len(data))
	n := 1
	for len(data) > 0 {
		end := bytes.IndexByte(data, '\n')
		if end < 0 {
			end = len(data) - 1
		}
		if !slices.Contains(lines, n) {
			out = append(out, data[:end+1]...)
		}
		data = data[end+1:]
		n++
	}
	return out
}

// blankValues empties the key's values, as written plain or with "\/",
// on the given lines (from 1): "key": "" keeps a JSON file JSON. ok is
// false when a line holds neither value in those forms.
func blankValues(data []byte, lines []int, api, priv string) (out []byte, ok bool) {
	var forms [][]byte
	for _, v := range []string{api, priv} {
		forms = append(forms, []byte(strings.ReplaceAll(v, "/", `\/`)), []byte(v))
	}
	out = make([]byte, 0, len(data))
	n := 1
	for len(data) > 0 {
		end := bytes.IndexByte(data, '\n')
		if end < 0 {
			end = len(data) - 1
		}
		line := data[:end+1]
		if slices.Contains(lines, n) {
			was := line
			for _, f := range forms {
				line = bytes.ReplaceAll(line, f, nil)
			}
			if bytes.Equal(was, line) {
				return nil, false
			}
		}
		out = append(out, line...)
		data = data[end+1:]
		n++
	}
	return out, true
}

// writeNew writes a new file with data and mode, durably; it fails when
// the file exists.
func writeNew(path string, data []byte, mode fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	err = f.Chmod(mode) // the umask may have narrowed it
	if err == nil {
		_, err = f.Write(data)
	}
	if err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// syncDir makes a rename in dir durable, where the system allows.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
