package ui

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/keywarden/keywarden/app/demo"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// demoOptions are the options of "keywarden demo". They exist for
// screenshots and docs (make screenshots): --show opens the window straight
// on one screen, --size gives the window another size. They are offered in
// demo mode only, so they can never touch a real vault.
type demoOptions struct {
	screen string    // one of showScreens; "" is the keys list
	key    string    // the demo key the screen is about; "" picks one
	size   fyne.Size // zero keeps the default size
	// exchange is the demo's simulated exchange, for find-copies (the
	// key found that is not in the vault is made there, so Import works)
	// and activity (the suspicious withdrawal is made there at once).
	exchange *krakentest.Exchange
}

// showScreens are the screens --show opens. detail, review and revoke need
// a key (":NAME"); the wizard's take one too, and otherwise pick a key whose
// permissions on the exchange differ from the intended ones.
var showScreens = []string{"list", "detail", "detail-reminders", "review", "revoke", "settings", "wizard-permissions", "wizard-verify", "find-copies", "activity"}

// keyScreens need a key's name; keylessScreens take none.
var (
	keyScreens     = []string{"detail", "detail-reminders", "review", "revoke"}
	keylessScreens = []string{"list", "settings", "find-copies", "activity"}
)

// demoUsage is the demo's usage line, for errors.
const demoUsage = "usage: keywarden demo [--show list|detail:NAME|detail-reminders:NAME|review:NAME|revoke:NAME|settings|wizard-permissions[:NAME]|wizard-verify[:NAME]|find-copies|activity] [--size WIDTHxHEIGHT]"

// parseDemoArgs reads the arguments after "demo".
func parseDemoArgs(args []string) (demoOptions, error) {
	var o demoOptions
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	show := fs.String("show", "", "")
	size := fs.String("size", "", "")
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("%v\n%s", err, demoUsage)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected %q\n%s", fs.Arg(0), demoUsage)
	}
	screen, key, _ := strings.Cut(*show, ":")
	switch {
	case screen == "":
	case !slices.Contains(showScreens, screen):
		return o, fmt.Errorf("there is no screen %q to show\n%s", screen, demoUsage)
	case key == "" && slices.Contains(keyScreens, screen):
		return o, fmt.Errorf("--show %s needs a key's name: --show %s:NAME", screen, screen)
	case key != "" && slices.Contains(keylessScreens, screen):
		return o, fmt.Errorf("--show %s takes no key name", screen)
	}
	o.screen, o.key = screen, key
	if *size != "" {
		w, h, ok := strings.Cut(strings.ToLower(*size), "x")
		wi, werr := strconv.Atoi(w)
		hi, herr := strconv.Atoi(h)
		if !ok || werr != nil || herr != nil || wi < 100 || hi < 100 {
			return o, fmt.Errorf("--size %q: give the window's size as WIDTHxHEIGHT, for example 800x600", *size)
		}
		o.size = fyne.NewSize(float32(wi), float32(hi))
	}
	return o, nil
}

// screenOpener returns what opens the screen o names, over the key list as
// loaded now; it fails for a key the demo does not hold.
func (mw *mainWindow) screenOpener(o demoOptions) (func(), error) {
	switch o.screen {
	case "", "list":
		return mw.showList, nil
	case "settings":
		return mw.showSettings, nil
	case "find-copies":
		return mw.findCopiesDemo(o.exchange)
	case "activity": // the withdrawal at once, and Activity asking about it
		return func() {
			if o.exchange != nil {
				demo.AddWithdrawalTo(o.exchange)
			}
			mw.showActivity()
		}, nil
	}
	rec, err := mw.showcaseKey(o.key)
	if err != nil {
		return nil, err
	}
	switch o.screen {
	case "detail":
		return func() { mw.showDetail(rec.ID) }, nil
	case "detail-reminders":
		return func() {
			mw.showDetail(rec.ID)
			// Scroll once the window has laid the detail out.
			time.AfterFunc(300*time.Millisecond, func() {
				fyne.Do(func() {
					if mw.detail != nil {
						mw.detail.scrollToReminders()
					}
				})
			})
		}, nil
	case "review":
		return func() { mw.showReview(rec.ID) }, nil
	case "revoke":
		return func() { mw.showRevoke(rec.ID, false) }, nil
	}
	secret, err := mw.keys.Secret(rec.ID)
	if err != nil {
		return nil, fmt.Errorf("the demo holds no key pair for %q: choose another key", rec.Name)
	}
	step := 2 // wizard-permissions
	if o.screen == "wizard-verify" {
		step = 7
	}
	return func() {
		mw.openWizard(nil)
		mw.wizard.Showcase(rec, secret, step)
	}, nil
}

// showcaseKey returns the key named name or, with no name, the first one
// whose permissions at the last check differ from the intended ones (the
// verify step then has a difference to show).
func (mw *mainWindow) showcaseKey(name string) (vault.Record, error) {
	for _, r := range mw.records {
		if name != "" && r.Name == name {
			return r, nil
		}
		if name == "" && !r.Retired() && r.LastCheck != nil && r.LastCheck.Outcome == vault.OutcomeOK &&
			!slices.Equal(kraken.SortPermissions(r.Intended), kraken.SortPermissions(r.LastCheck.Permissions)) {
			return r, nil
		}
	}
	if name == "" {
		return vault.Record{}, errors.New("no demo key has permissions that differ from the intended ones: name one")
	}
	return vault.Record{}, fmt.Errorf("there is no key named %q in the demo", name)
}
