package testfiles

import (
	"testing"
	"time"
)

// ReturnWithin is how long Within waits: far longer than any read of a
// small state file takes, far shorter than "for ever".
const ReturnWithin = 5 * time.Second

// Within runs fn in a goroutine and returns its error, or fails the test at
// once when fn has not returned within ReturnWithin: a program that opens a
// named pipe in place of its state file would otherwise hang the test. (The
// stuck goroutine is left behind; the test has failed.)
func Within(t testing.TB, what string, fn func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(ReturnWithin):
		t.Fatalf("%s did not return within %v: it waits on what is not a regular file", what, ReturnWithin)
		return nil
	}
}
