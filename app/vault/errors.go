package vault

import (
	"errors"
	"fmt"
	"strings"
)

// Errors of the metadata store, matched with errors.Is.
var (
	// ErrDamaged is matched by every *DamagedError.
	ErrDamaged = errors.New("the key list file is damaged")
	// ErrNoBackup is returned by RestoreBackup when there is no backup.
	ErrNoBackup = errors.New("there is no backup of the key list")
	// ErrNotDamaged is returned by RestoreBackup when the file reads fine.
	ErrNotDamaged = errors.New("the key list is not damaged")
	// ErrSymlink is matched by every *SymlinkError.
	ErrSymlink = errors.New("the key list is a symbolic link")
)

// SymlinkError says keys.json is a symbolic link. Keywarden neither reads
// nor writes through it: a link planted in the folder must not make it
// overwrite another file, nor turn keys.json.bak into a link too.
type SymlinkError struct {
	Path   string
	Target string // where the link points, as written in it
}

// Error names the link and its target.
func (e *SymlinkError) Error() string {
	return fmt.Sprintf("vault: %s is a symbolic link to %s", e.Path, e.Target)
}

// Is makes errors.Is(err, ErrSymlink) true.
func (e *SymlinkError) Is(target error) bool { return target == ErrSymlink }

// DamagedError says that keys.json exists but cannot be used: it is not
// valid JSON, not a Keywarden document, or written by a newer Keywarden.
// The file is never overwritten while it is in this state; the user can
// restore the backup (RestoreBackup), fix the file, or update Keywarden.
type DamagedError struct {
	Path   string // the damaged file
	Reason string // what is wrong, in plain words
	// Backup is the path of keys.json.bak, or "" when there is none.
	Backup string
	// Newer is true when the file was written by a newer Keywarden (its
	// schema version is Schema); restoring the backup is then the wrong
	// advice: update Keywarden instead.
	Newer  bool
	Schema int
	Err    error // the parser's error, if any
	store  *Store
}

// Error names the file and what is wrong with it.
func (e *DamagedError) Error() string {
	msg := fmt.Sprintf("vault: %s cannot be used: %s", e.Path, e.Reason)
	if e.Backup != "" {
		msg += "; a backup exists at " + e.Backup
	} else {
		msg += "; there is no backup"
	}
	return msg
}

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

// Unwrap returns the parser's error.
func (e *DamagedError) Unwrap() error { return e.Err }

// HasBackup reports whether a backup exists that RestoreBackup can use.
func (e *DamagedError) HasBackup() bool { return e.Backup != "" && e.store != nil }

// RestoreBackup puts the backup in place of the damaged file, keeping the
// damaged file beside it; see Store.RestoreBackup. It returns where the
// damaged file went.
func (e *DamagedError) RestoreBackup() (string, error) {
	if e.store == nil {
		return "", ErrNoBackup
	}
	return e.store.RestoreBackup()
}

// StoreError is a failure to read, lock or save the key list file itself:
// a folder that cannot be written, a full disk, a file that cannot be read.
type StoreError struct {
	Op   string // "read", "lock" or "save"
	Path string
	Err  error
}

func (e *StoreError) Error() string {
	return fmt.Sprintf("vault: %s %s: %v", e.Op, e.Path, e.Err)
}

// Unwrap returns the cause.
func (e *StoreError) Unwrap() error { return e.Err }

// UserMessage turns an error from this package into plain words that say
// what happened and what to do next, for the GUI and the command line. The
// full error belongs in the log. It never includes a secret.
func UserMessage(err error) string {
	if err == nil {
		return ""
	}
	for _, words := range []func(error) string{keyringMessage, fileMessage, recordMessage} {
		if msg := words(err); msg != "" {
			return msg
		}
	}
	return "Keywarden could not read or save its key list. Check that its folder exists and that you may write to it; the log has details."
}

// fileMessage is UserMessage for an error about the key list's file (and
// its backup), or "" for any other error.
func fileMessage(err error) string {
	var (
		damaged  *DamagedError
		storeErr *StoreError
		link     *SymlinkError
		irreg    *NotRegularError
		large    *TooLargeError
	)
	switch {
	case errors.As(err, &irreg):
		return fmt.Sprintf("%s is not a regular file (it is %s), so Keywarden did not read it. Move it away (or put the real file in its place), then try again.", irreg.Path, Kind(irreg.Mode))
	case errors.As(err, &link):
		return fmt.Sprintf("Your key list (%s) is a symbolic link to %s. Keywarden does not read or write its key list through a link, so that a link put in its folder cannot make it overwrite another file. If you made the link yourself, put the file itself in its place (move %s to %s), then try again.", link.Path, link.Target, link.Target, link.Path)
	case errors.As(err, &damaged):
		return damagedMessage(damaged)
	case errors.As(err, &large): // a file read alone; the key list's own is a DamagedError, above
		return fmt.Sprintf("%s is larger than %d MiB, far more than Keywarden ever writes, so it was not read. Move it away (look at what it holds first), then try again.", large.Path, large.Max>>20)
	case errors.As(err, &storeErr) && storeErr.Op == "read":
		return fmt.Sprintf("Keywarden could not read its key list (%s). Check that the file and its folder may be read by you, then try again.", storeErr.Path)
	case errors.As(err, &storeErr):
		return fmt.Sprintf("Keywarden could not save its key list (%s), so nothing was changed. Check that its folder exists, that you may write to it and that the disk is not full, then try again.", storeErr.Path)
	case errors.Is(err, ErrNoBackup):
		return "There is no backup of the key list to restore."
	case errors.Is(err, ErrNotDamaged):
		return "The key list reads fine now (perhaps another Keywarden window fixed it); nothing was restored."
	}
	return ""
}

