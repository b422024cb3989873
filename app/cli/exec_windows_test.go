package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/windows"

	"github.com/keywarden/keywarden/app/internal/wine"
)

// Exit codes of the ctrl-event role.
const (
	exitGotEvent   = 42 // the event came, and the program took half a second to stop
	exitCannotSend = 3  // GenerateConsoleCtrlEvent failed
)

var setConsoleCtrlHandler = windows.NewLazySystemDLL("kernel32.dll").NewProc("SetConsoleCtrlHandler")

func init() {
	// keywarden-exec-console is keywarden-exec with Ctrl+C on, as in a fresh
	// console: a process started with it off (CREATE_NEW_PROCESS_GROUP,
	// cmd.exe's start /b) passes that on to every process it starts, and
	// the test binary may have been started so.
	childRoles["keywarden-exec-console"] = func() int {
		setConsoleCtrlHandler.Call(0, 0) // SetConsoleCtrlHandler(NULL, FALSE)
		return keywardenExec()
	}
	// leave-sleeper starts this binary playing sleep, prints the sleeper's
	// PID and exits at once, leaving it running: a bot that daemonises.
	childRoles["leave-sleeper"] = func() int {
		exe, _ := os.Executable()
		sleeper := exec.Command(exe, "-test.run=^$")
		sleeper.Env = append(os.Environ(), childEnv+"=sleep")
		if err := sleeper.Start(); err != nil {
			fmt.Println("cannot start the sleeper:", err)
			return 1
		}
		fmt.Printf("pid %d\n", sleeper.Process.Pid)
		return 0
	}
	// ctrl-event is a user pressing Ctrl+C ($KW_EVENT=0) or Ctrl+Break (1)
	// in the console the program shares with Keywarden: it sends the event
	// to every process of the console (process group 0), itself included,
	// and exits 42 half a second after the event came, so Keywarden's exit
	// code says whether Keywarden outlived the event and waited.
	childRoles["ctrl-event"] = func() int {
		ev, _ := strconv.Atoi(os.Getenv("KW_EVENT"))
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, os.Interrupt)
		start := time.Now()
		if err := windows.GenerateConsoleCtrlEvent(uint32(ev), 0); err != nil {
			fmt.Printf("GenerateConsoleCtrlEvent(%d, 0): %v\n", ev, err)
			return exitCannotSend
		}
		select {
		case <-sigs:
			fmt.Printf("the event came after %v\n", time.Since(start).Round(time.Millisecond))
			time.Sleep(500 * time.Millisecond)
			return exitGotEvent
		case <-time.After(20 * time.Second):
			fmt.Println("no event in 20 s")
			return 1
		}
	}
}

func TestExec_exitCodeOfAKeywardenProcess(t *testing.T) {
	f := newFixture(t)
	rec, _ := f.add("freqtrade-vps", botPerms, "--purpose", "bot")
	// 0xC000013A is STATUS_CONTROL_C_EXIT, the code of a program Ctrl+C
	// ended through Windows' default handler: all 32 bits come back.
	for _, code := range []uint32{0, 7, 0xC000013A} {
		kw := keywardenCommand(t, f, rec, "keywarden-exec", "exit", "KW_CODE="+strconv.FormatUint(uint64(code), 10))
		start := time.Now()
		err := kw.Run()
		if kw.ProcessState == nil {
			t.Fatal(err)
		}
		if got := uint32(kw.ProcessState.ExitCode()); got != code {
			t.Errorf("the program exited %#x, keywarden %#x", code, got)
		}
		t.Logf("exit code %#x came back in %v", code, time.Since(start).Round(time.Millisecond))
	}
}

