// Command gendocs writes Keywarden's man page and shell completions, made
// from the command line's own command table (app/cli), into a folder laid
// out as under /usr:
//
//	gendocs -version 0.1.0 -date 2026-12-07 DIR
//
// writes DIR/share/man/man1/keywarden.1.gz,
// DIR/share/bash-completion/completions/keywarden,
// DIR/share/zsh/vendor-completions/_keywarden and
// DIR/share/fish/vendor_completions.d/keywarden.fish.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/keywarden/keywarden/app/cli"
)

// completions maps each shell to where its completion goes under DIR.
var completions = map[string]string{
	"bash": "share/bash-completion/completions/keywarden",
	"zsh":  "share/zsh/vendor-completions/_keywarden",
	"fish": "share/fish/vendor_completions.d/keywarden.fish",
}

func main() {
	version := flag.String("version", "", "Keywarden's version, from FyneApp.toml")
	date := flag.String("date", "", "the date in the man page's header, YYYY-MM-DD")
	flag.Parse()
	if *version == "" || *date == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gendocs -version V -date YYYY-MM-DD DIR")
		os.Exit(2)
	}
	if err := write(flag.Arg(0), *version, *date); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func write(dir, version, date string) error {
	var man bytes.Buffer
	if err := cli.WriteManPage(&man, version, date); err != nil {
		return err
	}
	// gzip -9n, as Debian wants it: no name or time in the header.
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(man.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := put(filepath.Join(dir, "share/man/man1/keywarden.1.gz"), gz.Bytes()); err != nil {
		return err
	}
	for _, shell := range cli.Shells {
		var b bytes.Buffer
		if err := cli.WriteCompletion(&b, shell); err != nil {
			return err
		}
		if err := put(filepath.Join(dir, completions[shell]), b.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// put writes a file readable by all (it is documentation).
func put(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
