package vault

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func init() {
	childRoles["harden"] = func() int {
		before, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if err := Harden(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		after, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("before=%d after=%d\n", before, after)
		return 0
	}
}

// TestHarden runs Harden in a child process, so the rest of the tests run
// in an ordinary process.
func TestHarden(t *testing.T) {
	out, err := childCommand(t, "harden").CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "before=1 after=0" {
		t.Errorf("PR_GET_DUMPABLE: got %q, want before=1 after=0", got)
	}
}
