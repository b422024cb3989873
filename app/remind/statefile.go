package remind

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/keywarden/keywarden/app/internal/atomicfile"
	"github.com/keywarden/keywarden/app/vault"
)

// File names in the vault's folder.
const (
	FileName    = "reminders.json"
	LockName    = "reminders.lock"
	DamagedName = FileName + ".damaged"
)

// SchemaVersion is the version of reminders.json this code reads and
// writes.
const SchemaVersion = 1

// ErrDamaged matches, with errors.Is, a reminders file that could not be
// read.
var ErrDamaged = errors.New("the reminders file is damaged")

// DamagedError says the reminders file could not be read, and so the
// reminders start over from nothing: reminders already shown may be shown
// once more, and snoozes and background-check choices are back to their
// defaults. The next save keeps the damaged file as DamagedName.
type DamagedError struct {
	Path   string
	Reason string
}

// Error says which file is damaged, why, and what that means.
func (e *DamagedError) Error() string {
	return fmt.Sprintf("%s: %s; reminders start over from nothing", e.Path, e.Reason)
}

// Is matches ErrDamaged.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

// StateFile is the reminders' state on disk: reminders.json, in the vault's
// folder. Every write replaces the file in one rename (atomicfile.Write)
// under an exclusive lock on reminders.lock (vault.LockFile), so the tray
// part and the window can both change it.
// A StateFile is safe for concurrent use.
type StateFile struct {
	dir string
}

// OpenState returns the state file in dir, the vault's folder
// (vault.DefaultDir or Store.Dir). It reads nothing yet.
func OpenState(dir string) *StateFile { return &StateFile{dir: dir} }

// Path returns the path of reminders.json.
func (f *StateFile) Path() string { return filepath.Join(f.dir, FileName) }

// Load reads the state. A missing file is an empty state. A damaged one
// gives an empty state and a *DamagedError to log; it never fails
// otherwise except when the file cannot be read at all.
func (f *StateFile) Load() (State, error) {
	st, _, err := f.read()
	return st, err
}

// Update applies fn to the latest state and saves the result, holding the
// lock so that changes by another process are not lost. When the file is
// damaged, fn starts from an empty state and the damaged file is kept as
// DamagedName; Load is the place that reports the damage.
func (f *StateFile) Update(fn func(*State)) error {
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return fmt.Errorf("remind: create the folder: %w", err)
	}
	unlock, err := vault.LockFile(filepath.Join(f.dir, LockName))
	if err != nil {
		return fmt.Errorf("remind: lock the reminders: %w", err)
	}
	defer unlock()
	st, old, err := f.read()
	var damaged *DamagedError
	switch {
	case errors.As(err, &damaged):
		if err := os.Rename(f.Path(), filepath.Join(f.dir, DamagedName)); err != nil {
			return fmt.Errorf("remind: set the damaged reminders file aside: %w", err)
		}
		old = nil
	case err != nil:
		return err
	}
	fn(&st)
	b, err := encode(st)
	if err != nil {
		return fmt.Errorf("remind: encode the reminders: %w", err)
	}
	if old != nil && bytes.Equal(b, old) {
		return nil
	}
	atomicfile.RemoveStaleTemps(f.Path()) // left by a writer that was killed
	if err := atomicfile.Write(f.Path(), b, 0o600); err != nil {
		return fmt.Errorf("remind: save the reminders: %w", err)
	}
	return nil
}

// read returns the state and the bytes it came from (nil when there is no
// file).
func (f *StateFile) read() (State, []byte, error) {
	b, err := vault.ReadFileLimit(f.Path(), vault.MaxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return State{}, nil, nil
	}
	if errors.Is(err, vault.ErrTooLarge) {
		// Refused unread; the next save sets it aside and starts afresh.
		return State{}, nil, &DamagedError{Path: f.Path(), Reason: fmt.Sprintf("the file is larger than %d MiB, far more than any reminders need, so it was not read", vault.MaxFileSize>>20)}
	}
	if err != nil {
		return State{}, nil, fmt.Errorf("remind: read the reminders: %w", err)
	}
	st, reason := decode(b)
	if reason != "" {
		return State{}, b, &DamagedError{Path: f.Path(), Reason: reason}
	}
	return st, b, nil
}

// document is the file's layout: the schema version beside the state.
type document struct {
	Schema *int `json:"schema"`
	State
}

func encode(st State) ([]byte, error) {
	v := SchemaVersion
	b, err := json.MarshalIndent(document{Schema: &v, State: st}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// decode parses the file, or says in plain words why it cannot.
func decode(b []byte) (State, string) {
	if len(bytes.TrimSpace(b)) == 0 {
		return State{}, "the file is empty"
	}
	var doc document
	if err := json.Unmarshal(b, &doc); err != nil {
		return State{}, "the file cannot be read as reminders: " + err.Error()
	}
	switch {
	case doc.Schema == nil:
		return State{}, "the file has no schema version"
	case *doc.Schema != SchemaVersion:
		return State{}, fmt.Sprintf("the file uses schema %d; this version knows schema %d", *doc.Schema, SchemaVersion)
	}
	return doc.State, ""
}
