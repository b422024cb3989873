package ui

import (
	"os"

	"fyne.io/fyne/v2"

	"github.com/keywarden/keywarden/app/demo"
	"github.com/keywarden/keywarden/app/guard"
)

// RunDemo runs the window in demo mode until the app quits: sample keys in
// a throwaway folder, secrets in memory, checks against a simulated
// exchange. a should have an ID of its own, so that the demo's settings
// (app 2FA among them) never mix with the real ones.
func RunDemo(a fyne.App) error {
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
	Run(Env{App: a, Store: d.Store, Secrets: d.Secrets, Runner: d.Runner,
		Guard: guard.New(d.Secrets, a.Preferences()), Demo: true})
	return nil
}
