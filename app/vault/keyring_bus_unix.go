//go:build linux || freebsd || netbsd || openbsd || dragonfly

package vault

import (
	"fmt"
	"os"
	"path/filepath"
)

// sessionBusMissing reports whether godbus would find no session bus and
// fall back to autolaunching one with dbus-launch, which leaves a stray
// daemon and a keyring nobody unlocks. It looks where godbus looks.
func sessionBusMissing() bool {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return false
	}
	run := fmt.Sprintf("/run/user/%d", os.Getuid())
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(run, name)); err == nil {
			return false
		}
	}
	return true
}
