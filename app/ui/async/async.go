// Package async is the window's one way to work off the UI goroutine:
// blocking work (the keyring, the network, the key list file) runs on a
// goroutine of its own, and its result comes back on the UI goroutine
// through fyne.Do. The window's jobs (mainWindow.background, with its busy
// line), the wizard, the settings and the app-2FA prompts all go through
// Run.
package async

import (
	"fmt"
	"runtime/debug"
	"sync/atomic"

	"fyne.io/fyne/v2"
)

// Runner runs one window's work. Close it when the window closes. A nil
// *Runner posts with fyne.Do and is never closed.
type Runner struct {
	do      func(func())
	closed  atomic.Bool
	pending atomic.Int32
}

// New returns a Runner that posts results to the UI goroutine with do;
// nil means fyne.Do. Tests pass a queue they drain on their own goroutine,
// as the UI goroutine would, since the test driver's fyne.Do runs the work
// at once on the posting goroutine.
func New(do func(func())) *Runner {
	if do == nil {
		do = fyne.Do
	}
	return &Runner{do: do}
}

// Do posts f to the UI goroutine as the runner's results are posted (for a
// prompt's own callbacks). A nil *Runner uses fyne.Do.
func (r *Runner) Do(f func()) {
	if r == nil {
		fyne.Do(f)
		return
	}
	r.do(f)
}

// Close drops the results of work still running: the window they would be
// drawn on has closed. The work itself runs on (it is cancelled by its own
// context, if it has one).
func (r *Runner) Close() {
	if r != nil {
		r.closed.Store(true)
	}
}

// Pending returns how many runs have not finished (their done has not
// run, or been dropped) yet. Safe from any goroutine.
func (r *Runner) Pending() int {
	if r == nil {
		return 0
	}
	return int(r.pending.Load())
}

// PanicError is what done gets when work panicked. The program goes on:
// the screen says that something went wrong, and nothing the work was to
// save is taken as saved.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("async: the work panicked: %v", e.Value) }

// Run runs work on a goroutine of its own, then done on the UI goroutine
// with work's result and a nil error. If work panicked, done gets the zero
// value and a *PanicError (logged with its stack). Once r is closed, done
// is not called.
func Run[T any](r *Runner, work func() T, done func(T, error)) {
	if r == nil {
		r = New(nil)
	}
	r.pending.Add(1)
	go func() {
		v, err := call(work)
		if r.closed.Load() {
			r.pending.Add(-1)
			return
		}
		r.do(func() {
			defer r.pending.Add(-1)
			if !r.closed.Load() {
				done(v, err)
			}
		})
	}()
}

// call runs work, turning a panic into a *PanicError.
func call[T any](work func() T) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			perr := &PanicError{Value: p, Stack: debug.Stack()}
			fyne.LogError(fmt.Sprintf("work off the UI goroutine panicked\n%s", perr.Stack), perr)
			var zero T
			v, err = zero, perr
		}
	}()
	return work(), nil
}
