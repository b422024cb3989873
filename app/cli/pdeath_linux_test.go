package cli_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/vault"
)

func init() {
	// keywarden-exec plays "keywarden exec $KW_NAME -- <this binary as sleep>"
	// over the store in $KW_DIR, with a stand-in secret for $KW_ID in its own
	// in-memory keyring.
	childRoles["keywarden-exec"] = func() int {
		mem := vault.NewMemory()
		if err := mem.Set(os.Getenv("KW_ID"), vault.Secret{APIKey: "k", PrivateKey: "p"}); err != nil {
			return 1
		}
		exe, _ := os.Executable()
		environ := func() []string { return append(os.Environ(), childEnv+"=sleep") }
		return cli.Main([]string{"exec", os.Getenv("KW_NAME"), "--", exe, "-test.run=^$"},
			cli.IO{Dir: os.Getenv("KW_DIR"), Secrets: mem, Environ: environ, Getenv: func(string) string { return "" }})
	}
	// sleep prints its PID and sleeps for a minute.
	childRoles["sleep"] = func() int {
		fmt.Printf("pid %d\n", os.Getpid())
		time.Sleep(time.Minute)
		return 0
	}
}

// gone reports whether pid has ended (a zombie nobody reaped has ended too).
func gone(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// The state follows the command name in parentheses.
	s := string(b)
	state := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])[0]
	return state == "Z" || state == "X"
}

func TestExec_programDiesWithKeywarden(t *testing.T) {
	f := newFixture(t)
	rec, _ := f.add("freqtrade-vps", botPerms, "--purpose", "bot")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	kw := exec.Command(exe, "-test.run=^$")
	kw.Env = append(os.Environ(), childEnv+"=keywarden-exec", "KW_DIR="+f.dir, "KW_ID="+rec.ID, "KW_NAME=freqtrade-vps")
	out, err := kw.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	kw.Stderr = os.Stderr
	if err := kw.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	pid, perr := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "pid ")))
	if err != nil || perr != nil {
		kw.Process.Kill()
		t.Fatalf("the program did not start: %q %v", line, err)
	}
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })

	if err := kw.Process.Kill(); err != nil { // SIGKILL: nothing is relayed
		t.Fatal(err)
	}
	kw.Wait()
	start := time.Now()
	for !gone(pid) {
		if time.Since(start) > 5*time.Second {
			t.Fatalf("the program (pid %d) still runs 5 s after keywarden was killed", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("the program ended %v after keywarden was killed", time.Since(start).Round(time.Millisecond))
}
