//go:build !unix

package tray

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
