//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package instance

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/internal/childtest"
)

// Some tests re-run this test binary as a child process in a role named by
// childEnv; TestMain runs the role instead of the tests.
const childEnv = "KEYWARDEN_INSTANCE_CHILD"

var childRoles = map[string]func() int{
	"second":     childSecond,
	"hold":       childHold,
	"raw-sender": childRawSender,
}

func TestMain(m *testing.M) { childtest.Main(m, childEnv, childRoles) }

// childCommand returns a command that runs this test binary in role, with
// extra environment variables.
func childCommand(t testing.TB, role string, env ...string) *exec.Cmd {
	t.Helper()
	return childtest.Command(t, childEnv, role, env...)
}

// childSecond starts as a second copy of $KW_NAME would: Listen, and on
// ErrRunning hand $KW_MSG to the first and exit 0. It exits 3 if it got
// the name itself.
func childSecond() int {
	name := os.Getenv("KW_NAME")
	in, err := Listen(name)
	if err == nil {
		in.Close()
		fmt.Fprintln(os.Stderr, "the second copy got the name")
		return 3
	}
	if !errors.Is(err, ErrRunning) {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := Send(name, os.Getenv("KW_MSG")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// childHold owns $KW_NAME, says "ready" on stdout and waits to be killed.
func childHold() int {
	in, err := Listen(os.Getenv("KW_NAME"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer in.Close()
	fmt.Println("ready")
	time.Sleep(time.Minute)
	return 0
}

// childRawSender writes "show" to the socket $KW_SOCK without Send's own
// checks and prints what comes back (nothing if the server hangs up).
func childRawSender() int {
	c, err := net.Dial("unix", os.Getenv("KW_SOCK"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write([]byte("show\n")); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	reply, _ := readLine(c, 64)
	fmt.Print(reply)
	return 0
}
