//go:build windows

// Command ctrlc presses Ctrl+C on a console shared with the real
// keywarden.exe while `keywarden exec` runs a program, and checks that
// Keywarden lives through it, waits for the program and returns its exit
// code: what a person sees who stops a bot with Ctrl+C in cmd.exe.
//
//	ctrlc.exe KEYWARDEN.EXE KEY
//
// It gets a console of its own (under `wine` from a script there is none
// to share), and starts keywarden.exe as cmd.exe starts a GUI program: with
// no standard handles, so that keywarden attaches to the console. The
// program keywarden runs is this exe again ("program"), which sends the
// Ctrl+C to everyone on the console and exits 42 half a second after it
// came. Exits 0 when keywarden returned 42. A test fixture for the Wine
// smoke run (.ci/wine/smoke.sh), never shipped.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

const exitGotCtrlC = 42 // the program's code once the Ctrl+C came

var (
	kernel32              = windows.NewLazySystemDLL("kernel32.dll")
	freeConsole           = kernel32.NewProc("FreeConsole")
	allocConsole          = kernel32.NewProc("AllocConsole")
	setConsoleCtrlHandler = kernel32.NewProc("SetConsoleCtrlHandler")
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "program" {
		os.Exit(program())
	}
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: ctrlc.exe KEYWARDEN.EXE KEY")
		os.Exit(2)
	}
	os.Exit(run(os.Args[1], os.Args[2]))
}

func run(keywarden, key string) int {
	freeConsole.Call()
	if r, _, err := allocConsole.Call(); r == 0 {
		fmt.Printf("ctrlc: no console of its own: %v\n", err)
		return 1
	}
	setConsoleCtrlHandler.Call(0, 0) // Ctrl+C on, for the processes it starts too
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt) // this harness lives through the Ctrl+C too

	self, err := os.Executable()
	if err != nil {
		fmt.Printf("ctrlc: %v\n", err)
		return 1
	}
	line, err := windows.UTF16PtrFromString(windows.ComposeCommandLine([]string{keywarden, "exec", key, "--", self, "program"}))
	if err != nil {
		fmt.Printf("ctrlc: %v\n", err)
		return 1
	}
	// No STARTF_USESTDHANDLES: no standard handles, as cmd.exe starts a
	// GUI program.
	var si windows.StartupInfo
	si.Cb = uint32(unsafe.Sizeof(si))
	var pi windows.ProcessInformation
	if err := windows.CreateProcess(nil, line, nil, nil, false, 0, nil, nil, &si, &pi); err != nil {
		fmt.Printf("ctrlc: start keywarden: %v\n", err)
		return 1
	}
	defer windows.CloseHandle(pi.Process)
	defer windows.CloseHandle(pi.Thread)
	start := time.Now()
	if ev, _ := windows.WaitForSingleObject(pi.Process, 60_000); ev != windows.WAIT_OBJECT_0 {
		fmt.Println("ctrlc: keywarden did not end within 60 s")
		return 1
	}
	var code uint32
	if err := windows.GetExitCodeProcess(pi.Process, &code); err != nil {
		fmt.Printf("ctrlc: %v\n", err)
		return 1
	}
	took := time.Since(start).Round(time.Millisecond)
	switch code {
	case exitGotCtrlC:
		fmt.Printf("ctrlc: keywarden lived through Ctrl+C and returned its program's %d (%v)\n", code, took)
		return 0
	case 0xC000013A: // STATUS_CONTROL_C_EXIT
		fmt.Printf("ctrlc: Ctrl+C ended keywarden itself before its program (%v)\n", took)
	default:
		fmt.Printf("ctrlc: keywarden exited %d (%#x), want its program's %d (%v)\n", code, code, exitGotCtrlC, took)
	}
	return 1
}

// program is what keywarden runs: a person pressing Ctrl+C in the
// console, and a program that takes half a second to stop after it.
func program() int {
	if os.Getenv("KRAKEN_API_KEY") == "" {
		return 3 // keywarden did not hand over the key
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	if err := windows.GenerateConsoleCtrlEvent(windows.CTRL_C_EVENT, 0); err != nil {
		return 4
	}
	select {
	case <-sigs:
		time.Sleep(500 * time.Millisecond)
		return exitGotCtrlC
	case <-time.After(20 * time.Second):
		return 5
	}
}
