package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/keywarden/keywarden/app/internal/atomicfile"
)

// File names inside the store folder.
const (
	FileName   = "keys.json"
	BackupName = FileName + ".bak"
	LockName   = "keys.lock"

	// Temporary files, as atomicfile.TempPrefix names them: a new keys.json being
	// written, and a new keys.json.bak being linked.
	tmpPrefix    = "." + FileName + ".tmp-"
	bakTmpPrefix = "." + BackupName + ".tmp-"
	damagedInfix = ".damaged-"
)

// linkFile is os.Link; tests replace it to exercise the copy fallback for
// file systems without hard links.
var linkFile = os.Link

// Store is the metadata store: one JSON document, keys.json, in a folder of
// its own. Reads need no lock, because every write replaces the file in one
// rename; writes go through Update, which holds an exclusive lock on
// keys.lock so that several running copies of Keywarden never lose each
// other's changes. A Store is safe for concurrent use.
type Store struct {
	dir string
}

// DefaultDir returns the folder Keywarden keeps its metadata in:
// os.UserConfigDir()/keywarden (on Linux $XDG_CONFIG_HOME/keywarden, else
// ~/.config/keywarden). In a test program it returns ErrRealDataInTest
// when that is the real user's folder (see guardTestDir).
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the config folder: %w", err)
	}
	dir := filepath.Join(base, "keywarden")
	if err := guardTestDir(dir); err != nil {
		return "", err
	}
	return dir, nil
}

// Open returns the store in dir, creating the folder (mode 0700) if needed
// and tightening its mode if others may read it. It reads nothing yet.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("vault: empty store folder")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	if err := guardTestDir(abs); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("vault: create the store folder: %w", err)
	}
	if runtime.GOOS != "windows" {
		st, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("vault: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("vault: %s is not a folder", abs)
		}
		if st.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(abs, 0o700); err != nil {
				return nil, fmt.Errorf("vault: restrict the store folder: %w", err)
			}
		}
	}
	return &Store{dir: abs}, nil
}

// Dir returns the store's folder.
func (s *Store) Dir() string { return s.dir }

// Path returns the path of the metadata file, keys.json.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// BackupPath returns the path of the previous version, keys.json.bak.
func (s *Store) BackupPath() string { return filepath.Join(s.dir, BackupName) }

// Load reads the metadata. A missing file is an empty vault. A file that
// cannot be read as a document of this version gives a *DamagedError and
// is left alone.
func (s *Store) Load() (*Data, error) {
	d, _, err := s.read()
	return d, s.ioError("read", err)
}

// Update applies fn to the latest metadata and saves the result. It takes
// the store's lock, re-reads the file under it (so changes made meanwhile
// by another process are kept), calls fn, checks the result with
// Data.Validate and writes it atomically, keeping the previous version as
// keys.json.bak. If fn returns an error nothing is written and that error
// is returned. fn runs with the lock held: it must be quick, and must not
// touch the keyring or the network.
func (s *Store) Update(fn func(*Data) error) error {
	unlock, err := s.lock()
	if err != nil {
		return s.ioError("lock", err)
	}
	defer unlock()
	s.removeStale()
	d, old, err := s.read()
	if err != nil {
		return s.ioError("read", err)
	}
	if err := fn(d); err != nil {
		return err
	}
	d.Version = SchemaVersion
	if err := d.Validate(); err != nil {
		return err
	}
	b, err := encode(d)
	if err != nil {
		return fmt.Errorf("vault: encode the key list: %w", err)
	}
	if old != nil && bytes.Equal(b, old) {
		return nil // unchanged: keep the backup one real change behind
	}
	return s.ioError("save", s.write(b, old != nil))
}

