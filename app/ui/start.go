package ui

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/keywarden/keywarden/app/guard"
	"github.com/keywarden/keywarden/app/instance"
	"github.com/keywarden/keywarden/app/internal/safetext"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/assets"
)

// AppID is the application's ID, as in FyneApp.toml.
const AppID = "io.github.keywarden.Keywarden"

// Main starts the window (args empty, or "open <recordID>" to show one
// key, "open activity" or "open not-me <refid>" for the account watch's
// questions: see parseOpen) or the demo (args "demo", with the options parseDemoArgs reads) and
// returns the exit code. A second start hands over to the first window.
// Problems before the window exists go to stderr in plain words.
func Main(args []string, stderr io.Writer) int {
	stderr = safetext.NewWriter(stderr) // errors quote paths and names: never as terminal controls
	if !haveDisplay() {
		fmt.Fprintln(stderr, "keywarden: there is no graphical display here (DISPLAY and WAYLAND_DISPLAY are not set, or name no running display).\n"+
			"Start it from your desktop, or use the command line: keywarden help")
		return 1
	}
	demo := len(args) > 0 && args[0] == "demo"
	openID, open, err := parseOpen(args)
	if err != nil {
		fmt.Fprintln(stderr, "keywarden:", err)
		return 2
	}
	if len(args) > 0 && !demo && !open {
		fmt.Fprintf(stderr, "keywarden: unknown command %q. Run \"keywarden help\" for the list.\n", args[0])
		return 2
	}
	var opts demoOptions
	if demo {
		var err error
		if opts, err = parseDemoArgs(args[1:]); err != nil {
			fmt.Fprintln(stderr, "keywarden demo:", err)
			return 2
		}
	}
	var win *instance.Instance // the one window; see resident.go
	if !demo {
		var code int
		if win, code = claimWindow(openID, stderr); code >= 0 {
			return code
		}
		defer closeInstance(win)
	}
	if err := vault.Harden(); err != nil {
		fyne.LogError("could not mark the process non-dumpable", err)
	}

	// Catch SIGTERM before the window exists: Fyne installs its own handler
	// only once its loop runs, and a signal before that would kill the app
	// without running its shutdown.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)

	id := AppID
	if demo {
		id += ".demo" // its own settings: the demo's app 2FA never touches the real one
	}
	a := app.NewWithID(id)
	a.SetIcon(assets.Icon)
	go func() {
		<-stop
		// Fyne 2.7.1's own shutdown can crash (a pointer event for a window
		// it has destroyed) or hang (saving preferences waits for a loop
		// that has ended). A signal means "stop": do Keywarden's own
		// clean-up on the UI goroutine, then exit.
		done := make(chan struct{})
		fyne.Do(func() {
			runExitHooks()
			close(done)
		})
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
		os.Exit(0)
	}()
	if demo {
		if err := runDemo(a, opts); err != nil {
			fmt.Fprintln(stderr, "keywarden demo:", err)
			return 1
		}
		return 0
	}

	env, err := realEnv(a)
	if err != nil {
		fmt.Fprintln(stderr, "keywarden:", err)
		return 1
	}
	runWindow(env, win, openID)
	return 0
}

var (
	exitMu    sync.Mutex
	exitHooks []func()
)

// atExit registers clean-up that must run when a signal stops the app
// (the normal quit runs the windows' own close handlers and defers).
func atExit(f func()) {
	exitMu.Lock()
	defer exitMu.Unlock()
	exitHooks = append(exitHooks, f)
}

// runExitHooks runs the registered clean-up, newest first.
func runExitHooks() {
	exitMu.Lock()
	hooks := exitHooks
	exitHooks = nil
	exitMu.Unlock()
	for i := len(hooks) - 1; i >= 0; i-- {
		hooks[i]()
	}
}

// realEnv opens the key service (keys.Open, as the tray part and the
// command line do) and app 2FA's guard beside it.
func realEnv(a fyne.App) (Env, error) {
	svc, err := keys.Open(keys.Config{Changed: func() { go tellTray() }})
	if err != nil {
		return Env{}, err
	}
	// App 2FA's switch, lock and used codes live in guard.json beside
	// keys.json, shared with the tray part and the command line; an older
	// version's switch in the Fyne preferences moves there once.
	if err := guard.AdoptFlag(guard.OpenState(svc.Dir()), a.Preferences()); err != nil {
		return Env{}, err
	}
	return Env{App: a, Keys: svc, Guard: svc.AppGuard()}, nil
}

// haveDisplay reports whether a GUI can start; without one Fyne panics.
// A local X display (":N") must have its socket; others are taken on trust.
func haveDisplay() bool {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" {
		return true
	}
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		return true
	}
	display := os.Getenv("DISPLAY")
	if n, ok := strings.CutPrefix(display, ":"); ok {
		n, _, _ = strings.Cut(n, ".")
		_, err := os.Stat("/tmp/.X11-unix/X" + n)
		return err == nil
	}
	return display != ""
}
