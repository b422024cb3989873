package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keywarden/keywarden/app/internal/testfiles"
	"github.com/keywarden/keywarden/app/sweep"
	"github.com/keywarden/keywarden/app/vault"
	"github.com/keywarden/keywarden/kraken"
	"github.com/keywarden/keywarden/kraken/krakentest"
)

// plantFile writes a file under dir with mode 0600, making its folders.
func plantFile(t *testing.T, dir, rel, text string) string {
	return testfiles.Write(t, dir, rel, text, 0o600)
}

// texts returns every label's and button's text under o.
func texts(o fyne.CanvasObject) []string {
	var out []string
	for _, obj := range test.LaidOutObjects(o) {
		switch w := obj.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		}
	}
	return out
}

// button returns the button under o with the text.
func button(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q in %q", text, texts(o))
	return nil
}

func TestFindCopies(t *testing.T) {
	f := newFixture(t)
	stored := f.addKey("koinly-tax", []kraken.Permission{kraken.QueryFunds})
	sec, err := f.secrets.Get(stored.ID)
	if err != nil {
		t.Fatal(err)
	}
	stray := f.ex.AddKey(krakentest.Key{Name: "grid", Permissions: []kraken.Permission{kraken.QueryFunds, kraken.QueryOpenTrades, kraken.ModifyTrades}})
	home := t.TempDir()
	plantFile(t, home, ".bash_history", "ls\nexport KRAKEN_API_KEY="+sec.APIKey+"\n")
	env := plantFile(t, home, "bots/gridbot/.env", "PAIR=XBTEUR\nKRAKEN_API_KEY="+stray.APIKey+"\nKRAKEN_API_SECRET="+stray.PrivateKey+"\n")
	was, _ := os.ReadFile(env)
	f.open()

	test.Tap(f.mw.list.find)
	s := f.mw.sweeper
	if f.mw.view != viewSweep || s == nil {
		t.Fatal("Find copies did not open")
	}
	s.roots = []string{home}
	test.Tap(s.run)
	f.wait()
	all := strings.Join(texts(s.content), "\n")
	for _, want := range []string{
		"Found 1 copy of 1 of your keys and 1 key not in Keywarden. Swept 2 files under " + home,
		filepath.Join(home, ".bash_history"),
		`Line 2: API key of "koinly-tax"`,
		"keywarden exec koinly-tax -- YOUR-PROGRAM",
		"~/bots/gridbot/.env",
		"Import…",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the screen lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, sec.APIKey) || strings.Contains(all, stray.APIKey) || strings.Contains(all, stray.PrivateKey) {
		t.Fatal("the screen shows a key")
	}

	test.Tap(button(t, s.content, "Copy"))
	if got := f.app.Clipboard().Content(); !strings.HasPrefix(got, "keywarden exec koinly-tax") {
		t.Errorf("copied %q", got)
	}

	test.Tap(button(t, s.content, "Import…"))
	f.wait()
	d := s.importer
	if d == nil {
		t.Fatalf("no import dialog; message: %s", f.mw.lastMessage)
	}
	if d.name.Text != "gridbot" || d.purpose.Selected != vault.PurposeTradingBot.Label() || d.remove.Disabled() {
		t.Errorf("dialog: name %q purpose %q remove disabled %v", d.name.Text, d.purpose.Selected, d.remove.Disabled())
	}
	d.usedBy.SetText("grid bot")
	d.remove.SetChecked(true)
	d.dlg.Submit()
	f.wait()

	rec := f.byName("gridbot")
	if rec.Purpose != vault.PurposeTradingBot || !slices.Equal(rec.UsedBy, []string{"grid bot"}) {
		t.Errorf("record: purpose %q used by %q", rec.Purpose, rec.UsedBy)
	}
	if got, err := f.secrets.Get(rec.ID); err != nil || got.APIKey != stray.APIKey || got.PrivateKey != stray.PrivateKey {
		t.Errorf("the keyring does not hold the imported key: %v", err)
	}
	if b, _ := os.ReadFile(env); string(b) != "PAIR=XBTEUR\n" {
		t.Errorf("the file holds %q", b)
	}
	backups, _ := filepath.Glob(env + ".keywarden-backup-*")
	if len(backups) != 1 {
		t.Fatalf("backups %v", backups)
	}
	if b, _ := os.ReadFile(backups[0]); string(b) != string(was) {
		t.Error("the backup does not hold the file as it was")
	}
	if !strings.Contains(f.mw.lastMessage, backups[0]) {
		t.Errorf("the message %q does not name the backup", f.mw.lastMessage)
	}
	all = strings.Join(texts(s.content), "\n")
	if !strings.Contains(all, "Key #1 was imported as “gridbot”, and this copy removed.") || strings.Contains(all, "Import…") {
		t.Errorf("the screen does not show the key imported:\n%s", all)
	}
	if f.mw.view != viewSweep {
		t.Error("the import left the Find copies screen")
	}

	// A second sweep finds no key to import: the history's copy, and the
	// backup's, are copies of stored keys now.
	test.Tap(s.run)
	f.wait()
	all = strings.Join(texts(s.content), "\n")
	if !strings.Contains(all, "Found 3 copies of 2 of your keys. Swept 3 files") || !strings.Contains(all, filepath.Base(backups[0])) ||
		!strings.Contains(all, "This is the backup Keywarden kept") || strings.Contains(all, "Import…") {
		t.Errorf("second sweep:\n%s", all)
	}
	// No copy of gridbot's key is left but in the backup: it is offered
	// for deletion, and the button deletes it.
	if fi, err := os.Stat(backups[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup: %v, want mode 0600", err)
	}
	for _, want := range []string{"1 backup Keywarden made when it removed a key's copy: this sweep found no other copy of the key, so it is no longer needed.",
		"~/bots/gridbot/" + filepath.Base(backups[0]) + " (of ~/bots/gridbot/.env)"} {
		if !strings.Contains(all, want) {
			t.Errorf("the screen lacks %q:\n%s", want, all)
		}
	}
	test.Tap(button(t, s.content, "Delete the backup"))
	f.wait()
	if _, err := os.Lstat(backups[0]); !os.IsNotExist(err) {
		t.Errorf("the backup is still there: %v", err)
	}
	if all = strings.Join(texts(s.content), "\n"); strings.Contains(all, "Delete the backup") {
		t.Errorf("still offered:\n%s", all)
	}
}

func TestFindCopies_NothingFound(t *testing.T) {
	f := newFixture(t)
	f.addKey("koinly-tax", []kraken.Permission{kraken.QueryFunds})
	home := t.TempDir()
	plantFile(t, home, "notes.txt", "nothing here\n")
	plantFile(t, home, ".profile", "export PATH=$PATH:~/bin\n")
	f.open()
	f.mw.showSweep()
	s := f.mw.sweeper
	s.roots = []string{home}
	test.Tap(s.run)
	f.wait()
	all := strings.Join(texts(s.content), "\n")
	if !strings.Contains(all, "Nothing found: no copy of your keys (1 looked for) and no other Kraken key. Swept 2 files") {
		t.Errorf("no empty state:\n%s", all)
	}
	test.Tap(s.back)
	if f.mw.view != viewList {
		t.Error("Keys did not go back to the list")
	}
}

// keywarden demo --show find-copies sweeps a demo home with planted copies,
// and its key not in the vault imports against the demo's exchange.
func TestShowFindCopies(t *testing.T) {
	f := newDemoFixture(t)
	o, err := parseDemoArgs([]string{"--show", "find-copies"})
	if err != nil {
		t.Fatal(err)
	}
	o.exchange = f.ex
	open, err := f.mw.screenOpener(o)
	if err != nil {
		t.Fatal(err)
	}
	open()
	f.wait()
	s := f.mw.sweeper
	if f.mw.view != viewSweep || s == nil || s.rep == nil {
		t.Fatal("Find copies did not open with a sweep")
	}
	t.Cleanup(func() { os.RemoveAll(filepath.Dir(s.roots[0])) })
	stored, unknown := 0, 0
	for _, h := range s.rep.Hits {
		if h.Kind == sweep.KindStored {
			stored++
		} else if s.importable(h) {
			unknown++
		}
	}
	if stored != 3 || unknown != 1 {
		t.Fatalf("%d copies of stored keys and %d keys to import, want 3 and 1", stored, unknown)
	}
	test.Tap(button(t, s.content, "Import…"))
	f.wait()
	if s.importer == nil {
		t.Fatalf("no import dialog: %s", f.mw.lastMessage)
	}
	s.importer.dlg.Submit()
	f.wait()
	f.byName(s.importer.name.Text)
}
