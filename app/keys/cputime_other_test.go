//go:build !unix

package keys_test

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
