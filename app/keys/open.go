package keys

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/keywarden/keywarden/app/check"
	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/vault"
)

// The environment variables Open reads.
const (
	EnvDir       = vault.EnvDir
	EnvKrakenURL = check.EnvKrakenURL
)

// Config is what Open builds a Service from. A zero field means the real
// part, so the window and the tray part pass little more than Changed; the
// command line's tests fill in what they fake.
type Config struct {
	// Dir is the folder of the key list and the state files beside it; ""
	// means $KEYWARDEN_DIR, else the user's config folder.
	Dir string
	// Getenv reads an environment variable (default os.Getenv).
	Getenv func(string) string
	// Secrets is the secret store; nil means the OS keyring. Tests give a
	// memory one; nothing else should.
	Secrets vault.SecretStore
	// BaseURL is the exchange's address; "" means $KEYWARDEN_KRAKEN_URL
	// (this computer only), else Kraken itself.
	BaseURL string
	// HTTP is the client for the exchange; nil means kraken's default.
	HTTP *http.Client
	// Parallel caps how many keys a check runs at once; 0 means check's
	// default.
	Parallel int
	// Offline opens the service even when the exchange address is refused
	// ($KEYWARDEN_KRAKEN_URL naming another computer): the service then
	// refuses checks with ErrNoExchange. Without it that is Open's error.
	Offline bool
	// LegacyPreferences is the toolkit's preferences file older versions
	// kept the settings in (SettingsFile.LegacyPath).
	LegacyPreferences string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Changed is Params.Changed.
	Changed func()
}

// FolderError says the folder for the key list could not be found (Dir
// is empty) or used.
type FolderError struct {
	Dir string
	Err error
}

func (e *FolderError) Error() string {
	if e.Dir == "" {
		return fmt.Sprintf("cannot find your config folder to keep the key list in (%v): set %s to a folder of your choice", e.Err, EnvDir)
	}
	return fmt.Sprintf("cannot use the folder %s for the key list: check that you may create and write to it, or set %s to another folder", e.Dir, EnvDir)
}

func (e *FolderError) Unwrap() error { return e.Err }

// Open is Keywarden's composition root: the one place the key list's
// store, the OS keyring, the exchange checker, the settings, the reminders
// and app 2FA's guard are built and put together. Every face (the window,
// the tray part, the command line) gets the Service it returns and works
// through it alone.
func Open(c Config) (*Service, error) {
	getenv := c.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	dir := c.Dir
	if dir == "" {
		d, err := vault.DirFromEnv(getenv)
		if err != nil {
			return nil, &FolderError{Err: err}
		}
		dir = d
	}
	store, err := vault.Open(dir)
	if err != nil {
		return nil, &FolderError{Dir: dir, Err: err}
	}
	secrets := c.Secrets
	if secrets == nil {
		secrets = vault.NewKeyring()
	}
	runner, err := openRunner(c, getenv, secrets)
	if err != nil && !c.Offline {
		return nil, err
	}
	settings := OpenSettings(store.Dir())
	settings.LegacyPath = c.LegacyPreferences
	return New(Params{
		Store: store, Secrets: secrets, Runner: runner, Settings: settings,
		Guard: guard.Open(store.Dir(), secrets, nil), Now: c.Now, Changed: c.Changed,
	}), nil
}

// openRunner returns the checker for the exchange c names; nil with the
// error when that address is refused.
func openRunner(c Config, getenv func(string) string, secrets vault.SecretStore) (*check.Runner, error) {
	base := strings.TrimSpace(c.BaseURL)
	if base == "" {
		v, err := check.BaseURLFromEnv(getenv)
		if err != nil {
			return nil, err
		}
		base = v
	}
	return &check.Runner{Secrets: secrets, BaseURL: base, HTTP: c.HTTP, Parallel: c.Parallel}, nil
}
