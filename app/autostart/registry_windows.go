package autostart

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// Windows: the value "Keywarden" under HKCU\...\CurrentVersion\Run. When
// the user switches the entry off in Task Manager or Settings, Windows
// records that under Explorer\StartupApproved\Run; Enable clears that
// record so that switching it on in Keywarden works, and Enabled reads it.

const (
	runKey      = `Software\Microsoft\Windows\CurrentVersion\Run`
	approvedKey = `Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run`
	valueName   = "Keywarden"
)

// guardRegistry refuses the Run key to test programs: it is the real
// user's, whatever the environment says.
func guardRegistry() error {
	if testing.Testing() {
		return fmt.Errorf("%w: HKCU\\%s", ErrRealEntryInTest, runKey)
	}
	return nil
}

func enable(exe string, args []string) error {
	if err := guardRegistry(); err != nil {
		return err
	}
	if strings.Contains(exe, `"`) {
		return fmt.Errorf("autostart: the program path %q holds a quote", exe)
	}
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("autostart: %w", err)
	}
	defer k.Close()
	if err := k.SetStringValue(valueName, windowsCommandLine(exe, args)); err != nil {
		return fmt.Errorf("autostart: %w", err)
	}
	return deleteValue(approvedKey)
}

func disable() error {
	if err := guardRegistry(); err != nil {
		return err
	}
	if err := deleteValue(runKey); err != nil {
		return err
	}
	return deleteValue(approvedKey)
}

func enabled() (bool, error) {
	if err := guardRegistry(); err != nil {
		return false, err
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("autostart: %w", err)
	}
	defer k.Close()
	if _, _, err := k.GetStringValue(valueName); errors.Is(err, registry.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("autostart: %w", err)
	}
	return !switchedOff(), nil
}

// switchedOff reports whether the StartupApproved record says the user
// switched the entry off: its first byte is odd (02 on, 03 off).
func switchedOff() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, approvedKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	b, _, err := k.GetBinaryValue(valueName)
	return err == nil && len(b) > 0 && b[0]&1 == 1
}

// deleteValue removes Keywarden's value under key; a missing key or value
// is fine.
func deleteValue(key string) error {
	k, err := registry.OpenKey(registry.CURRENT_USER, key, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("autostart: %w", err)
	}
	defer k.Close()
	if err := k.DeleteValue(valueName); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("autostart: %w", err)
	}
	return nil
}
