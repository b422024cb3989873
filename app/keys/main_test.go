package keys_test

import (
	"os/exec"
	"testing"

	"github.com/keywarden/keywarden/app/internal/childtest"
)

// Some tests re-run this test binary as a child process in a role named by
// childEnv; TestMain runs the role instead of the tests.
const childEnv = "KEYWARDEN_KEYS_CHILD"

// childRoles maps a role to its body; its result is the exit code.
var childRoles = map[string]func() int{
	"exit":     func() int { return 0 },
	"churn":    childChurn,
	"appender": childAppender,
	"save":     childSave,
}

func TestMain(m *testing.M) { childtest.Main(m, childEnv, childRoles) }

// childCommand returns a command that runs this test binary in role, with
// extra environment variables.
func childCommand(t testing.TB, role string, env ...string) *exec.Cmd {
	t.Helper()
	return childtest.Command(t, childEnv, role, env...)
}
