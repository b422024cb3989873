package cli_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/cli"
	"github.com/keywarden/keywarden/app/vault"
)

func TestSweepImport(t *testing.T) {
	t.Run("on a terminal sweep --import asks about the key found, imports it and removes its copy after a backup", func(t *testing.T) {
		f, home, _, stray := sweepHome(t)
		env := filepath.Join(home, "scripts", "dca", ".env")
		was, _ := os.ReadFile(env)
		before := len(f.data().Records)
		keyboard, term := openPTY(t)
		go io.Copy(io.Discard, keyboard)
		out := &syncBuffer{}
		errw := &syncBuffer{}
		done := make(chan int, 1)
		go func() { done <- cli.Main([]string{"sweep", "--import"}, f.io(term, out, errw)) }()
		waitFor(t, errw, "Import it into Keywarden? [Y/n] ", 1)
		fmt.Fprintln(keyboard)
		waitFor(t, errw, "Name [dca]: ", 1)
		fmt.Fprintln(keyboard)
		waitFor(t, errw, "Used by", 1)
		fmt.Fprintln(keyboard, "dca script")
		waitFor(t, errw, "Purpose (tax-import, read-only-dashboard, trading-bot, custom) [custom]: ", 1) // no permissions: custom
		fmt.Fprintln(keyboard, "tax")
		waitFor(t, errw, "Remove the copy from "+env+"? (a backup is kept) [y/N] ", 1)
		fmt.Fprintln(keyboard, "y")
		if code := <-done; code != cli.ExitAttention {
			t.Fatalf("exit %d, want sweep's 3:\n%s%s", code, out.String(), errw.String())
		}
		rec := f.record("dca")
		if rec.Purpose != vault.PurposeTaxImport || !slices.Equal(rec.UsedBy, []string{"dca script"}) || len(f.data().Records) != before+1 {
			t.Errorf("record %+v", rec)
		}
		if s, err := f.secrets.Get(rec.ID); err != nil || s.APIKey != stray.APIKey || s.PrivateKey != stray.PrivateKey {
			t.Errorf("the keyring does not hold the key: %v", err)
		}
		if b, err := os.ReadFile(env); err != nil || len(b) != 0 {
			t.Errorf("the file still holds %d bytes (%v)", len(b), err)
		}
		backups, _ := filepath.Glob(env + ".keywarden-backup-*")
		if len(backups) != 1 {
			t.Fatalf("backups %v", backups)
		}
		if b, _ := os.ReadFile(backups[0]); !bytes.Equal(b, was) {
			t.Error("the backup does not hold the file as it was")
		}
		for _, want := range []string{`Saved "dca"`, "Removed lines 1, 2 of " + env, backups[0]} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("the output lacks %q:\n%s", want, out.String())
			}
		}
		if l := f.leaks(out.String() + errw.String()); len(l) > 0 {
			t.Errorf("the output shows %v", l)
		}
	})

	t.Run("a later sweep that finds no other copy offers to delete the backup, and deletes it when told", func(t *testing.T) {
		f, home, _, _ := sweepHome(t)
		env := filepath.Join(home, "scripts", "dca", ".env")
		backup := importDCA(t, f, env)
		if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("the backup: %v, want mode 0600", err)
		}
		keyboard, term := openPTY(t)
		go io.Copy(io.Discard, keyboard)
		out, errw := &syncBuffer{}, &syncBuffer{}
		done := make(chan int, 1)
		go func() { done <- cli.Main([]string{"sweep"}, f.io(term, out, errw)) }()
		waitFor(t, errw, "Delete it? [y/N] ", 1)
		fmt.Fprintln(keyboard, "y")
		<-done
		for _, want := range []string{"The backup Keywarden made when it removed a key's copy is no longer needed", backup + " (of " + env + `, holding "dca")`, "Deleted 1 backup."} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("the output lacks %q:\n%s", want, out.String())
			}
		}
		if _, err := os.Lstat(backup); !os.IsNotExist(err) {
			t.Errorf("the backup is still there: %v", err)
		}
		if res := f.run("", "sweep"); strings.Contains(res.out, "no longer needed") || strings.Contains(res.out, backup) {
			t.Errorf("a sweep after still offers it:\n%s", res.out)
		}
	})

	t.Run("without a terminal a later clean sweep names the backup, and --delete-backups deletes it", func(t *testing.T) {
		f, home, _, _ := sweepHome(t)
		env := filepath.Join(home, "scripts", "dca", ".env")
		backup := importDCA(t, f, env)
		res := f.run("", "sweep")
		if !strings.Contains(res.out, backup+" (of "+env) || !strings.Contains(res.out, "keywarden sweep --delete-backups") {
			t.Errorf("the output does not offer the backup:\n%s", res.out)
		}
		if _, err := os.Lstat(backup); err != nil {
			t.Fatalf("the backup was deleted unasked: %v", err)
		}
		res = f.run("", "sweep", "--delete-backups")
		if _, err := os.Lstat(backup); !os.IsNotExist(err) || !strings.Contains(res.out, "Deleted 1 backup.") {
			t.Errorf("the backup: %v\n%s", err, res.out)
		}
		if l := f.leaks(res.out + res.err); len(l) > 0 {
			t.Errorf("the output shows %v", l)
		}
	})

	t.Run("without a terminal sweep --import imports nothing", func(t *testing.T) {
		f, home, _, _ := sweepHome(t)
		env := filepath.Join(home, "scripts", "dca", ".env")
		was, _ := os.ReadFile(env)
		before := f.keyFile()
		res := f.run("y\ndca\n\n\ny\n", "sweep", "--import")
		if res.code != cli.ExitUsage || !strings.Contains(res.err, "needs a terminal") {
			t.Errorf("want exit 2 saying it needs a terminal: %v", res)
		}
		if f.keyFile() != before {
			t.Error("the key list changed")
		}
		if b, _ := os.ReadFile(env); !bytes.Equal(b, was) {
			t.Error("the file changed")
		}
	})
}

// importDCA imports the stray key of sweepHome on a terminal, removing its
// copy from env, and returns the backup's path.
func importDCA(t *testing.T, f *fixture, env string) string {
	t.Helper()
	keyboard, term := openPTY(t)
	go io.Copy(io.Discard, keyboard)
	out, errw := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- cli.Main([]string{"sweep", "--import"}, f.io(term, out, errw)) }()
	for _, step := range []struct{ prompt, answer string }{
		{"Import it into Keywarden? [Y/n] ", ""}, {"Name [dca]: ", ""}, {"Used by", ""},
		{"Purpose (", ""}, {"Remove the copy from " + env + "? (a backup is kept) [y/N] ", "y"},
	} {
		waitFor(t, errw, step.prompt, 1)
		fmt.Fprintln(keyboard, step.answer)
	}
	<-done
	backups, _ := filepath.Glob(env + ".keywarden-backup-*")
	if len(backups) != 1 || !strings.Contains(out.String(), backups[0]) {
		t.Fatalf("backups %v; output:\n%s%s", backups, out.String(), errw.String())
	}
	return backups[0]
}
