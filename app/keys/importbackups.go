package keys

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/internal/atomicfile"
	"github.com/keywarden/keywarden/app/sweep"
	"github.com/keywarden/keywarden/app/vault"
)

// The list of the backups RemoveCopy made for Import, beside keys.json,
// and the lock its writers hold.
const (
	backupsName     = "backups.json"
	backupsLockName = "backups.lock"
	// backupsMax is the most of the list Keywarden reads.
	backupsMax = 1 << 20
)

// Backup is a file Keywarden kept before it removed a key's copy from it.
// It holds the key, so it is offered for deletion once a sweep finds no
// other copy of the key (SpentBackups).
type Backup struct {
	// Path is the backup; Of the file it is a copy of.
	Path string    `json:"path"`
	Of   string    `json:"of"`
	Key  string    `json:"key"` // the record ID of the key it holds
	Made time.Time `json:"made"`
}

func (s *Service) backupsPath() string { return filepath.Join(s.store.Dir(), backupsName) }

// Backups returns the backups Keywarden made that are still there.
func (s *Service) Backups() ([]Backup, error) {
	all, err := s.readBackups()
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(b Backup) bool { return !isFile(b.Path) }), nil
}

// readBackups reads the list; a missing list is empty. A list that is not
// a plain file, or not JSON, is an error: its backups are never forgotten
// by overwriting it.
func (s *Service) readBackups() ([]Backup, error) {
	p := s.backupsPath()
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("keys: %s is not a plain file", p)
	}
	b, err := vault.ReadFileLimit(p, backupsMax)
	if err != nil {
		return nil, err
	}
	var all []Backup
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, fmt.Errorf("keys: %s is damaged: %w", p, err)
	}
	return all, nil
}

// updateBackups changes the list with fn under its lock, forgetting the
// backups that are gone.
func (s *Service) updateBackups(fn func([]Backup) []Backup) error {
	unlock, err := vault.LockFile(filepath.Join(s.store.Dir(), backupsLockName))
	if err != nil {
		return err
	}
	defer unlock()
	all, err := s.readBackups()
	if err != nil {
		return err
	}
	all = slices.DeleteFunc(fn(all), func(b Backup) bool { return !isFile(b.Path) })
	b, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(s.backupsPath(), append(b, '\n'), 0o600)
}

// noteBackup adds a backup to the list.
func (s *Service) noteBackup(b Backup) error {
	return s.updateBackups(func(all []Backup) []Backup { return append(all, b) })
}

// SpentBackups returns the backups no longer needed after a sweep: their
// key was looked for (its record ID is in lookedFor: the sweep had its
// secret), the file they were made of lies under the sweep's roots, and
// the sweep found no copy of the key except in Keywarden's own backups.
func (s *Service) SpentBackups(rep *sweep.Report, lookedFor []string) ([]Backup, error) {
	all, err := s.Backups()
	if err != nil || rep == nil {
		return nil, err
	}
	ours := map[string]bool{}
	for _, b := range all {
		ours[filepath.Clean(b.Path)] = true
	}
	var out []Backup
	for _, b := range all {
		if !slices.Contains(lookedFor, b.Key) || !slices.ContainsFunc(rep.Roots, func(r string) bool { return under(b.Of, r) }) {
			continue
		}
		left := slices.ContainsFunc(rep.Hits, func(h sweep.Hit) bool {
			return h.Kind == sweep.KindStored && h.Key != nil && h.Key.ID == b.Key && (h.Git != nil || !ours[filepath.Clean(h.Path)])
		})
		if !left {
			out = append(out, b)
		}
	}
	return out, nil
}

// DeleteBackups deletes backups Keywarden made (only those on its list)
// and forgets them. It names those it could not delete.
func (s *Service) DeleteBackups(bs []Backup) error {
	var failed []string
	err := s.updateBackups(func(all []Backup) []Backup {
		for _, b := range bs {
			if !slices.ContainsFunc(all, func(o Backup) bool { return o.Path == b.Path }) || !isFile(b.Path) {
				continue
			}
			if err := os.Remove(b.Path); err != nil {
				failed = append(failed, b.Path)
			}
		}
		return all
	})
	if err != nil {
		return &CopyError{Msg: "The list of Keywarden's backups could not be updated, so no backup was deleted", Err: err}
	}
	if len(failed) > 0 {
		return &CopyError{Msg: "These backups could not be deleted; delete them by hand: " + strings.Join(failed, ", ")}
	}
	return nil
}

// isFile reports whether path is a plain file (not a link).
func isFile(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode().IsRegular()
}

// under reports whether path is root or lies under it.
func under(path, root string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
