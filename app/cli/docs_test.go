package cli_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/cli"
)

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}, {"-version"}} {
		f := newFixture(t)
		var out, errw bytes.Buffer
		stdio := f.io(strings.NewReader(""), &out, &errw)
		stdio.Version = "9.8.7"
		if code := cli.Main(args, stdio); code != 0 || out.String() != "keywarden 9.8.7\n" {
			t.Errorf("%q: exit %d, %q %q; want keywarden 9.8.7", args, code, out.String(), errw.String())
		}
	}
	if res := newFixture(t).run("", "version"); res.out != "keywarden unknown\n" {
		t.Errorf("with no version given: %v", res)
	}
	if res := newFixture(t).run("", "version", "extra"); res.code != cli.ExitUsage {
		t.Errorf("version with an argument: %v", res)
	}
}
