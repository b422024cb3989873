package cli

import (
	"os/exec"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// bindToParent ties the program exec runs to Keywarden's life, as the
// parent-death signal does on Linux: if Keywarden ends without waiting for
// it (taskkill /F, Task Manager's End task, a crash), Windows ends the
// program and whatever the program started, so nothing keeps running with
// the key in its environment. It does so with a job object that kills
// every process in it when its last handle is closed
// (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE). Keywarden holds the only handle:
// it is not inheritable, and Go hands a child no handles but its standard
// streams. Windows closes it when Keywarden's process ends, however it
// ends.
//
// Keywarden puts itself in the job, before the program starts, rather than
// the program after it started: a process is in its creator's jobs from
// its first instruction, so there is no moment in which a kill of
// Keywarden would leave the program running, or in which the program
// could start a process outside the job. (Assigning after Start leaves
// that window open, between process creation and the assignment; closing
// it would need the program created suspended and resumed, which os/exec
// cannot do.) The job sets no JOB_OBJECT_LIMIT_BREAKAWAY_OK, so the
// program cannot start a process outside it either. Since Windows 8 jobs
// nest, so this works when Keywarden already runs in a job (a CI runner, a
// terminal that uses one).
//
// release, once the program has ended, ends the processes the program left
// running in the job (they have the key in their environment and nobody
// watching them, as the guardian ends them on Linux) and returns how many
// it ended; then it lifts the kill limit and closes the handle. Keywarden
// stays in the job, now harmless. If the limit cannot be lifted the handle
// is left open, as closing it would kill Keywarden itself; it closes when
// Keywarden exits. Calling release again does nothing.
//
// If the job cannot be made the program still runs, unbound, as on macOS.
func bindToParent(*exec.Cmd) (release func() (ended int)) {
	none := func() int { return 0 }
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return none
	}
	if err := setJobLimits(job, windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE); err != nil {
		windows.CloseHandle(job)
		return none
	}
	if err := windows.AssignProcessToJobObject(job, windows.CurrentProcess()); err != nil {
		windows.CloseHandle(job) // empty: closing it kills nothing
		return none
	}
	var once sync.Once
	return func() (ended int) {
		once.Do(func() {
			ended = endLeftovers(job)
			if setJobLimits(job, 0) == nil {
				windows.CloseHandle(job)
			}
		})
		return ended
	}
}

// maxJobProcesses bounds the process list read from the job at once; a
// job with more is read again after the first ones ended.
const maxJobProcesses = 256

// jobProcessList is JOBOBJECT_BASIC_PROCESS_ID_LIST with room for
// maxJobProcesses IDs.
type jobProcessList struct {
	assigned, listed uint32
	ids              [maxJobProcesses]uintptr
}

// endLeftovers ends every process in job but Keywarden itself, and returns
// how many it ended. A process that starts another while it is ended cannot
// leave the job, so the list is read again until only Keywarden is left (a
// few rounds at most).
func endLeftovers(job windows.Handle) int {
	self := uintptr(windows.GetCurrentProcessId())
	ended := map[uintptr]bool{}
	for round := 0; round < 10; round++ {
		var list jobProcessList
		if err := windows.QueryInformationJobObject(job, windows.JobObjectBasicProcessIdList,
			uintptr(unsafe.Pointer(&list)), uint32(unsafe.Sizeof(list)), nil); err != nil && err != windows.ERROR_MORE_DATA {
			break // ERROR_MORE_DATA: the first maxJobProcesses are listed; the rest next round
		}
		others := 0
		for _, id := range list.ids[:min(list.listed, maxJobProcesses)] {
			if id == self {
				continue
			}
			others++
			h, err := windows.OpenProcess(windows.PROCESS_TERMINATE|windows.SYNCHRONIZE, false, uint32(id))
			if err != nil {
				continue // gone meanwhile
			}
			if windows.TerminateProcess(h, 1) == nil {
				ended[id] = true
				windows.WaitForSingleObject(h, 1000)
			}
			windows.CloseHandle(h)
		}
		if others == 0 {
			break
		}
	}
	return len(ended)
}

// setJobLimits sets the job's limit flags, and no other limit.
func setJobLimits(job windows.Handle, flags uint32) error {
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	info.BasicLimitInformation.LimitFlags = flags
	_, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)))
	return err
}
