package async

import (
	"errors"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// queue stands in for the UI goroutine: Run posts there, and the test
// runs what was posted when it chooses.
type queue chan func()

func (q queue) post(f func()) { q <- f }

// next runs the next posted function, failing after 10 s without one.
func (q queue) next(t *testing.T) {
	t.Helper()
	select {
	case f := <-q:
		f()
	case <-time.After(10 * time.Second):
		t.Fatal("nothing was posted to the UI goroutine within 10 s")
	}
}

func TestRun(t *testing.T) {
	t.Run("work runs off the caller's goroutine, done on the UI goroutine with its result", func(t *testing.T) {
		q := make(queue, 1)
		r := New(q.post)
		release := make(chan struct{})
		var got []int
		Run(r, func() int { <-release; return 42 }, func(v int, err error) {
			if err != nil {
				t.Errorf("err = %v", err)
			}
			got = append(got, v)
		})
		// Run returned while work still waits: it did not run here.
		if r.Pending() != 1 {
			t.Fatalf("Pending() = %d while work runs, want 1", r.Pending())
		}
		close(release)
		if len(got) != 0 {
			t.Fatal("done ran before its turn on the UI goroutine")
		}
		q.next(t)
		if len(got) != 1 || got[0] != 42 {
			t.Fatalf("done got %v, want [42]", got)
		}
		if r.Pending() != 0 {
			t.Errorf("Pending() = %d after done, want 0", r.Pending())
		}
	})

	t.Run("a panic in work reaches done as an error, and the program goes on", func(t *testing.T) {
		q := make(queue, 1)
		r := New(q.post)
		var gotV string
		var gotErr error
		Run(r, func() string { panic("boom") }, func(v string, err error) { gotV, gotErr = v, err })
		q.next(t)
		var p *PanicError
		if !errors.As(gotErr, &p) || p.Value != "boom" || len(p.Stack) == 0 {
			t.Fatalf("done got %q, %v; want a *PanicError with the value and a stack", gotV, gotErr)
		}
		if gotV != "" {
			t.Errorf("done got %q with the panic, want the zero value", gotV)
		}
	})

	t.Run("after Close, done is not called", func(t *testing.T) {
		q := make(queue, 2)
		r := New(q.post)
		release := make(chan struct{})
		called := 0
		Run(r, func() int { <-release; return 1 }, func(int, error) { called++ })
		Run(r, func() int { return 2 }, func(int, error) { called++ })
		// The second result is posted but not yet run when the window
		// closes; the first is still being worked on.
		for len(q) == 0 {
			time.Sleep(time.Millisecond)
		}
		r.Close()
		close(release)
		q.next(t)
		for r.Pending() != 0 { // the first one ends without posting
			select {
			case f := <-q:
				f()
			case <-time.After(time.Millisecond):
			}
		}
		if called != 0 {
			t.Errorf("done ran %d times after the window closed, want 0", called)
		}
	})

	t.Run("a nil Runner posts with fyne.Do", func(t *testing.T) {
		test.NewTempApp(t)
		got := make(chan int, 1)
		Run(nil, func() int { return 7 }, func(v int, err error) { got <- v })
		select {
		case v := <-got:
			if v != 7 {
				t.Errorf("done got %d, want 7", v)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("done did not run within 10 s")
		}
	})
}