// RestoreBackup replaces a damaged keys.json with keys.json.bak. The damaged
// file is kept beside it as keys.json.damaged-<time>; that path is
// returned. It refuses when keys.json is not damaged (perhaps another copy
// of Keywarden already fixed it) and when the backup cannot be read either.
func (s *Store) RestoreBackup() (string, error) {
	unlock, err := s.lock()
	if err != nil {
		return "", err
	}
	defer unlock()
	_, _, err = s.read()
	var damaged *DamagedError
	if !errors.As(err, &damaged) {
		if err == nil {
			return "", ErrNotDamaged
		}
		return "", err
	}
	bak, err := ReadFileLimit(s.BackupPath(), MaxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return "", ErrNoBackup
	} else if err != nil {
		return "", fmt.Errorf("vault: read the backup: %w", err)
	}
	if _, err := decode(bak); err != nil {
		return "", &DamagedError{Path: s.BackupPath(), Reason: describe(err), Err: err}
	}
	// Before the backup's copy is renamed over keys.json, keep the damaged
	// file under a new name (a link, or a copy), so that keys.json never
	// goes missing: a reader would take that for an empty vault.
	var aside string
	err = atomicfile.WriteThen(s.Path(), bak, 0o600, func() error {
		name := s.asideName(time.Now())
		if err := linkFile(s.Path(), name); err != nil {
			if err := s.copyFile(s.Path(), name); err != nil {
				return fmt.Errorf("keep the damaged file: %w", err)
			}
		}
		aside = name
		return nil
	})
	if err != nil {
		return aside, fmt.Errorf("vault: restore the backup: %w", err)
	}
	return aside, nil
}

// copyFile copies src to dst (which must not exist) through a temporary
// file, flushed to disk.
func (s *Store) copyFile(src, dst string) error {
	b, err := ReadFile(src)
	if err != nil {
		return err
	}
	tmp, err := atomicfile.WriteTemp(s.Path(), b, 0o600)
	if err != nil {
		return err
	}
	if err := atomicfile.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// read returns the decoded document and the bytes it came from (nil when
// the file does not exist).
func (s *Store) read() (*Data, []byte, error) {
	if st, err := os.Lstat(s.Path()); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(s.Path())
		return nil, nil, &SymlinkError{Path: s.Path(), Target: target}
	}
	b, err := ReadFileLimit(s.Path(), MaxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return &Data{Version: SchemaVersion}, nil, nil
	}
	var d *Data
	switch {
	case errors.Is(err, ErrTooLarge):
		// Refused unread, as a damaged file: never written over, the
		// backup offered.
		err = &formatError{reason: fmt.Sprintf("the file is larger than %d MiB, far more than any key list needs, so it was not read", MaxFileSize>>20), err: err}
	case err != nil:
		return nil, nil, fmt.Errorf("vault: read the key list: %w", err)
	default:
		d, err = decode(b)
	}
	if err != nil {
		de := &DamagedError{Path: s.Path(), Reason: describe(err), Err: err, store: s}
		var fe *formatError
		if errors.As(err, &fe) {
			de.Newer, de.Schema = fe.newer, fe.schema
		}
		if st, err := os.Stat(s.BackupPath()); err == nil && st.Mode().IsRegular() {
			de.Backup = s.BackupPath()
		}
		return nil, nil, de
	}
	return d, b, nil
}

// write saves b as keys.json with atomicfile.WriteThen's steps (temp file,
// fsync, rename, fsync of the folder), and before the rename makes the
// previous version keys.json.bak. Called with the lock held.
func (s *Store) write(b []byte, hadFile bool) error {
	var backup func() error
	if hadFile {
		backup = s.backup
	}
	if err := atomicfile.WriteThen(s.Path(), b, 0o600, backup); err != nil {
		return fmt.Errorf("vault: save the key list: %w", err)
	}
	return nil
}

// backup makes keys.json.bak the current keys.json. A hard link shares the
// file, which is never written in place, so the backup is a complete earlier
// version at every moment; where links are not supported it is a copy.
// Either way it is made under a temporary name and renamed into place, so
// keys.json.bak is never missing or half written.
func (s *Store) backup() error {
	// The backup is the current file itself (a link): give it keys.json's
	// own mode first, in case an older version or a hand edit left it
	// readable by others.
	if err := os.Chmod(s.Path(), 0o600); err != nil {
		return fmt.Errorf("keep the backup: %w", err)
	}
	tmp := filepath.Join(s.dir, bakTmpPrefix+NewID())
	if err := linkFile(s.Path(), tmp); err != nil {
		if err := s.copyFile(s.Path(), s.BackupPath()); err != nil {
			return fmt.Errorf("keep the backup: %w", err)
		}
		return nil
	}
	if err := atomicfile.Rename(tmp, s.BackupPath()); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("keep the backup: %w", err)
	}
	return nil
}

