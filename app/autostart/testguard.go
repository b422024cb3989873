package autostart

import "errors"

// ErrRealEntryInTest is returned when a test program reaches for the real
// user's login entry (the autostart folder, the LaunchAgents folder or the
// Run registry key as they were when the program started). Tests move the
// folder to a temporary one (XDG_CONFIG_HOME, HOME) and, on Windows, do
// not write the registry at all.
var ErrRealEntryInTest = errors.New("autostart: a test reached for the real user's login entry; give it a temporary folder")
