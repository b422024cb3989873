// Package atomicfile is Keywarden's one way to write a file durably: a
// whole new version through a temporary file, a flush and a rename (Write),
// or a new file that must not exist yet (WriteNew). Every state file
// (keys.json, settings, reminders, app 2FA, import backups), the autostart
// entry and the window's state go through it, so a crash or a kill leaves
// either the old content or the new, never a mix.
//
// It is a leaf of the standard library (and x/sys on Windows), so that
// packages which must not import app/vault and its keyring (app/autostart,
// the faces) can use it too.
package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
)

// Write replaces the file at path with data, so that readers, even after a
// crash, find either the old content or the new and never a mix: it writes
// data to a temporary file in the same folder, flushes it to disk, renames
// it over path and flushes the folder. The new file has mode perm.
//
// If it fails before the rename, path is left as it was and the temporary
// file is removed. A writer killed midway leaves its temporary file behind,
// which RemoveStaleTemps deletes. Writers of the same path that may run at
// once should hold a lock (vault.LockFile), or the last rename wins.
func Write(path string, data []byte, perm os.FileMode) error {
	return WriteThen(path, data, perm, nil)
}

// WriteThen is Write with a step between writing the temporary file and
// renaming it over path: if beforeRename (which may be nil) fails, path is
// left as it was and its error is returned. The vault uses the step to
// keep the previous keys.json as its backup.
func WriteThen(path string, data []byte, perm os.FileMode, beforeRename func() error) error {
	tmp, err := WriteTemp(path, data, perm)
	if err != nil {
		return err
	}
	if beforeRename != nil {
		err = beforeRename()
	}
	if err == nil {
		err = Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// WriteTemp writes data to a new file beside path, named TempPrefix(path)
// and a random suffix, with mode perm, and flushes it to disk. It returns
// the new file's name; the caller renames it into place.
func WriteTemp(path string, data []byte, perm os.FileMode) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), TempPrefix(path)+"*")
	if err != nil {
		return "", err
	}
	if err := fill(f, data, perm, perm != 0o600); err != nil { // 0600 is the mode CreateTemp gives
		return "", err
	}
	return f.Name(), nil
}

// WriteNew writes data to a new file at path with mode perm, and flushes
// it to disk; it fails, and touches nothing, when path exists. On failure
// after creating the file it removes it. The caller flushes the folder
// (SyncDir) when the name itself must survive a crash.
func WriteNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	return fill(f, data, perm, true) // the umask may have narrowed the mode
}

// fill sets the new file f's mode to perm (when chmod), writes data, flushes
// it to disk and closes it; on failure it removes the file.
func fill(f *os.File, data []byte, perm os.FileMode, chmod bool) error {
	var err error
	if chmod {
		err = f.Chmod(perm)
	}
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// RemoveStaleTemps deletes the temporary files that Write(path, …) leaves
// behind when the writer is killed before its rename. Call it with the
// lock the writers of path hold, so that no live writer owns them. It does
// its best and reports nothing.
func RemoveStaleTemps(path string) {
	dir, prefix := filepath.Dir(path), TempPrefix(path)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), prefix) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// TempPrefix begins the names of the temporary files path is written
// through: ".keys.json.tmp-" for keys.json. The leading dot hides them.
func TempPrefix(path string) string {
	return "." + filepath.Base(path) + ".tmp-"
}
