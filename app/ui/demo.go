package ui

import (
	"os"
	"time"

	"fyne.io/fyne/v2"

	"github.com/keywarden/keywarden/app/demo"
)

// RunDemo runs the window in demo mode until the app quits: sample keys in
// a throwaway folder, secrets in memory, checks against a simulated
// exchange. a should have an ID of its own, so that the demo's settings
// (app 2FA among them) never mix with the real ones.
func RunDemo(a fyne.App) error { return runDemo(a, demoOptions{}) }

// runDemo is RunDemo opening the window on the screen o names.
func runDemo(a fyne.App, o demoOptions) error {
	dir, err := os.MkdirTemp("", "keywarden-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	d, err := demo.New(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	atExit(func() { d.Close(); os.RemoveAll(dir) })
	svc := d.Keys()
	mw := newMainWindow(Env{App: a, Keys: svc, Guard: svc.AppGuard(), Demo: true, Website: d.Website()})
	// The demo's suspicious withdrawal reaches the ledger a minute in; the
	// window reads it a moment later, as the tray part would, and asks.
	later := time.AfterFunc(demo.WithdrawalAfter+5*time.Second, func() { mw.env.do(mw.askAboutActivity) })
	defer later.Stop()
	if o == (demoOptions{}) {
		mw.win.ShowAndRun()
		return nil
	}
	// The screen's key is looked up now, so a wrong name fails before the
	// window opens.
	mw.setData(mw.readList())
	o.exchange = d.Exchange
	open, err := mw.screenOpener(o)
	if err != nil {
		return err
	}
	if o.size.Width == 0 {
		o.size = fyne.NewSize(900, 620) // screenshots: the real window's size
	}
	mw.win.Resize(o.size)
	// The screen opens once the window runs, as if someone had clicked
	// their way there: laid out before the window is shown, wrapping
	// labels keep the height of one line.
	mw.win.Show()
	go fyne.Do(open)
	a.Run()
	return nil
}