// damagedMessage is UserMessage for a damaged key list or backup.
func damagedMessage(damaged *DamagedError) string {
	switch {
	case strings.HasSuffix(damaged.Path, BackupName):
		return fmt.Sprintf("The backup (%s) cannot be used either (%s), so it was not restored. Repair the key list by hand, or move it away to start an empty list. Your secrets are still in the system keyring.", damaged.Path, damaged.Reason)
	case damaged.Newer:
		return fmt.Sprintf("Your key list (%s) was written by a newer version of Keywarden. Update Keywarden to use it; this version will not change the file.", damaged.Path)
	case damaged.Backup != "":
		return fmt.Sprintf("Your key list (%s) is damaged (%s), so Keywarden will not write over it. The previous version is kept as a backup: restore it to carry on (the damaged file is kept beside it), or repair the file by hand.", damaged.Path, damaged.Reason)
	}
	return fmt.Sprintf("Your key list (%s) is damaged (%s), and there is no backup. Keywarden will not write over it: repair the file by hand, or move it away to start an empty list. Your secrets are still in the system keyring.", damaged.Path, damaged.Reason)
}

// keyringMessage is UserMessage for an error of the secret stores (the
// keyring and what it holds), or "" for any other error. It is asked
// first: a keyring error may come wrapped in another of this package.
func keyringMessage(err error) string {
	switch {
	case errors.Is(err, ErrKeyringTimeout):
		return "The system keyring did not answer in time: it may be waiting for you to unlock it (look for its prompt, perhaps behind other windows). Unlock it, then try again. A key it was saving meanwhile is finished or undone the next time Keywarden starts."
	case errors.Is(err, ErrKeyringUnavailable):
		return keyringHelp
	case errors.Is(err, ErrSecretNotFound):
		return "The system keyring holds no secret for this key: it was removed from the keyring, or saved under another login. Paste the key again, or remove it from Keywarden."
	case errors.Is(err, ErrSecretTooBig):
		return "The system keyring refused the secret because it is too large. Check that you pasted only the API key and the private key."
	case errors.Is(err, ErrSecretDamaged):
		return "The system keyring's entry for this key is not in Keywarden's format. Paste the key again to replace it."
	}
	return ""
}

// recordMessage is UserMessage for an error about finding, naming or
// saving a record, or "" for any other error.
func recordMessage(err error) string {
	var (
		notFnd *NotFoundError
		amb    *AmbiguousError
		dup    *DuplicateNameError
	)
	switch {
	case errors.As(err, &notFnd):
		if len(notFnd.Near) > 0 {
			return fmt.Sprintf("There is no key named %q. Did you mean %s?", notFnd.Ref, quoteList(notFnd.Near, "or"))
		}
		return fmt.Sprintf("There is no key named %q.", notFnd.Ref)
	case errors.As(err, &amb):
		ids := make([]string, len(amb.Matches))
		for i, c := range amb.Matches {
			ids[i] = fmt.Sprintf("%s (%s)", c.ID, c.Status)
		}
		return fmt.Sprintf("Several keys are named %q. Use the ID of the one you mean: %s.", amb.Ref, strings.Join(ids, ", "))
	case errors.As(err, &dup):
		return fmt.Sprintf("Another key in use is already named %q. Choose a different name, so each key can be told apart.", dup.Name)
	case errors.Is(err, ErrInvalidRecord):
		// What is wrong follows the sentinel's own text, however wrapped.
		if _, what, ok := strings.Cut(err.Error(), ErrInvalidRecord.Error()+": "); ok {
			return "The key could not be saved: " + what + "."
		}
		return "The key could not be saved: one of its fields is not valid. Check what you typed, then try again."
	}
	return ""
}

// Explain returns UserMessage for an error of this package, and false for
// any other error, so an application can ask each package in turn.
func Explain(err error) (string, bool) {
	var storeErr *StoreError
	if errors.As(err, &storeErr) {
		return UserMessage(err), true
	}
	// Each typed error of this package matches its sentinel (Is).
	for _, e := range []error{ErrDamaged, ErrSymlink, ErrNotRegular, ErrTooLarge, ErrNoBackup, ErrNotDamaged,
		ErrKeyringUnavailable, ErrSecretNotFound, ErrSecretTooBig, ErrSecretDamaged, ErrInvalidRecord,
		ErrNotFound, ErrAmbiguous, ErrDuplicateName} {
		if errors.Is(err, e) {
			return UserMessage(err), true
		}
	}
	return "", false
}
