package vault

import (
	"fmt"
	"strings"
)

// EnvDir names the environment variable that moves the key list's folder
// (default DefaultDir).
const EnvDir = "KEYWARDEN_DIR"

// DirFromEnv returns the key list's folder: KEYWARDEN_DIR, else DefaultDir.
func DirFromEnv(getenv func(string) string) (string, error) {
	if dir := strings.TrimSpace(getenv(EnvDir)); dir != "" {
		return dir, nil
	}
	return DefaultDir()
}

// OpenFromEnv opens the store in the folder DirFromEnv names. Its errors
// say in plain words what to do.
func OpenFromEnv(getenv func(string) string) (*Store, error) {
	dir, err := DirFromEnv(getenv)
	if err != nil {
		return nil, fmt.Errorf("cannot find your config folder to keep the key list in (%v): set %s to a folder of your choice", err, EnvDir)
	}
	store, err := Open(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot use the folder %s for the key list: check that you may create and write to it, or set %s to another folder", dir, EnvDir)
	}
	return store, nil
}
