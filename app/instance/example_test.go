package instance_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/keywarden/keywarden/app/instance"
)

// A part of the app starts like this: the first copy listens, a second one
// hands its request over and exits, and where single copies are not
// enforced the app just runs.
func Example() {
	in, err := instance.Listen("window")
	switch {
	case errors.Is(err, instance.ErrRunning):
		if err := instance.Send("window", "show"); err != nil {
			fmt.Fprintln(os.Stderr, "keywarden:", err)
			os.Exit(1)
		}
		os.Exit(0)
	case errors.Is(err, instance.ErrUnsupported):
		// Run without it.
	case err != nil:
		fmt.Fprintln(os.Stderr, "keywarden:", err)
		os.Exit(1)
	default:
		defer in.Close()
		go func() {
			for msg := range in.Messages() {
				_ = msg // "show": raise the window; "open <id>": show that key
			}
		}()
	}
	// ... run the window ...
}
