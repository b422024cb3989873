package testfiles

import (
	"errors"
	"strings"
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

// RefusedAtOnce runs each of ops (by name: "Load", "Update") and fails the
// test unless every one returns at once with an error that matches want
// (errors.Is) and names the file name.
func RefusedAtOnce(t testing.TB, ops map[string]func() error, want error, name string) {
	t.Helper()
	for op, fn := range ops {
		err := Within(t, op, fn)
		if !errors.Is(err, want) {
			t.Fatalf("%s: %v, want a refusal as not a regular file", op, err)
		}
		if !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %q does not name %s", op, err, name)
		}
	}
}
