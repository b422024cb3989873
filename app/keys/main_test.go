package keys_test

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Some tests re-run this test binary as a child process in a role named by
// childEnv; TestMain runs the role instead of the tests.
const childEnv = "KEYWARDEN_KEYS_CHILD"

// childRoles maps a role to its body; its result is the exit code.
var childRoles = map[string]func() int{
	"exit":  func() int { return 0 },
	"churn": childChurn,
}

func TestMain(m *testing.M) {
	if role := os.Getenv(childEnv); role != "" {
		run, ok := childRoles[role]
		if !ok {
			fmt.Fprintf(os.Stderr, "unknown child role %q\n", role)
			os.Exit(2)
		}
		os.Exit(run())
	}
	os.Exit(m.Run())
}

// childCommand returns a command that runs this test binary in role, with
// extra environment variables.
func childCommand(t testing.TB, role string, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+role)
	cmd.Env = append(cmd.Env, env...)
	return cmd
}
