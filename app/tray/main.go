package tray

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"

	"fyne.io/systray"

	"github.com/keywarden/keywarden/app/instance"
	"github.com/keywarden/keywarden/app/internal/safetext"
	"github.com/keywarden/keywarden/app/keys"
	"github.com/keywarden/keywarden/app/vault"
)

// MemoryLimit is the tray part's soft memory limit. Main turns the garbage
// collector off (debug.SetGCPercent(-1)): otherwise, once the heap has been
// collected at all, the Go runtime forces a collection every two minutes,
// a burst of wake-ups each time (13 to 25 context switches, measured: about
// 5 wake-ups per 30 s on average, against about 1 with the collector off;
// `make bench-idle` measures it again). With it off, the heap is
// collected only when the process's memory nears this limit, and after a
// burst of work (checks) by freeMemory. The tray's live heap is a few MiB.
const MemoryLimit = 32 << 20

// Main runs `keywarden tray` (args are what follows "tray") and returns the
// exit code. A second copy hands over to the first ("changed": it looks
// again) and exits 0. Where the desktop has no D-Bus session, or no tray
// host, or no notification server, it says so once on stderr and carries
// on with what is left.
func Main(args []string, stderr io.Writer) int {
	stderr = safetext.NewWriter(stderr) // errors quote paths; see newLogger
	if len(args) > 0 {
		fmt.Fprintf(stderr, "keywarden tray: unexpected %q: the tray part takes no arguments\n", args[0])
		return 2
	}
	in, err := instance.Listen(InstanceTray)
	switch {
	case errors.Is(err, instance.ErrRunning):
		if err := instance.Send(InstanceTray, MsgChanged); err != nil {
			fmt.Fprintf(stderr, "keywarden tray: another copy runs but did not answer (%v); stop it, or wait a moment and try again\n", err)
			return 1
		}
		return 0
	case errors.Is(err, instance.ErrUnsupported):
		in = nil // run without the one-copy guarantee
	case err != nil:
		fmt.Fprintln(stderr, "keywarden tray:", err)
		return 1
	}
	if in != nil {
		defer in.Close()
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(MemoryLimit)
	logger := newLogger(stderr)
	if err := vault.Harden(); err != nil {
		logger.Printf("could not mark the process non-dumpable: %v", err)
	}

	cfg, err := realConfig()
	if err != nil {
		fmt.Fprintln(stderr, "keywarden tray:", err)
		return 1
	}
	r := &resident{log: logger, done: make(chan struct{})}
	cfg.Quit = r.stop
	cfg.Report = func(err error) { logger.Print(err) }
	r.run(New(cfg), in)
	return 0
}

// newLogger returns the tray part's logger on w. What it logs quotes key
// names and the exchange's text, so each entry is escaped to one line of
// printable text (safetext.NewLogWriter): a name can neither command the
// terminal or log viewer nor fake another entry.
func newLogger(w io.Writer) *log.Logger {
	return log.New(safetext.NewLogWriter(w), "keywarden tray: ", log.LstdFlags)
}

// realConfig opens the key service (keys.Open, as the window and the
// command line do) and the way to start the window.
func realConfig() (Config, error) {
	svc, err := keys.Open(keys.Config{Changed: TellWindow})
	if err != nil {
		return Config{}, err
	}
	exe, err := os.Executable()
	if err != nil {
		return Config{}, fmt.Errorf("cannot find this program's own path to start the window: %w", err)
	}
	return Config{
		Keys:     svc,
		Window:   func(id string) error { return ShowWindow(exe, id) },
		Activity: func(ref string) error { return ShowActivity(exe, ref) },
	}, nil
}

// resident runs a Tray in this process: with the system tray when there is
// a D-Bus session, else without (the scheduler and checks still run), until
// a signal, the Quit item or MsgQuit.
type resident struct {
	log *log.Logger

	once    sync.Once
	done    chan struct{} // closed by stop
	systray bool          // the system tray runs (set before stop can be called)
}

func (r *resident) stop() {
	r.once.Do(func() {
		close(r.done)
		if r.systray {
			systray.Quit()
		}
	})
}

// run runs t until stop; in (if not nil) brings the messages of other
// copies.
func (r *resident) run(t *Tray, in *instance.Instance) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	conn, err := connectSession()
	// On Linux and the BSDs the tray icon lives on D-Bus too; macOS and
	// Windows have their own, and no D-Bus notifications.
	r.systray = err == nil || runtime.GOOS == "darwin" || runtime.GOOS == "windows"
	switch {
	case err != nil && r.systray:
		n, how, nerr := platformNotifier(t) // Windows: toasts, or balloons on the tray icon
		if nerr != nil {
			r.log.Printf("%v: %v", err, nerr)
			break
		}
		r.log.Print(how)
		t.cfg.Notify = n
	case err != nil:
		r.log.Printf("%v: no tray icon and no notifications; the window stays the way in", err)
	default:
		n, err := NewNotifier(conn, t.notifierConfig())
		if err != nil {
			r.log.Printf("notifications: %v", err)
			conn.Close()
			break
		}
		defer n.Close()
		t.cfg.Notify = n
	}
	if sys, err := watchResume(t.Poke); err == nil {
		defer sys.Close()
	}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		select {
		case <-sigs:
			r.stop()
		case <-r.done:
		}
	}()
	if in != nil {
		go func() {
			for msg := range in.Messages() {
				t.Handle(msg)
			}
		}()
	}

	ran := make(chan struct{})
	if !r.systray {
		t.attach(nil)
		go func() { _ = t.Run(ctx); close(ran) }()
		<-r.done
		cancel()
		<-ran
		return
	}

	// Where it can be (faceBeforeReady), the first menu is built before
	// systray starts, so it registers with its real icon and items; on
	// Windows it is built once the tray is ready, and the scheduler starts
	// after it.
	var started atomic.Bool
	start := func() {
		started.Store(true)
		systray.SetTitle("Keywarden")
		t.attach(&trayFace{t: t})
		go func() { _ = t.Run(ctx); close(ran) }()
	}
	go func() {
		for range systray.TrayOpenedCh {
			t.PokeIfChanged() // a cheap look at the files, only when the menu opens
		}
	}()
	var onReady func()
	if faceBeforeReady {
		start()
	} else {
		onReady = start
	}
	systray.Run(onReady, cancel)
	r.stop()
	cancel()
	if started.Load() { // else the tray never became ready, and nothing ran
		<-ran
	}
}
