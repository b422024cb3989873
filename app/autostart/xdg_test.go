//go:build unix && !darwin && !android

package autostart

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/internal/testfiles"
)

// setupXDG points the XDG folders at empty temporary ones and returns the
// path the entry goes to.
func setupXDG(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("XDG_CONFIG_DIRS", filepath.Join(home, "system"))
	return filepath.Join(home, "config", "autostart", "io.github.keywarden.Keywarden.desktop")
}

func mustEnabled(t *testing.T, want bool) {
	t.Helper()
	got, err := Enabled()
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("Enabled() = %v, want %v", got, want)
	}
}

func TestEnable(t *testing.T) {
	path := setupXDG(t)
	mustEnabled(t, false)
	exe := filepath.Join(t.TempDir(), `My "Apps"`, "keywarden")
	if err := Enable(exe, []string{"tray"}); err != nil {
		t.Fatal(err)
	}
	mustEnabled(t, true)

	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != 0o644 {
		t.Errorf("mode %v, want -rw-r--r--", fi.Mode())
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("autostart folder: %v, %v; want it created 0700", fi.Mode(), err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	keys := parseDesktop(t, data)
	for k, want := range map[string]string{
		"Type": "Application", "Name": "Keywarden", "Icon": ID, "X-GNOME-Autostart-enabled": "true",
	} {
		if keys[k] != want {
			t.Errorf("%s=%q, want %q", k, keys[k], want)
		}
	}
	args, err := parseExec(keys["Exec"])
	if err != nil {
		t.Fatalf("Exec=%s: %v", keys["Exec"], err)
	}
	if want := []string{exe, "tray"}; !slices.Equal(args, want) {
		t.Errorf("Exec=%s parses to %q, want %q", keys["Exec"], args, want)
	}
	if tmp, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(tmp) > 0 {
		t.Errorf("temporary files left behind: %v", tmp)
	}

	t.Run("a second Enable replaces the entry", func(t *testing.T) {
		if err := Enable("/usr/bin/keywarden", []string{"tray"}); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(path)
		if got := parseDesktop(t, data)["Exec"]; got != "/usr/bin/keywarden tray" {
			t.Errorf("Exec=%s, want the new path", got)
		}
	})
	t.Run("Disable removes it", func(t *testing.T) {
		if err := Disable(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("entry still there: %v", err)
		}
		mustEnabled(t, false)
	})
	t.Run("Disable when absent is fine", func(t *testing.T) {
		if err := Disable(); err != nil {
			t.Fatal(err)
		}
		mustEnabled(t, false)
	})
}

func TestEnable_RejectsRelativePath(t *testing.T) {
	path := setupXDG(t)
	if err := Enable("keywarden", []string{"tray"}); err == nil {
		t.Fatal("Enable with a relative path succeeded")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("an entry was written: %v", err)
	}
}

func TestEnabled_SwitchedOffByTheDesktop(t *testing.T) {
	tests := []struct {
		name string
		line string
		want bool
	}{
		{"GNOME switch off", "X-GNOME-Autostart-enabled=false", false},
		{"hidden", "Hidden=true", false},
		{"GNOME switch on", "X-GNOME-Autostart-enabled=true", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := setupXDG(t)
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			entry := "[Desktop Entry]\nType=Application\nName=Keywarden\nExec=/usr/bin/keywarden tray\n" + tt.line + "\n"
			if err := os.WriteFile(path, []byte(entry), 0o644); err != nil {
				t.Fatal(err)
			}
			mustEnabled(t, tt.want)
			if err := Enable("/usr/bin/keywarden", []string{"tray"}); err != nil {
				t.Fatal(err)
			}
			mustEnabled(t, true)
		})
	}
}

func TestDisable_SystemEntry(t *testing.T) {
	path := setupXDG(t)
	sys := filepath.Join(os.Getenv("XDG_CONFIG_DIRS"), "autostart", desktopFileName)
	if err := os.MkdirAll(filepath.Dir(sys), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sys, renderDesktop("/usr/bin/keywarden", []string{"tray"}), 0o644); err != nil {
		t.Fatal(err)
	}
	mustEnabled(t, true)
	if err := Disable(); err != nil {
		t.Fatal(err)
	}
	mustEnabled(t, false)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no user entry hiding the system one: %v", err)
	}
	if parseDesktop(t, data)["Hidden"] != "true" {
		t.Errorf("user entry does not hide the system one:\n%s", data)
	}
	if err := Enable("/usr/bin/keywarden", []string{"tray"}); err != nil {
		t.Fatal(err)
	}
	mustEnabled(t, true)
}

// TestRenderDesktop_Validator runs desktop-file-validate (desktop-file-utils)
// on the entry for every test command, when it is installed.
func TestRenderDesktop_Validator(t *testing.T) {
	validator, err := exec.LookPath("desktop-file-validate")
	if err != nil {
		t.Skip("desktop-file-validate is not installed")
	}
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), desktopFileName)
			if err := os.WriteFile(path, renderDesktop(c.exe, c.args), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(validator, path).CombinedOutput(); err != nil || len(out) > 0 {
				t.Errorf("desktop-file-validate: %v\n%s", err, out)
			}
		})
	}
}

// TestEnabled_irregularEntry: a named pipe, a folder or a link to /dev/zero
// in place of the autostart entry is refused at once, naming it, rather
// than hanging every start of the window and the tray part (issue 18).
func TestEnabled_irregularEntry(t *testing.T) {
	for _, irr := range testfiles.Irregulars {
		t.Run(irr.Name, func(t *testing.T) {
			path := setupXDG(t)
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			irr.Make(t, path)
			err := testfiles.Within(t, "Enabled", func() error { _, err := Enabled(); return err })
			if err == nil || !strings.Contains(err.Error(), "not a regular file") || !strings.Contains(err.Error(), path) {
				t.Fatalf("Enabled() = %v, want a refusal naming %s", err, path)
			}
		})
	}
}
