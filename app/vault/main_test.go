package vault

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/internal/childtest"
)

// Some tests re-run this test binary as a child process in a role named by
// childEnv; TestMain runs the role instead of the tests.
const childEnv = "KEYWARDEN_VAULT_CHILD"

// childRoles maps a role to its body; its result is the exit code.
var childRoles = map[string]func() int{
	"update-loop": childUpdateLoop,
}

func TestMain(m *testing.M) { childtest.Main(m, childEnv, childRoles) }

// childCommand returns a command that runs this test binary in role, with
// extra environment variables.
func childCommand(t testing.TB, role string, env ...string) *exec.Cmd {
	t.Helper()
	return childtest.Command(t, childEnv, role, env...)
}

// childUpdateLoop updates the record named $KW_NAME in the store in $KW_DIR
// $KW_COUNT times (0 = until killed). Each Update reads the record's counter
// from Notes, checks that it is the value this process wrote last (so a
// change lost to another writer is caught), and stores the next number; after
// Update returns, the number is printed: an acknowledged change.
func childUpdateLoop() int {
	dir, name := os.Getenv("KW_DIR"), os.Getenv("KW_NAME")
	count, _ := strconv.Atoi(os.Getenv("KW_COUNT"))
	s, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	out := bufio.NewWriter(os.Stdout)
	last := -1 // the number this process wrote last; -1 before the first
	for i := 0; count == 0 || i < count; i++ {
		var next int
		err := s.Update(func(d *Data) error {
			r, err := d.ByName(name)
			if err != nil {
				r, err = d.Add(Record{Name: name, Purpose: PurposeCustom, Status: StatusActive, Notes: "0", Created: time.Unix(0, 0).UTC()})
				if err != nil {
					return err
				}
			}
			cur, err := strconv.Atoi(strings.TrimSpace(r.Notes))
			if err != nil {
				return fmt.Errorf("record %s: bad counter %q", name, r.Notes)
			}
			if last >= 0 && cur != last {
				return fmt.Errorf("record %s: counter is %d, this process wrote %d: a change was lost", name, cur, last)
			}
			next = cur + 1
			r.Notes = strconv.Itoa(next)
			r.ReviewDays = next % 365
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		last = next
		fmt.Fprintln(out, next)
		out.Flush()
	}
	return 0
}
