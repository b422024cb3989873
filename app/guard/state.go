package guard

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/keywarden/keywarden/app/internal/atomicfile"
	"github.com/keywarden/keywarden/app/vault"
)

// File names of the guard's state, in the vault's folder beside keys.json.
const (
	StateName     = "guard.json"
	StateLockName = "guard.lock"
)

// stateSchema is the version of guard.json this code reads and writes.
const stateSchema = 1

// maxStateSize caps what is read of guard.json: a real one is a few
// hundred bytes.
const maxStateSize = 64 << 10

// State is what the guard remembers between processes: whether app 2FA is
// on (when no Flags are given), the wrong codes in a row, the lock's end and
// the time steps whose codes were accepted lately. It never holds a code or
// the seed. It can only add to the protection: while the seed is in the
// keyring app 2FA is on whatever State says (Guard.Required).
type State struct {
	// Enabled is the on/off switch, used when the guard has no Flags.
	Enabled bool `json:"enabled"`
	// Wrong is how many wrong codes were typed in a row.
	Wrong int `json:"wrong"`
	// LockedUntil is when the lock after MaxWrong wrong codes ends.
	LockedUntil time.Time `json:"lockedUntil,omitzero"`
	// Used lists the time steps (Unix time / Period) whose codes were
	// accepted and are still within reach of Skew: each is accepted once.
	Used []int64 `json:"used,omitempty"`
	// Rebuilt is set when the state was lost while app 2FA was on and was
	// made up again as a lock (rebuild), so the lock's message can say why.
	Rebuilt bool `json:"rebuilt,omitempty"`

	// Lost is set by Load and Update when guard.json was missing, damaged,
	// of an unknown schema, too big or not a regular file: what it held is
	// unknown. It is never saved.
	Lost bool `json:"-"`
}

// StateStore keeps a State. Update applies fn to the latest State and saves
// it, excluding every other Update on the same store, in this process or
// another, until it returns.
type StateStore interface {
	Load() (State, error)
	Update(fn func(*State) error) error
}

// MemoryState is a StateStore in memory: one process only, forgotten at
// exit. For tests, and for a guard whose state need not outlive it.
type MemoryState struct {
	mu sync.Mutex
	st State
}

// NewMemoryState returns an empty MemoryState.
func NewMemoryState() *MemoryState { return &MemoryState{} }

// Load returns a copy of the state.
func (m *MemoryState) Load() (State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st.clone(), nil
}

// Update applies fn to the state; an error from fn changes nothing.
func (m *MemoryState) Update(fn func(*State) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.st.clone()
	if err := fn(&st); err != nil {
		return err
	}
	m.st = st
	return nil
}

// FileState keeps the State in guard.json in the vault's folder, so that the
// window, the tray part and the command line, in one process or several,
// count the same wrong codes, honour the same lock and refuse the same used
// codes, also after a restart. Every Update holds an exclusive lock on
// guard.lock and replaces the file in one rename (vault.LockFile,
// atomicfile.Write).
//
// Whoever can write in the folder can delete, empty or replace the file.
// That never turns app 2FA off: the seed in the keyring says whether it is
// on (Guard.Required). A file that is missing, damaged, of an unknown
// schema, too big or not a regular file reads as a Lost state, which the
// guard rebuilds as the most careful state there could have been (rebuild):
// the last codes used and a fresh lock. Deleting the file therefore never
// buys a guess sooner than waiting would.
type FileState struct {
	dir string
}

// OpenState returns the state file in dir, the vault's folder (Store.Dir).
// It reads nothing yet.
func OpenState(dir string) *FileState { return &FileState{dir: dir} }

// Path returns the path of guard.json.
func (f *FileState) Path() string { return filepath.Join(f.dir, StateName) }

// Load reads the state; a missing or damaged file is an empty, Lost state.
func (f *FileState) Load() (State, error) {
	return f.read()
}

// Update applies fn to the latest state and saves it under the lock. An
// error from fn changes nothing.
func (f *FileState) Update(fn func(*State) error) error {
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return fmt.Errorf("guard: create the folder: %w", err)
	}
	unlock, err := vault.LockFile(filepath.Join(f.dir, StateLockName))
	if err != nil {
		return fmt.Errorf("guard: lock the state: %w", err)
	}
	defer unlock()
	st, err := f.read()
	if err != nil {
		return err
	}
	if err := fn(&st); err != nil {
		return err
	}
	b, err := json.MarshalIndent(document{Schema: stateSchema, State: st}, "", "  ")
	if err != nil {
		return fmt.Errorf("guard: encode the state: %w", err)
	}
	atomicfile.RemoveStaleTemps(f.Path())
	if err := atomicfile.Write(f.Path(), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("guard: save the state: %w", err)
	}
	return nil
}

// document is guard.json's layout.
type document struct {
	Schema int `json:"schema"`
	State
}

// read returns the state in the file, or a Lost state when the file says
// nothing trustworthy; only a file that exists and cannot be read is an
// error (which Enabled counts as on).
func (f *FileState) read() (State, error) {
	lost := State{Lost: true}
	// A FIFO, device or folder in its place is refused (vault.ErrNotRegular,
	// naming the file) without being opened for long: the sensitive action
	// then stops, which is closed, and the message says to move it away.
	b, err := vault.ReadFileLimit(f.Path(), maxStateSize)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, vault.ErrTooLarge):
		return lost, nil
	case err != nil:
		return State{}, fmt.Errorf("guard: read the state: %w", err)
	}
	var doc document
	if json.Unmarshal(b, &doc) != nil || doc.Schema != stateSchema {
		return lost, nil
	}
	return doc.State, nil
}

func (s State) clone() State {
	s.Used = slices.Clone(s.Used)
	return s
}

// used reports whether step's code was accepted already.
func (s *State) used(step int64) bool { return slices.Contains(s.Used, step) }

// rebuild makes up a Lost state while app 2FA is on (its seed is in the
// keyring) as the most careful one the lost file could have held: the
// codes of the current and previous time steps count as used, and codes
// are not checked for LockTimeout, as after MaxWrong wrong codes. Without
// the lock, deleting the file after each few wrong codes would buy fresh
// guesses; with it, deleting never gives a guess sooner than waiting
// would. A person whose file really vanished waits one minute once, and is
// told why.
func (s *State) rebuild(now time.Time) {
	cur := counter(now)
	*s = State{Enabled: true, Used: []int64{cur - 1, cur}, LockedUntil: now.Add(LockTimeout), Rebuilt: true}
}

// markUsed records step, dropping steps no code can match any more.
func (s *State) markUsed(step int64, now time.Time) {
	cur := counter(now)
	s.Used = slices.DeleteFunc(s.Used, func(u int64) bool { return u < cur-2*Skew })
	s.Used = append(s.Used, step)
}
