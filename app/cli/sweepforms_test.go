package cli_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/keywarden/keywarden/app/cli"
)

// Each form of a copy the sweep reads (issue 21) is named on its line:
// wrapped, base64-encoded, hex, and inside a gzip file.
func TestSweep_NamesTheFormOfEachCopy(t *testing.T) {
	f := newFixture(t)
	_, bot := f.add("grid-bot", botPerms, "--purpose", "bot")
	home := t.TempDir()
	raw, err := base64.StdEncoding.DecodeString(bot.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("start\nusing key " + bot.APIKey + "\n"))
	zw.Close()
	plant(t, home, "notes/keys.md", "grid bot:\n    "+bot.PrivateKey[:44]+"\n    "+bot.PrivateKey[44:]+"\n")
	plant(t, home, "k8s/secret.yaml", "data:\n  api: "+base64.StdEncoding.EncodeToString([]byte(bot.APIKey))+"\n")
	plant(t, home, "logs/debug.log", "secret bytes "+hex.EncodeToString(raw)+"\n")
	plant(t, home, "logs/bot.log.1.gz", gz.String())
	res := f.run("", "sweep", home)
	if res.code != cli.ExitAttention {
		t.Fatalf("want exit 3: %v", res)
	}
	for _, want := range []string{
		`line 2: private key of "grid-bot" (wrapped over lines)`,
		`line 2: API key of "grid-bot" (as api, base64-encoded)`,
		`line 1: private key of "grid-bot" (its bytes as hex)`,
		`line 2: API key of "grid-bot" (inside the gzip file, once unpacked)`,
		"compressed file",
	} {
		if !strings.Contains(res.out, want) {
			t.Errorf("the output lacks %q:\n%s", want, res.out)
		}
	}
	if l := f.leaks(res.out + res.err); len(l) > 0 {
		t.Errorf("the output shows %v:\n%s", l, res)
	}
}
