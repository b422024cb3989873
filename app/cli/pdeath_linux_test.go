package cli_test

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

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
	kw := keywardenCommand(t, f, rec, "keywarden-exec", "sleep")
	pid := startSleeper(t, kw)
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
