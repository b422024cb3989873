// Package childtest lets a package's tests run their own test binary as a
// child process in a named role: to kill it at a random moment, to hold a
// lock or a name from another process, or to be the program a command
// starts. It is imported by tests only.
package childtest

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Main is a TestMain: when the environment variable env names a role, it
// runs that role and exits with its result; otherwise it runs the tests.
func Main(m *testing.M, env string, roles map[string]func() int) {
	if role := os.Getenv(env); role != "" {
		run, ok := roles[role]
		if !ok {
			fmt.Fprintf(os.Stderr, "unknown child role %q\n", role)
			os.Exit(2)
		}
		os.Exit(run())
	}
	os.Exit(m.Run())
}

// Command returns a command that runs this test binary in role (through
// env, as Main reads it), with extra environment variables.
func Command(t testing.TB, env, role string, extra ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), env+"="+role)
	cmd.Env = append(cmd.Env, extra...)
	return cmd
}
