// Keywarden keeps a person's Kraken API keys safe: a desktop window (and
// tray), and the same vault from the command line.
package main

import (
	_ "embed"
	"os"
	"strings"

	"github.com/keywarden/keywarden/app/cli"
	_ "github.com/keywarden/keywarden/app/quietlocale" // before Fyne's lang: no locale noise under LANG=C.UTF-8
	"github.com/keywarden/keywarden/app/tray"
	"github.com/keywarden/keywarden/app/ui"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && tray.IsLink(args[0]) { // a toast's button, or any keywarden: link
		cli.AttachConsole()
		os.Exit(tray.MainLink(args, os.Stderr))
	}
	if cli.IsCommand(args) {
		cli.AttachConsole() // Windows: the GUI exe writes to the terminal it was started from
		os.Exit(cli.Main(args, cli.IO{Version: appVersion(fyneApp)}))
	}
	if len(args) > 0 && args[0] == "tray" {
		os.Exit(tray.Main(args[1:], os.Stderr)) // the resident part: no window, no GL
	}
	os.Exit(ui.Main(args, os.Stderr))
}

// fyneApp is FyneApp.toml, the one place Keywarden's version is written:
// --version, the .deb, the AppStream release and the Windows version
// resource and installer all take it from there.
//
//go:embed FyneApp.toml
var fyneApp string

// appVersion returns the Version of FyneApp.toml's [Details] table, or ""
// (which prints as "unknown") if it has none.
func appVersion(toml string) string {
	table := ""
	for _, line := range strings.Split(toml, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			table = line
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if ok && table == "[Details]" && strings.TrimSpace(key) == "Version" {
			return strings.Trim(strings.TrimSpace(value), `"`)
		}
	}
	return ""
}
