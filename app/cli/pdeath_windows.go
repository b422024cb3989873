package cli

import (
	"os/exec"
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
// release, once the program has ended, lifts the kill limit and then
// closes the handle. Keywarden stays in the job, now harmless, and a
// process the program left running is not killed when Keywarden exits.
// (On Linux the guardian ends such a process, as it has the key: Windows
// does not match that yet.) If the limit cannot be lifted the handle
// is left open, as closing it would kill Keywarden itself; it closes when
// Keywarden exits.
//
// If the job cannot be made the program still runs, unbound, as on macOS.
func bindToParent(*exec.Cmd) (release func()) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return func() {}
	}
	if err := setJobLimits(job, windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE); err != nil {
		windows.CloseHandle(job)
		return func() {}
	}
	if err := windows.AssignProcessToJobObject(job, windows.CurrentProcess()); err != nil {
		windows.CloseHandle(job) // empty: closing it kills nothing
		return func() {}
	}
	return func() {
		if setJobLimits(job, 0) == nil {
			windows.CloseHandle(job)
		}
	}
}

// setJobLimits sets the job's limit flags, and no other limit.
func setJobLimits(job windows.Handle, flags uint32) error {
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	info.BasicLimitInformation.LimitFlags = flags
	_, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)))
	return err
}
