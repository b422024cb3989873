package ui

import (
	"bytes"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// Issue 20: Find copies said "Found 6 copies" and `keywarden sweep` over
// the same folders "Found 5 copies of 2 of your keys and 1 key not in
// Keywarden". Both faces now say the same first sentence
// (keys.SweepFound).
func TestFindCopies_CountsAsTheCommandLineDoes(t *testing.T) {
	f := newFixture(t)
	home := t.TempDir()
	for i, name := range []string{"koinly-tax", "dashboard"} {
		rec := f.addKey(name, []kraken.Permission{kraken.QueryFunds})
		sec, err := f.secrets.Get(rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < 3-i; j++ { // 3 copies of one key, 2 of the other
			plantFile(t, home, name+"/run"+string(rune('a'+j))+".sh", "export KRAKEN_API_KEY="+sec.APIKey+"\n")
		}
	}
	stray := f.ex.AddKey(krakentest.Key{Name: "grid", Permissions: []kraken.Permission{kraken.QueryFunds}})
	plantFile(t, home, "bots/grid/.env", "KRAKEN_API_KEY="+stray.APIKey+"\nKRAKEN_API_SECRET="+stray.PrivateKey+"\n")
	f.open()

	var out, errOut bytes.Buffer
	cli.Main([]string{"sweep", "--no-git", home}, cli.IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Dir: f.store.Dir(),
		Secrets: f.secrets, BaseURL: f.ex.URL(), Getenv: func(string) string { return "" }, TellTray: func() {}})
	first, _, _ := strings.Cut(out.String(), "\n")
	const want = "Found 5 copies of 2 of your keys and 1 key not in Keywarden."
	if first != want {
		t.Fatalf("the command line says %q, want %q (stderr: %s)", first, want, errOut.String())
	}

	f.mw.showSweep()
	s := f.mw.sweeper
	s.roots = []string{home}
	test.Tap(s.run)
	f.wait()
	if got := s.progress.Text; !strings.HasPrefix(got, want+" ") {
		t.Errorf("the window says %q, want it to start with %q", got, want)
	}
}
