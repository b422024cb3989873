// Package async is the window's one way to work off the UI goroutine:
// blocking work (the keyring, the network, the key list file) runs on a
// goroutine of its own, and its result comes back on the UI goroutine
// through fyne.Do.
package async

import "fyne.io/fyne/v2"

// Run runs work on a new goroutine, then done with its result through do,
// which runs a function on the UI goroutine; nil means fyne.Do. Tests pass
// their own do to decide when done runs.
func Run[T any](do func(func()), work func() T, done func(T)) {
	if do == nil {
		do = fyne.Do
	}
	go func() {
		v := work()
		do(func() { done(v) })
	}()
}