// The console window being closed (CTRL_CLOSE_EVENT) is not tested: no
// program can send that event (GenerateConsoleCtrlEvent takes Ctrl+C and
// Ctrl+Break only), closing a console window needs one, which these
// windowless consoles have not, and Wine 8.0's console server delivers no
// event but Ctrl+C.
func TestExec_consoleKeys(t *testing.T) {
	keys := []struct {
		name  string
		event uint32
		// underWine is why Wine cannot send the event, if it cannot.
		underWine string
	}{
		{"Ctrl+C", windows.CTRL_C_EVENT, ""},
		// Measured under Wine 8.0 with WINEDEBUG=+server: the ioctl
		// IOCTL_CONDRV_CTRL_EVENT for CTRL_BREAK_EVENT is answered
		// NOT_IMPLEMENTED; its console server sends CTRL_C_EVENT only.
		{"Ctrl+Break", windows.CTRL_BREAK_EVENT, "Wine's console server implements CTRL_C_EVENT only: it answers CTRL_BREAK_EVENT with STATUS_NOT_IMPLEMENTED, which GenerateConsoleCtrlEvent reports as an invalid handle"},
	}
	for _, key := range keys {
		t.Run(key.name+" reaches the program, and keywarden waits for it and returns its exit code", func(t *testing.T) {
			f := newFixture(t)
			rec, _ := f.add("freqtrade-vps", botPerms, "--purpose", "bot")
			kw := keywardenCommand(t, f, rec, "keywarden-exec-console", "ctrl-event", fmt.Sprintf("KW_EVENT=%d", key.event))
			// A console of their own, without a window: the event reaches
			// keywarden and its program, and neither this test nor go test.
			// (Under wine without a terminal the test binary has no usable
			// console to share: Wine gives it a stand-in that refuses
			// GenerateConsoleCtrlEvent with ERROR_INVALID_ACCESS.)
			kw.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_NO_WINDOW}
			var out bytes.Buffer
			kw.Stdout = &out
			start := time.Now()
			if err := kw.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- kw.Wait() }()
			select {
			case <-done:
			case <-time.After(time.Minute):
				kw.Process.Kill()
				<-done
				t.Fatalf("keywarden still ran after a minute\n%s", out.String())
			}
			took := time.Since(start).Round(time.Millisecond)
			switch code := uint32(kw.ProcessState.ExitCode()); {
			case code == exitGotEvent:
				t.Logf("keywarden returned the program's exit code %d, %v after it started; %s", code, took, out.String())
			case code == exitCannotSend && key.underWine != "" && wine.Version() != "":
				t.Skipf("Wine %s cannot send %s: %s (%s)", wine.Version(), key.name, key.underWine, bytes.TrimSpace(out.Bytes()))
			default:
				t.Fatalf("keywarden exited %#x, want %d, the program's answer to %s (keywarden ended first, or the event never came)\n%s",
					code, exitGotEvent, key.name, out.String())
			}
		})
	}
}

func TestExec_programDiesWithKeywarden(t *testing.T) {
	f := newFixture(t)
	rec, _ := f.add("freqtrade-vps", botPerms, "--purpose", "bot")
	kw := keywardenCommand(t, f, rec, "keywarden-exec", "sleep")
	pid := startSleeper(t, kw)
	// The program runs while keywarden waits for it, so the PID is its.
	h, err := windows.OpenProcess(windows.SYNCHRONIZE|windows.PROCESS_TERMINATE, false, uint32(pid))
	if err != nil {
		kw.Process.Kill()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		windows.TerminateProcess(h, 1)
		windows.CloseHandle(h)
	})

	start := time.Now()
	if err := kw.Process.Kill(); err != nil { // TerminateProcess: keywarden runs no code of its own
		t.Fatal(err)
	}
	kw.Wait()
	if ev, err := windows.WaitForSingleObject(h, 5000); ev != windows.WAIT_OBJECT_0 {
		t.Fatalf("the program (pid %d) still runs 5 s after keywarden was killed (%#x %v)", pid, ev, err)
	}
	t.Logf("the program ended %v after keywarden was killed", time.Since(start).Round(time.Millisecond))
}

// TestExec_leftoversEndWithProgram: a process the program left running when
// it ended (it has the key in its environment) is ended by Keywarden, as
// the guardian does on Linux, and Keywarden says so.
func TestExec_leftoversEndWithProgram(t *testing.T) {
	f := newFixture(t)
	rec, _ := f.add("freqtrade-vps", botPerms, "--purpose", "bot")
	kw := keywardenCommand(t, f, rec, "keywarden-exec", "leave-sleeper")
	var out, errOut bytes.Buffer
	kw.Stdout, kw.Stderr = &out, &errOut
	if err := kw.Run(); err != nil {
		t.Fatalf("keywarden exec: %v\n%s", err, errOut.String())
	}
	var pid uint32
	if _, err := fmt.Sscanf(out.String(), "pid %d", &pid); err != nil {
		t.Fatalf("the program said %q: %v", out.String(), err)
	}
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return // gone, and its ID already free
	}
	defer windows.CloseHandle(h)
	if ev, _ := windows.WaitForSingleObject(h, 2000); ev != windows.WAIT_OBJECT_0 {
		windows.TerminateProcess(h, 1)
		t.Fatalf("the sleeper the program left (PID %d) still runs 2 s after keywarden exec returned", pid)
	}
	if !strings.Contains(errOut.String(), "left 1 process(es) running") {
		t.Errorf("keywarden did not say it ended what the program left: %q", errOut.String())
	}
}
