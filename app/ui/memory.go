package ui

import (
	"runtime/debug"
	"time"
)

// settleAfterStart is when the window hands the memory its start needed
// back to the system: by then the first screen is drawn and its fonts are
// parsed.
const settleAfterStart = 3 * time.Second

// freeStartMemory returns, once, the heap the window's start used and no
// longer needs. Parsing the font faces for the first screen allocates
// about 20 MiB that are garbage a moment later; Go keeps such freed heap
// for reuse and gives it back only slowly, so a window that sits idle held
// about 10 MiB more than it uses (make bench-idle, issue 20). One timer,
// no periodic wake-up.
func freeStartMemory() {
	time.AfterFunc(settleAfterStart, debug.FreeOSMemory)
}
