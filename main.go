// Keywarden keeps a person's Kraken API keys safe: a desktop window and tray,
// and the same vault from the command line.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"fyne.io/fyne/v2"

	"fyne.io/fyne/v2/app"

	"github.com/keywarden/keywarden/app/ui"
	"github.com/keywarden/keywarden/assets"
)

func main() {
	if !haveDisplay() {
		fmt.Fprintln(os.Stderr, "keywarden: there is no graphical display here (DISPLAY and WAYLAND_DISPLAY are not set).\n"+
			"Start it from your desktop, or use the command line: keywarden help")
		os.Exit(1)
	}
	// Catch SIGTERM before the window exists: Fyne installs its own handler
	// only once its loop runs, and a signal before that would kill the app
	// without running its shutdown.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)

	a := app.NewWithID("io.github.keywarden.Keywarden")
	a.SetIcon(assets.Icon)
	go func() {
		<-stop
		fyne.Do(a.Quit)
	}()
	ui.NewMainWindow(a, ui.Title).ShowAndRun()
}

// haveDisplay reports whether a GUI can start; without one Fyne panics.
func haveDisplay() bool {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" {
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}
