//go:build windows

package keys

import "golang.org/x/sys/windows"

// stillActive is the exit code Windows reports for a process that runs.
const stillActive = 259

// processRuns reports whether a process with the given number runs.
func processRuns(pid int) bool {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return false
	}
	defer windows.CloseHandle(h)
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err != nil {
		return true // it exists; when unsure, wait (StaleAfter)
	}
	return code == stillActive
}