// removeStale deletes temporary files left by a writer that was killed:
// those of keys.json and of keys.json.bak. Called with the lock held, so no
// live writer owns them.
func (s *Store) removeStale() {
	atomicfile.RemoveStaleTemps(s.Path())
	atomicfile.RemoveStaleTemps(s.BackupPath())
}

func (s *Store) asideName(now time.Time) string {
	base := s.Path() + damagedInfix + now.UTC().Format("20060102T150405Z")
	name := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

// ioError marks a failure to read, lock or save the key list file as a
// *StoreError, so it is explained as one; the package's own typed errors
// (a damaged file) pass as they are.
func (s *Store) ioError(op string, err error) error {
	var damaged *DamagedError
	if err == nil || errors.As(err, &damaged) {
		return err
	}
	return &StoreError{Op: op, Path: s.Path(), Err: err}
}

// lock takes the store's exclusive lock, waiting for it if needed.
func (s *Store) lock() (func(), error) {
	unlock, err := LockFile(filepath.Join(s.dir, LockName))
	if err != nil {
		return nil, fmt.Errorf("vault: lock the key list: %w", err)
	}
	return unlock, nil
}

func encode(d *Data) ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// formatError says why bytes are not a document this version can use.
type formatError struct {
	reason string
	newer  bool
	schema int
	err    error
}

func (e *formatError) Error() string {
	if e.err != nil {
		return e.reason + ": " + e.err.Error()
	}
	return e.reason
}

func (e *formatError) Unwrap() error { return e.err }

func describe(err error) string {
	var fe *formatError
	if errors.As(err, &fe) {
		return fe.reason
	}
	return err.Error()
}

// decode parses a metadata document. A file with a newer schema version is
// refused rather than misread, and so are records without an ID or with the
// same ID.
func decode(b []byte) (*Data, error) {
	var doc struct {
		Schema  *int     `json:"schema"`
		Records []Record `json:"records"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		var syntax *json.SyntaxError
		switch {
		case len(bytes.TrimSpace(b)) == 0:
			return nil, &formatError{reason: "the file is empty"}
		case errors.As(err, &syntax):
			return nil, &formatError{reason: "the file is not valid JSON", err: err}
		}
		// Valid JSON that does not fit: perhaps a newer layout.
		var head struct {
			Schema *int `json:"schema"`
		}
		if json.Unmarshal(b, &head) == nil && head.Schema != nil {
			if fe := checkSchema(*head.Schema); fe != nil {
				return nil, fe
			}
			return nil, &formatError{reason: "the records in the file cannot be read", schema: *head.Schema, err: err}
		}
		return nil, &formatError{reason: "the file is not laid out as a Keywarden key list", err: err}
	}
	if doc.Schema == nil {
		return nil, &formatError{reason: "the file has no schema version; it is not a Keywarden key list"}
	}
	if fe := checkSchema(*doc.Schema); fe != nil {
		return nil, fe
	}
	ids := make(map[string]struct{}, len(doc.Records))
	for i := range doc.Records {
		id := doc.Records[i].ID
		if id == "" {
			return nil, &formatError{reason: fmt.Sprintf("record %d has no ID", i+1), schema: *doc.Schema}
		}
		if _, dup := ids[id]; dup {
			return nil, &formatError{reason: fmt.Sprintf("two records share the ID %q", id), schema: *doc.Schema}
		}
		ids[id] = struct{}{}
	}
	return &Data{Version: *doc.Schema, Records: doc.Records}, nil
}

// checkSchema refuses schema versions this code does not know.
func checkSchema(v int) *formatError {
	switch {
	case v > SchemaVersion:
		return &formatError{
			reason: fmt.Sprintf("the file uses schema %d, written by a newer Keywarden; this version knows schema %d", v, SchemaVersion),
			newer:  true, schema: v,
		}
	case v < 1:
		return &formatError{reason: fmt.Sprintf("the file has an unknown schema version %d", v), schema: v}
	}
	return nil
}
