//go:build darwin && !ios

package autostart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// plistFileName is the name of the macOS LaunchAgent.
const plistFileName = ID + ".plist"

// macOS: a LaunchAgent in ~/Library/LaunchAgents; launchd loads it at the
// next login.

func enable(exe string, args []string) error {
	dir, err := launchAgentsDir()
	if err != nil {
		return err
	}
	return writeAtomic(dir, plistFileName, renderPlist(exe, args))
}

func disable() error {
	dir, err := launchAgentsDir()
	if err != nil {
		return err
	}
	err = os.Remove(filepath.Join(dir, plistFileName))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("autostart: %w", err)
	}
	return nil
}

func enabled() (bool, error) {
	dir, err := launchAgentsDir()
	if err != nil {
		return false, err
	}
	_, err = os.Stat(filepath.Join(dir, plistFileName))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("autostart: %w", err)
	}
	return true, nil
}

// launchAgentsDir is ~/Library/LaunchAgents. In a test program it refuses
// the folder the program started with (guardTestDir).
func launchAgentsDir() (string, error) {
	dir, err := findLaunchAgentsDir()
	if err == nil {
		err = guardTestDir(dir, realLaunchAgentsDir)
	}
	return dir, err
}

// realLaunchAgentsDir is launchAgentsDir as the program started.
var realLaunchAgentsDir, _ = findLaunchAgentsDir()

func findLaunchAgentsDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("autostart: %w", err)
	}
	return filepath.Join(home, "Library", "LaunchAgents"), nil
}
