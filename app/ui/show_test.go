package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

func TestParseDemoArgs(t *testing.T) {
	good := []struct {
		args []string
		want demoOptions
	}{
		{nil, demoOptions{}},
		{[]string{"--show", "list"}, demoOptions{screen: "list"}},
		{[]string{"--show=detail:freqtrade-bot-vps"}, demoOptions{screen: "detail", key: "freqtrade-bot-vps"}},
		{[]string{"-show", "wizard-verify"}, demoOptions{screen: "wizard-verify"}},
		{[]string{"--show", "wizard-permissions:koinly-tax-import", "--size", "800x600"},
			demoOptions{screen: "wizard-permissions", key: "koinly-tax-import", size: fyne.NewSize(800, 600)}},
		{[]string{"--size=1024X768"}, demoOptions{size: fyne.NewSize(1024, 768)}},
		{[]string{"--show", "review:a", "--show", "revoke:b"}, demoOptions{screen: "revoke", key: "b"}},
	}
	for _, c := range good {
		got, err := parseDemoArgs(c.args)
		if err != nil || got != c.want {
			t.Errorf("parseDemoArgs(%q) = %+v, %v; want %+v", c.args, got, err, c.want)
		}
	}

	bad := map[string][]string{
		"no screen":       {"--show", "nowhere"},
		"needs a key":     {"--show", "detail"},
		"takes no key":    {"--show", "list:x"},
		"no such flag":    {"--theme", "dark"},
		"missing value":   {"--show"},
		"extra argument":  {"list"},
		"size words":      {"--size", "big"},
		"size no height":  {"--size", "800"},
		"size too small":  {"--size", "10x10"},
		"size not number": {"--size", "800xabc"},
	}
	for name, args := range bad {
		_, err := parseDemoArgs(args)
		if err == nil {
			t.Errorf("%s: parseDemoArgs(%q) accepted", name, args)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "flag provided but not defined") && !strings.Contains(msg, "usage:") {
			t.Errorf("%s: %q gives no usage line", name, msg)
		}
	}
}

// Every screen --show names opens over the demo keys. wizard-verify is left
// to the wizard's own test, which can wait for the verify call.
func TestShowScreen(t *testing.T) {
	f := newDemoFixture(t)
	for _, c := range []struct {
		show string
		view view
	}{
		{"list", viewList},
		{"settings", viewSettings},
		{"detail:freqtrade-bot-vps", viewDetail},
		{"review:cointracker-portfolio", viewReview},
		{"revoke:old-portfolio-script", viewRevoke},
		{"wizard-permissions", viewWizard},
	} {
		f.mw.showList()
		o, err := parseDemoArgs([]string{"--show", c.show})
		if err != nil {
			t.Fatal(err)
		}
		open, err := f.mw.screenOpener(o)
		if err != nil {
			t.Fatalf("--show %s: %v", c.show, err)
		}
		open()
		f.wait()
		if f.mw.view != c.view {
			t.Errorf("--show %s: view %v, want %v", c.show, f.mw.view, c.view)
		}
	}
	if _, err := f.mw.screenOpener(demoOptions{screen: "detail", key: "no-such-key"}); err == nil || !strings.Contains(err.Error(), "no-such-key") {
		t.Errorf("an unknown key: %v", err)
	}
}
